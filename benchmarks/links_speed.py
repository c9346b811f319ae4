"""How fast and how well does `check-links` check URLs, against a plain aiohttp loop?

A loopback site answers on 127.0.0.1–127.0.0.20 (20 hosts), each response 20 ms late, in a
server process of its own. Each client runs in a fresh process (for its own peak memory):

1. throughput: 5,000 URLs (ok, redirects, 404s, HEAD refused, 5xx; no deliberate sleeps),
   concurrency and per-host limit 64, no per-host delay: scopekit's checker and a plain
   40-line aiohttp loop (HEAD, GET on 405), alternately, median of the rounds;
2. a realistic 1,000-URL mix (REALISTIC_MIX: 1% pages that take 2 s, 2% that answer 429
   with `Retry-After: 1` once, besides redirects, soft 404s, 404s, 410s, HEAD refused, 5xx
   and 403 bot checks) at the default limits (concurrency 32, 4 per host, 0.05 s delay):
   every URL must be classified as expected, and the wall time is compared with the
   slowest single URL checked alone. The slow pages are on different hosts: k slow pages
   on one host hold k of its 4 slots for 2 s, a wait no polite checker can avoid.

    python benchmarks/links_speed.py [--urls 5000] [--mix 1000] [--rounds 3]

Loopback only, bounded loops only; prints the figures and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import ClassVar

HOSTS = 20
LATENCY = 0.02
THROUGHPUT_MIX = {"ok": 70, "moved": 10, "missing": 8, "nohead": 7, "error": 5}
REALISTIC_MIX = {
    "ok": 71,
    "moved": 8,
    "home": 1,
    "missing": 6,
    "gone": 1,
    "nohead": 6,
    "error": 2,
    "refused": 2,
    "slow": 1,
    "limited": 2,
}
EXPECTED = {
    "ok": "ok",
    "moved": "redirected",
    "home": "redirected",
    "missing": "broken",
    "gone": "broken",
    "nohead": "ok",
    "error": "server-error",
    "refused": "blocked",
    "slow": "ok",
    "limited": "ok",
}


# ------------------------------------------------------------------ the site (own process)


def answer(method: str, path: str, hits: Counter[str]) -> tuple[str, str, bytes]:
    """Status line, extra headers and body for a request to the site."""
    parts = path.split("/")
    kind = parts[1] if len(parts) == 3 else ""
    fine = b"<html><title>fine</title></html>"
    if kind == "moved":
        return "301 Moved Permanently", f"Location: /ok/{parts[2]}\r\n", b""
    if kind == "home":
        return "302 Found", "Location: /\r\n", b""
    if kind in ("missing", "gone", "error", "refused"):
        status = {"missing": "404 Not Found", "gone": "410 Gone", "error": "500 Error"}
        return status.get(kind, "403 Forbidden"), "", b"Just a moment... not here"
    if kind == "nohead" and method == "HEAD":
        return "405 Method Not Allowed", "", b""
    if kind == "limited":
        hits[path] += 1
        if hits[path] == 1:
            return "429 Too Many Requests", "Retry-After: 1\r\n", b""
    if kind in ("ok", "nohead", "limited", "slow") or path == "/":
        return "200 OK", "Content-Type: text/html\r\n", fine
    return "404 Not Found", "", b"no such kind"


class Site(asyncio.Protocol):
    """A minimal HTTP/1.1 server (keep-alive, one answer per request after LATENCY), light
    enough that the clients, not the server, are what is measured."""

    hits: ClassVar[Counter[str]] = Counter()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            method, path = head.split(b" ", 2)[:2]
            status, headers, body = answer(method.decode(), path.decode(), self.hits)
            reply = (
                f"HTTP/1.1 {status}\r\n{headers}Content-Length: {len(body)}\r\n\r\n".encode()
                + (b"" if method == b"HEAD" else body)
            )
            delay = 2.0 if path.startswith(b"/slow/") else LATENCY
            asyncio.get_running_loop().call_later(delay, self.send, reply)

    def send(self, reply: bytes) -> None:
        if not self.transport.is_closing():
            self.transport.write(reply)


def serve() -> None:
    """Serve the site on the 20 loopback hosts; print their ports, run until stdin closes."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        servers = [
            await loop.create_server(Site, f"127.0.0.{n}", 0, backlog=1024)
            for n in range(1, HOSTS + 1)
        ]
        print(json.dumps([s.sockets[0].getsockname()[1] for s in servers]), flush=True)
        await loop.run_in_executor(None, sys.stdin.read)
        for server in servers:
            server.close()

    asyncio.run(main())


def make_urls(
    ports: list[int], mix: dict[str, int], total: int, tag: str, spread: tuple[str, ...] = ()
) -> list[str]:
    """`total` URLs in the proportions of `mix` over the hosts, in a shuffled order (fixed
    seed). Kinds in `spread` go to different hosts (one each while hosts last)."""
    shares = [kind for kind, share in mix.items() for _ in range(share)]
    kinds = [shares[i * len(shares) // total] for i in range(total)]
    rng = random.Random(7)
    rng.shuffle(kinds)
    kinds.sort(key=lambda kind: kind not in spread)
    urls = [
        f"http://127.0.0.{i % HOSTS + 1}:{ports[i % HOSTS]}/{kind}/{tag}{i}"
        for i, kind in enumerate(kinds)
    ]
    rng.shuffle(urls)
    return urls


# ------------------------------------------------------------------ the clients (own process)


async def plain_loop(urls: list[str], concurrency: int) -> list[int | None]:
    """The plain aiohttp loop the checker is measured against: HEAD, then GET on 405."""
    import aiohttp

    limit = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=10)

    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def one(url: str) -> int | None:
            async with limit:
                try:
                    async with session.head(url, allow_redirects=True) as response:
                        status = response.status
                    if status == 405:
                        async with session.get(url) as response:
                            status = response.status
                    return status
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    return None

        return await asyncio.gather(*(one(url) for url in urls))


def client(kind: str, urls_file: str, concurrency: int, per_host: int, delay: float) -> None:
    """Check the URLs in `urls_file` with one client; print seconds, peak memory, statuses."""
    urls = json.loads(Path(urls_file).read_text())
    start = time.perf_counter()
    if kind == "plain":
        statuses = [str(s) for s in asyncio.run(plain_loop(urls, concurrency))]
    else:
        from scopekit.links.checker import check_urls
        from scopekit.links.session import Settings

        settings = Settings(concurrency=concurrency, per_host=per_host, delay=delay)
        results = check_urls(urls, settings)
        statuses = [
            results[url].status.value + ("+soft404" if results[url].soft404 else "") for url in urls
        ]
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "statuses": statuses}))


def run_client(kind: str, urls: list[str], tmp: Path, **limits: float) -> dict:
    """Run one client in a fresh process and return what it printed."""
    urls_file = tmp / f"urls-{kind}.json"
    urls_file.write_text(json.dumps(urls))
    command = [sys.executable, __file__, "--client", kind, "--urls-file", str(urls_file)]
    for name, value in limits.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        sys.exit(f"{kind} client failed:\n{out.stderr}")
    return json.loads(out.stdout)


# ------------------------------------------------------------------ the figures


def throughput(ports: list[int], total: int, rounds: int, tmp: Path) -> None:
    limits = {"concurrency": 64, "per_host": 64, "delay": 0.0}
    times: dict[str, list[float]] = {"plain": [], "scopekit": []}
    peak = 0.0
    for round_ in range(rounds):
        for kind in ("plain", "scopekit"):
            urls = make_urls(ports, THROUGHPUT_MIX, total, f"t{round_}{kind}")
            out = run_client(kind, urls, tmp, **limits)
            times[kind].append(out["seconds"])
            if kind == "scopekit":
                peak = max(peak, out["peak_mb"])
    plain, ours = statistics.median(times["plain"]), statistics.median(times["scopekit"])
    rate = total / ours
    print(f"throughput: {total:,} URLs, 20 hosts, 20 ms per response, concurrency/per-host 64")
    print(f"  plain aiohttp loop  {plain:6.2f} s  {total / plain:7.0f} URLs/s")
    print(
        f"  scopekit checker    {ours:6.2f} s  {rate:7.0f} URLs/s   target >= 1,500: "
        f"{'yes' if rate >= 1500 else 'NO'}"
    )
    ratio = ours / plain
    verdict = "yes" if ratio <= 1.15 else "NO"
    print(f"  ratio scopekit/plain {ratio:.2f}x   target <= 1.15x: {verdict}")
    print(f"  peak memory {peak:.0f} MB   target < 150 MB: {'yes' if peak < 150 else 'NO'}")


def realistic(ports: list[int], total: int, tmp: Path) -> None:
    urls = make_urls(ports, REALISTIC_MIX, total, "r", spread=("slow",))
    kinds = [url.split("/")[3] for url in urls]
    out = run_client("scopekit", urls, tmp, concurrency=32, per_host=4, delay=0.05)
    wrong = [
        (url, status)
        for url, kind, status in zip(urls, kinds, out["statuses"])
        if status.split("+")[0] != EXPECTED[kind] or (kind == "home") != status.endswith("soft404")
    ]
    solo = max(
        run_client("scopekit", [urls[kinds.index(kind)] + "-alone"], tmp)["seconds"]
        for kind in ("slow", "limited")
    )
    over = out["seconds"] - solo
    print(f"realistic mix: {total:,} URLs with 2 s pages and 429 Retry-After: 1, default limits")
    print(f"  classified as expected: {total - len(wrong)}/{total}")
    print(f"  statuses: {dict(sorted(Counter(out['statuses']).items()))}")
    for url, status in wrong[:5]:
        print(f"    unexpected: {url} -> {status}")
    print(
        f"  wall {out['seconds']:.2f} s, slowest single URL alone {solo:.2f} s: "
        f"{over:+.2f} s   target <= +1 s: {'yes' if over <= 1 else 'NO'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=5000)
    parser.add_argument("--mix", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--urls-file", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=32, help=argparse.SUPPRESS)
    parser.add_argument("--per-host", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--delay", type=float, default=0.05, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    if args.client:
        client(args.client, args.urls_file, args.concurrency, args.per_host, args.delay)
        return
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        ports = json.loads(server.stdout.readline())
        with tempfile.TemporaryDirectory() as tmp:
            throughput(ports, args.urls, args.rounds, Path(tmp))
            realistic(ports, args.mix, Path(tmp))
    finally:
        server.stdin.close()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()

"""How fast is `scopekit add` of 20 pages, start-up included, against a plain fetch of them?

A loopback site on 127.0.0.1 serves 20 source pages (Open Graph, JSON-LD and Dublin Core
metadata, about 30 KB each, every answer 20 ms late). Each run starts a fresh process:

1. scopekit: `python -m scopekit add URL×20 --dir REVIEW` into a new copy of a review;
2. baseline: `python -c` importing aiohttp and fetching the same 20 pages at once, reading
   every body (no parsing, no writing): the least any tool doing this job must spend.

The median of the runs and the ratio are printed, with the target of issue 16 (< 2 s).

    python benchmarks/add_speed.py [--runs 5] [--pages 20]

Loopback only; bounded loops only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVIEW = ROOT / "tests" / "checks" / "clean"
LATENCY = 0.02
ENV = {**os.environ, "SCOPEKIT_TODAY": "2026-12-03", "NO_PROXY": "127.0.0.1"}
FILLER = "<p>" + "Social value in procurement. " * 1000 + "</p>"


def page(number: int) -> bytes:
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Social value report {number} | Coventry City Council</title>
<meta name="DC.creator" content="Coventry City Council">
<meta name="DC.date.modified" content="2023-10-{number % 28 + 1:02d}">
<meta property="og:title" content="Social value report {number}">
<meta property="og:site_name" content="Coventry City Council">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "WebPage",
"name": "Social value report {number}", "datePublished": "2023-10-01"}}</script>
</head><body>{FILLER}</body></html>""".encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        time.sleep(LATENCY)
        body = page(int(self.path.rsplit("/", 1)[-1] or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


BASELINE = """
import asyncio, sys, aiohttp
async def main(urls):
    async with aiohttp.ClientSession() as session:
        async def one(url):
            async with session.get(url) as response:
                return await response.read()
        bodies = await asyncio.gather(*(one(u) for u in urls))
    assert all(bodies)
asyncio.run(main(sys.argv[1:]))
"""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=ENV, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[:4]} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    ThreadingHTTPServer.request_queue_size = 128  # 20 connections at once: no SYN retries
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    urls = [f"http://127.0.0.1:{port}/reports/{n}" for n in range(1, args.pages + 1)]
    ours, plain = [], []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for run in range(args.runs + 1):  # the first round warms the caches
                folder = Path(tmp) / f"review-{run}"
                shutil.copytree(REVIEW, folder)
                add = [sys.executable, "-m", "scopekit", "add", *urls, "--dir", str(folder)]
                ours_time = timed(add)
                plain_time = timed([sys.executable, "-c", BASELINE, *urls])
                if run:
                    ours.append(ours_time)
                    plain.append(plain_time)
                added = (folder / "sources.yaml").read_text().count("  accessed: 2026-12-03")
                if added != args.pages:
                    sys.exit(f"only {added} of {args.pages} pages were added")
    finally:
        server.shutdown()
    ours_median, plain_median = statistics.median(ours), statistics.median(plain)
    verdict = "yes" if ours_median < 2.0 else "NO"
    print(f"plain aiohttp fetch of {args.pages} pages (baseline) {plain_median * 1000:7.0f} ms")
    print(
        f"scopekit add of {args.pages} pages              {ours_median * 1000:7.0f} ms"
        f"   ratio {ours_median / plain_median:.2f}x baseline   target < 2 s: {verdict}"
    )


if __name__ == "__main__":
    main()

"""A loopback web site for the link checker's tests, served on 127.0.0.x addresses.

Each path names a behaviour (`/ok`, `/status/404`, `/redirect/301/ok`, `/hang`, …). The
server counts the requests in flight per address, so tests can see the per-host limit held.
Nothing here reaches beyond the addresses the tests start it on.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HUGE = 50 * 1024 * 1024
CHUNK = 64 * 1024


class State:
    """What the servers saw: requests, hits per path, and the peak of requests in flight."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str, str, float]] = []
        self.hits: Counter[str] = Counter()
        self.in_flight: Counter[str] = Counter()
        self.peak: defaultdict[str, int] = defaultdict(int)
        self.peak_total = 0
        self.huge_sent = 0
        self.stop = threading.Event()
        # The Save Page Now stub: jobs by id, the captures asked for, its rules.
        self.jobs: dict[str, dict] = {}
        self.saves: list[tuple[str, float, str | None]] = []
        self.too_many = 0
        self.save_gap = 0.0  # a capture request sooner than this after the last: 429
        self.pending_polls = 1  # status answers "pending" this many times first
        self.keys: str | None = None  # the Authorization the stub insists on, if any
        self.wayback: str | None = None  # "none": the availability API has no copy

    def enter(self, host: str, method: str, path: str) -> int:
        with self.lock:
            self.requests.append((host, method, path, time.monotonic()))
            self.hits[path] += 1
            self.in_flight[host] += 1
            self.peak[host] = max(self.peak[host], self.in_flight[host])
            self.peak_total = max(self.peak_total, sum(self.in_flight.values()))
            return self.hits[path]

    def leave(self, host: str) -> None:
        with self.lock:
            self.in_flight[host] -= 1

    def methods(self, path: str) -> list[str]:
        """The methods of the requests for `path`, in order."""
        return [method for _, method, p, _ in self.requests if p == path]

    def times(self, path: str) -> list[float]:
        """When the requests for `path` came (time.monotonic), in order."""
        return [when for _, _, p, when in self.requests if p == path]


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.host = self.server.server_address[0]
            self.in_flight = True
            hit = state.enter(self.host, self.command, self.path)
            try:
                self.route(hit)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            finally:
                self.done()

        do_HEAD = do_GET

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            self.do_GET()

        def done(self) -> None:
            """Count the request as answered (before the answer leaves, so that the client's
            next request can never be seen while this one still counts)."""
            if self.in_flight:
                self.in_flight = False
                state.leave(self.host)

        def reply(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.done()
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def route(self, hit: int) -> None:
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            path = parts.path.strip("/").split("/")
            name, rest = path[0], path[1:]
            if "sleep" in query:
                state.stop.wait(float(query["sleep"]))
            if name in ("", "ok", "deep"):
                self.reply(200, b"<html><title>fine</title></html>", Content_Type="text/html")
            elif name == "status":
                self.reply(int(rest[0]), b"status page")
            elif name == "redirect":
                self.reply(int(rest[0]), Location="/" + "/".join(rest[1:]))
            elif name == "moved-home":
                self.reply(302, Location="/")
            elif name == "to":
                self.reply(301, Location=query["url"])
            elif name == "loop":
                self.reply(302, Location="/loop-b" if not rest else "/loop")
            elif name == "loop-b":
                self.reply(302, Location="/loop")
            elif name == "chain":
                hops = int(rest[0])
                self.reply(302, Location=f"/chain/{hops - 1}" if hops > 1 else "/ok")
            elif name == "no-head":
                if self.command == "HEAD":
                    self.reply(int(query.get("status", 405)))
                else:
                    self.reply(200, b"fine")
            elif name == "challenge":
                body = b"<title>Just a moment...</title> checking your browser"
                self.reply(int(query.get("status", 403)), body, cf_mitigated="challenge")
            elif name == "busy":
                after = query.get("after", "1")
                if hit <= int(query.get("times", 1)):
                    self.reply(int(query.get("status", 429)), b"slow down", Retry_After=after)
                else:
                    self.reply(200, b"fine")
            elif name == "hang":
                state.stop.wait(30)
            elif name == "huge":
                self.huge()
            elif name == "wayback":
                self.wayback(query)
            elif name == "save":
                self.save_page_now(rest)
            else:
                self.reply(404, b"not here")

        def huge(self) -> None:
            if self.command == "HEAD":
                self.reply(405)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            chunk = b"x" * CHUNK
            for _ in range(HUGE // CHUNK):
                self.wfile.write(chunk)
                state.huge_sent += CHUNK

        def save_page_now(self, rest: list[str]) -> None:
            """SPN2 as the archive documents it: POST /save → a job id, GET
            /save/status/JOB → pending, then success with the capture's timestamp."""
            if state.keys is not None and self.headers.get("Authorization") != state.keys:
                self.json(401, {"message": "You need to be logged in to use Save Page Now."})
            elif self.command == "POST":
                now = time.monotonic()
                url = self.form.get("url", "")
                with state.lock:
                    last = state.saves[-1][1] if state.saves else None
                    refused = last is not None and now - last < state.save_gap
                    if refused:
                        state.too_many += 1
                    else:
                        state.saves.append((url, now, self.headers.get("Authorization")))
                        job = f"spn2-{len(state.saves)}"
                        state.jobs[job] = {"url": url, "polls": 0}
                if refused:
                    self.json(429, {"message": "Too many requests"}, Retry_After="1")
                    return
                if "excluded" in url:
                    error = {"status": "error", "status_ext": "error:blocked-url"}
                    self.json(
                        200,
                        {
                            **error,
                            "message": "This URL is in the Wayback Machine's exclusion list.",
                        },
                    )
                else:
                    self.json(200, {"url": url, "job_id": job})
            elif rest[:1] == ["status"] and rest[1:2] and rest[1] in state.jobs:
                job = state.jobs[rest[1]]
                job["polls"] += 1
                if job["polls"] <= state.pending_polls:
                    self.json(200, {"status": "pending", "job_id": rest[1]})
                else:
                    stamp = "20261125093000"
                    answer = {"status": "success", "timestamp": stamp, "original_url": job["url"]}
                    self.json(200, {**answer, "job_id": rest[1]})
            else:
                self.json(404, {"status": "error", "message": "no such job"})

        def json(self, status: int, data: dict, **headers: str) -> None:
            self.reply(
                status, json.dumps(data).encode(), Content_Type="application/json", **headers
            )

        def wayback(self, query: dict[str, str]) -> None:
            url = query.get("url", "")
            if "missing" in url or state.wayback == "none":
                answer: dict = {"url": url, "archived_snapshots": {}}
            else:
                stamp = query.get("timestamp", "") + "000000"
                snapshot = f"http://web.archive.org/web/{stamp}/{url}"
                closest = {"available": True, "url": snapshot, "timestamp": stamp, "status": "200"}
                answer = {"url": url, "archived_snapshots": {"closest": closest}}
            self.reply(200, json.dumps(answer).encode(), Content_Type="application/json")

        def log_message(self, *args: object) -> None:
            pass

    return Handler


class LinkServer:
    """The site on one or more loopback addresses (`127.0.0.1`, `127.0.0.2`, …)."""

    def __init__(self, hosts: int = 1) -> None:
        self.state = State()
        handler = make_handler(self.state)
        self.servers = [
            ThreadingHTTPServer((f"127.0.0.{n}", 0), handler) for n in range(1, hosts + 1)
        ]
        for server in self.servers:
            server.daemon_threads = True
        self.threads = [
            threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
            for server in self.servers
        ]

    def url(self, path: str, host: int = 1) -> str:
        """The URL of `path` on the `host`-th address."""
        address, port = self.servers[host - 1].server_address[:2]
        return f"http://{address}:{port}/{path.lstrip('/')}"

    def __enter__(self) -> LinkServer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.stop.set()
        for server in self.servers:
            server.shutdown()
            server.server_close()


def closed_port_url(path: str = "") -> str:
    """A loopback URL where nothing listens (a port just freed): connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/{path}"

"""Servers the tests start on 127.0.0.1 (the tests touch no other network)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing.Self is Python 3.11's; the project runs on 3.10
    from typing_extensions import Self


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 and a free port, running while in a `with`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    @property
    def base(self) -> str:
        """`http://127.0.0.1:PORT`."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class RecordingServer(LoopbackServer):
    """A loopback HTTP server that records every request it receives."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorder = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorder.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            do_HEAD = do_GET

            def log_message(self, *args) -> None:
                pass

        super().__init__(Handler)

    def url(self, path: str) -> str:
        return f"{self.base}/{path}"

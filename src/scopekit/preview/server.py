"""The preview server: 127.0.0.1 only, pages from memory, server-sent events on `/events`.

One review: `/` is the briefing, `/pdf` and `/docx` its other formats (rendered on
request). A folder of reviews: `/` is the library page, `/NAME` each briefing and
`/NAME/pdf`, `/NAME/docx` its formats. A watcher thread polls every input and rebuilds what
changed; every open page hears the new build number on `/events` and refreshes itself.
"""

from __future__ import annotations

import errno
import socketserver
import threading
from collections.abc import Callable
from dataclasses import replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scopekit.build import find_reviews
from scopekit.errors import UsageError
from scopekit.preview.briefing import Briefing
from scopekit.preview.inject import Notice, inject, panel
from scopekit.preview.watch import Snapshot, changed, snapshot, touches
from scopekit.problems import Severity
from scopekit.render.library import LibraryRow, render_library
from scopekit.review import load_review

HOST = "127.0.0.1"
_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
Echo = Callable[[str], None]


class Preview:
    """A live preview of the review (or folder of reviews) in `folder`."""

    def __init__(
        self, folder: str | Path, port: int = 8000, interval: float = 0.1, echo: Echo | None = None
    ) -> None:
        self.folder = Path(folder)
        self.port = port
        self.interval = interval
        self.echo: Echo = echo or (lambda line: None)
        self.library = not (self.folder / "review.yaml").exists() and bool(
            find_reviews(self.folder)
        )
        self.briefings: dict[str, Briefing] = {}
        self.version = 0
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._serving = False

    @property
    def url(self) -> str:
        """Where the preview is served."""
        port = self._server.server_port if self._server else self.port
        return f"http://{HOST}:{port}/"

    def bind(self) -> str:
        """Build every page, take the port and start watching; the URL. Raises UsageError
        when the port is taken, ReviewUnreadable when the folder holds no review at all (a
        review.yaml that cannot be read is shown in the page instead)."""
        if not self.library and not (self.folder / "review.yaml").is_file():
            load_review(self.folder)  # raises the `unreadable` problem check would print
        try:
            self._server = _Server((HOST, self.port), _Handler, self)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                taken = "is in use" if exc.errno == errno.EADDRINUSE else "is not allowed"
                raise UsageError(
                    f"port {self.port} on {HOST} {taken}",
                    "choose another with --port N (--port 0 takes any free port)",
                ) from None
            raise
        self._refresh(None)
        watcher = threading.Thread(target=self._watch, name="scopekit-watch", daemon=True)
        watcher.start()
        self._threads.append(watcher)
        return self.url

    def serve_forever(self) -> None:
        """Answer requests until `close` (or Ctrl-C, which the caller catches)."""
        assert self._server is not None, "bind() first"
        self._serving = True
        self._server.serve_forever(poll_interval=0.2)

    def start(self) -> str:
        """`bind`, then serve from a background thread (for tests and the Python API)."""
        url = self.bind()
        self._serving = True  # so that `close` waits for the thread to stop serving
        thread = threading.Thread(target=self.serve_forever, name="scopekit-serve", daemon=True)
        thread.start()
        self._threads.append(thread)
        return url

    def close(self) -> None:
        """Stop watching and serving; open event streams end."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        if self._server is not None:
            if self._serving:
                self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=2)

    @property
    def stopped(self) -> bool:
        """Whether `close` was called."""
        return self._stop.is_set()

    def wait_for(self, version: int, timeout: float) -> bool:
        """Wait until the build number passes `version`; whether it did."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self.version > version or self._stop.is_set(), timeout
            )

    # the watcher

    def _roots(self) -> list[Path]:
        roots = [self.folder] if self.library else []
        for briefing in list(self.briefings.values()):
            roots.extend(briefing.roots)
        return roots

    def _watch(self) -> None:
        before: Snapshot = snapshot(self._roots())
        while not self._stop.wait(self.interval):
            after = snapshot(self._roots())
            paths = changed(before, after)
            before = after
            if paths:
                self._refresh(paths)

    def _refresh(self, paths: set[Path] | None) -> None:
        """Rebuild the briefings `paths` touch (all of them when None), find reviews added
        to or removed from a library, and tell the pages."""
        folders = find_reviews(self.folder) if self.library else [self.folder]
        names = {folder.resolve().name if self.library else "": folder for folder in folders}
        for name in set(self.briefings) - set(names):
            del self.briefings[name]
        for name, folder in names.items():
            briefing = self.briefings.get(name)
            if briefing is None:
                briefing = self.briefings[name] = Briefing(folder)
            elif paths is not None and not touches(paths, briefing.roots):
                continue
            self._rebuild(briefing)
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def _rebuild(self, briefing: Briefing) -> None:
        try:
            state = briefing.rebuild()
        except Exception as exc:  # a bug must not end the preview: say it, keep serving
            message = f"internal error: {type(exc).__name__}: {exc}"
            hint = "please report it; the page refreshes after the next change"
            briefing.state.notices = [Notice(Severity.ERROR, briefing.name, message, hint)]
            briefing.state.stale = briefing.state.html is not None
            self.echo(f"{briefing.name}: internal error: {type(exc).__name__}: {exc}")
            return
        errors = sum(n.severity is Severity.ERROR for n in state.notices)
        warnings = len(state.notices) - errors
        what = "kept the last good page" if state.stale else "rebuilt"
        if state.html is None:
            what = "not built"
        self.echo(
            f"{briefing.name}: {what} in {state.seconds * 1000:.0f} ms "
            f"({errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)})"
        )

    # pages

    def library_page(self) -> bytes:
        """The library page, linking each briefing and its PDF and DOCX."""
        rows, notices = [], []
        base = Path("/")
        for name, briefing in sorted(dict(self.briefings).items()):  # a copy: it may change
            state = briefing.state
            meta = state.document.review.meta if state.document else None
            formats = {"pdf": base / name / "pdf", "docx": base / name / "docx"}
            rows.append(
                LibraryRow(
                    title=state.title,
                    questions=meta.questions if meta else [],
                    published=meta.published.month_year() if meta and meta.published else "",
                    authors=[a.name for a in meta.authors if a.name] if meta else [],
                    outputs={"html": base / name} | (formats if state.html else {}),
                    error=None if state.html else "see the problems panel",
                )
            )
            notices += [replace(n, place=f"{name}/{n.place}") for n in state.notices]
        page = render_library(rows, base)
        return inject(page, panel(notices, self.version, False)).encode("utf-8")

    def find(self, path: str) -> tuple[Briefing | None, str]:
        """The briefing a request path names and what of it (`page`, `pdf`, `docx`)."""
        parts = [p for p in unquote(urlsplit(path).path).split("/") if p]
        if parts[-1:] == ["index.html"]:
            parts.pop()
        if not self.library:
            key, rest = "", parts
        elif not parts:
            return None, "library"
        else:
            key, rest = parts[0], parts[1:]
        what = rest[0] if rest else "page"
        if len(rest) > 1 or what not in ("page", *_TYPES):
            return None, "missing"
        return self.briefings.get(key), what


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type, preview: Preview) -> None:
        self.preview = preview
        super().__init__(address, handler)

    def server_bind(self) -> None:
        """Bind without HTTPServer's reverse DNS lookup of the host."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    def handle_error(self, request, client_address) -> None:
        """A browser that leaves mid-answer is no error; anything else is one line."""
        import sys

        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            self.preview.echo(f"request failed: {type(exc).__name__}: {exc}")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        preview = self.server.preview
        port = self.server.server_port
        if self.headers.get("Host") not in (f"{HOST}:{port}", f"localhost:{port}"):
            # a page elsewhere reaching 127.0.0.1 under its own name (DNS rebinding)
            message = f"Open the preview at http://{HOST}:{port}/\n".encode()
            self._send(message, "text/plain; charset=utf-8", HTTPStatus.MISDIRECTED_REQUEST)
            return
        if urlsplit(self.path).path == "/events":
            self._events(preview)
            return
        briefing, what = preview.find(self.path)
        if what == "library":
            self._send(preview.library_page(), "text/html; charset=utf-8")
        elif briefing is None:
            self._send(b"Not found\n", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
        elif what == "page":
            self._send(briefing.page(preview.version), "text/html; charset=utf-8")
        else:
            self._output(briefing, what)

    def _output(self, briefing: Briefing, what: str) -> None:
        try:
            data = briefing.output(what)
        except Exception as exc:  # shown in the browser, the preview goes on
            message = f"The {what.upper()} could not be made: {type(exc).__name__}: {exc}\n"
            self._send(message.encode(), "text/plain; charset=utf-8", HTTPStatus.CONFLICT)
            return
        if data is None:
            message = f"Nothing to make a {what.upper()} from yet: see the problems panel.\n"
            self._send(message.encode(), "text/plain; charset=utf-8", HTTPStatus.CONFLICT)
            return
        disposition = f'inline; filename="{briefing.name}.{what}"'
        self._send(data, _TYPES[what], extra={"Content-Disposition": disposition})

    def _send(
        self,
        data: bytes,
        kind: str,
        status: HTTPStatus = HTTPStatus.OK,
        extra: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _events(self, preview: Preview) -> None:
        """Server-sent events: the build number now, then each new one (a comment every
        15 s keeps the stream open), until the preview closes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        seen = -1
        while not preview.stopped:
            if preview.version != seen:
                seen = preview.version
                self.wfile.write(f"retry: 500\ndata: {seen}\n\n".encode())
            else:
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()
            preview.wait_for(seen, 15.0)

    def log_message(self, format: str, *args: object) -> None:
        """Requests are not logged: the terminal shows the rebuilds."""

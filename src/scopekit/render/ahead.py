"""A writer started ahead in a second process, so that its import overlaps the rest of a build.

WeasyPrint alone takes about half a second to import, and a PDF longer to lay out than the
rest of a build takes altogether. `Ahead("pdf")` forks a process at once that imports the
PDF writer's modules and waits for the Document; `build` meanwhile loads, checks and cites
the review, makes the PDF's print page (its HTML, fonts and missing glyphs) and sends it
with the Document (`send`), renders HTML and DOCX, then collects the PDF (`result`). The
bytes are those the writer makes in-process: the worker runs the very same code on exact
copies (pickled) of the Document and the print page.

A build with no PDF renders its DOCX ahead the same way (`Ahead("docx")`), and that worker
is sent the loaded Review, not the Document: it imports citeproc and python-docx while this
process imports the command line and loads the review, then cites and renders while this
process checks (formats.ahead_format chooses the format). Started by the console script for
a review folder, it does not wait for the review: it loads the folder itself, while this
process is still importing the command line, and cites and renders it. This process then
sends only the fingerprint of the inputs it loaded (`Loaded`); the worker's output is taken
when its own fingerprint is the same (and no earlier DOCX is to be compared), else it is
sent the review after all and renders that.

Only where forking is safe: Linux (or another POSIX system but macOS) and a process running
no other thread. Anything unusual in the worker (it died, it raised) and `result` renders in
this process instead, so errors surface exactly as without the worker.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
from typing import TYPE_CHECKING, NamedTuple

from scopekit.early import adopt, can_fork, fork

if TYPE_CHECKING:
    from collections.abc import Callable
    from multiprocessing.connection import Connection

    from scopekit.render import Document
    from scopekit.render.writers import Output
    from scopekit.review import Review

__all__ = [
    "CITES_ITSELF",
    "PRELOAD",
    "WORK",
    "Ahead",
    "Loaded",
    "can_fork",
    "ignore_interrupts",
    "work",
]

# The worker's function, for scopekit.early.fork.
WORK = "scopekit.render.ahead:work"

# What each format's worker imports before its work arrives; "module:function" also calls
# the function (WeasyPrint's C declarations from the cache, before its import).
PRELOAD = {
    "pdf": ("scopekit.render.weasy_ffi:preload", "weasyprint", "scopekit.render.pdf"),
    "docx": ("citeproc", "docx", "scopekit.render.docx"),
}

# Formats whose worker is sent the loaded Review and cites it itself (citeproc runs there,
# while this process checks); the PDF's is sent the Document and its print page, which this
# process makes anyway for the HTML beside it.
CITES_ITSELF = frozenset({"docx"})


class Loaded(NamedTuple):
    """What this process sends a worker that loaded the review itself: the folder it loaded
    (resolved: the worker may have read another from the command line), the fingerprint of
    the inputs, and whether the output is the plain one (no earlier DOCX to compare)."""

    root: str
    fingerprint: str
    plain: bool


def _prepare(name: str, review: Review, doc: Document | None, earlier: object) -> object:
    """What this process sends the worker: (Review, earlier DOCX) for a format that cites
    itself, else (Document, print page)."""
    if name in CITES_ITSELF:
        return review, earlier
    from scopekit.render.pdf import print_page

    assert doc is not None
    return doc, print_page(doc)


def _render(name: str, sent: object) -> Output:
    """The worker's rendering, from what `_prepare` made."""
    from scopekit.render.writers import WRITERS, Output

    if name in CITES_ITSELF:
        from scopekit.render import build_document

        review, earlier = sent  # type: ignore[misc]
        doc = build_document(review)
        doc.earlier = earlier
        return WRITERS[name].render(doc)
    from scopekit.render import pdf

    doc, page = sent  # type: ignore[misc]
    data, warnings = pdf.render_pdf(doc, page)
    return Output(data, warnings)


def work(name: str, conn: Connection, folder: str | None = None) -> None:
    """The worker: import the writer's modules, render what it is sent, send back
    ("ok", Output) or ("failed", None). Nothing is sent for a cancelled job. Ctrl-C is the
    parent's to handle (it stops the worker), so the worker never prints a traceback.

    Given the review `folder` (a format that cites itself), it renders that review before
    it is sent anything (`_guess`), and is then sent `Loaded`: it answers with its output,
    or with ("again", None) and renders the review it is sent next.

    The garbage collector waits until the work is in: imports and unpickling make next
    to no garbage, and collecting during them costs some 40 ms; what they made is then
    frozen (never scanned again) before the layout."""
    ignore_interrupts()
    gc.disable()
    for step in PRELOAD.get(name, ()):
        module, _, function = step.partition(":")
        try:
            loaded = importlib.import_module(module)
            if function:
                getattr(loaded, function)()
        except ImportError:
            break  # the render below fails alike, and `result` renders in-process
    guess = _guess(name, folder) if folder is not None and name in CITES_ITSELF else None
    try:
        sent = conn.recv()
        if isinstance(sent, Loaded):
            if guess is not None and sent == guess[0]:
                conn.send(("ok", guess[1]))
                return
            conn.send(("again", None))
            sent = conn.recv()
    except (EOFError, OSError):  # the parent is gone, or needs nothing
        return
    finally:
        gc.freeze()
        gc.enable()
    try:
        output = _render(name, sent)
    except BaseException:  # the parent renders again and raises it there
        output = None
    with contextlib.suppress(OSError):  # the parent is gone
        conn.send(("ok", output) if output is not None else ("failed", None))


def _guess(name: str, folder: str) -> tuple[Loaded, Output] | None:
    """The review in `folder` loaded, cited and rendered here, and what the build must have
    loaded for it to be the build's output; None if anything goes wrong (the build then
    sends the review it loaded)."""
    from pathlib import Path

    from scopekit.fingerprint import input_fingerprint
    from scopekit.review import load_review

    try:
        review = load_review(Path(folder))
        fingerprint = input_fingerprint(review, review.root / "build")
        gc.freeze()
        gc.enable()
        loaded = Loaded(str(review.root.resolve()), fingerprint, True)
        return loaded, _render(name, (review, None))
    except Exception:
        return None
    finally:
        gc.disable()


def ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C to the parent, which ends its workers."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Ahead:
    """One format rendered in a forked worker; `result` falls back to rendering here."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._sent = False
        self._later: tuple[Review, object] | None = None  # for a worker that guessed wrong
        started = adopt(name)
        worker, folder = started or (fork(WORK, name), None)
        self._conn, self._process = worker or (None, None)
        self._loads_itself = folder is not None and name in CITES_ITSELF

    def send(
        self,
        review: Review,
        doc: Document | None,
        earlier: object = None,
        fingerprint: str | None = None,
    ) -> None:
        """Give the worker its work (once): the loaded `review` and the `earlier` DOCX to
        show changes since, or the Document `doc`, as `CITES_ITSELF` says; to a worker that
        loaded the review itself, the `fingerprint` of this process's inputs first. Should
        that fail, `result` renders in this process, and raises there whatever went wrong."""
        if self._conn is None or self._sent:
            return
        if doc is None and self.name not in CITES_ITSELF:
            return
        self._sent = True
        try:
            if self._loads_itself and fingerprint is not None:
                self._later = (review, earlier)
                root = str(review.root.resolve())
                self._conn.send(Loaded(root, fingerprint, earlier is None))
            else:
                self._conn.send(_prepare(self.name, review, doc, earlier))
        except Exception:
            self.close()

    def result(self, document: Callable[[], Document]) -> Output:
        """The rendered output: the worker's, or, failing it, rendered in this process from
        `document()` (the Document, as the worker would have made it)."""
        from scopekit.render.writers import WRITERS

        conn, self._conn = self._conn, None
        if not self._sent:
            conn = None
        try:
            if conn is not None:
                status, output = conn.recv()
                if status == "again" and self._later is not None:
                    review, earlier = self._later
                    conn.send(_prepare(self.name, review, None, earlier))
                    status, output = conn.recv()
                if status == "ok":
                    return output
        except (EOFError, OSError):
            pass
        finally:
            if conn is not None:
                conn.close()
            self.close(wait=1.0)
        return WRITERS[self.name].render(document())

    def close(self, wait: float = 0.0) -> None:
        """End the worker: let it exit for up to `wait` seconds, then stop it (a job not
        needed after all is stopped at once)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        process, self._process = self._process, None
        if process is not None:
            process.join(wait)
            if process.is_alive():
                process.terminate()
                process.join()

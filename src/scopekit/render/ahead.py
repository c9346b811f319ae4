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
a review folder, the worker is sent the review sooner: the console script loads it before
the command line is imported, cites it, and sends the Document at once (`preload`), so
the worker renders it while this process imports the command line and checks; the build
then takes that very Review (`Ahead.preloaded`) and tells the worker to send its output
(`TAKE`), or, for another folder or with an earlier DOCX to compare, sends the review as
above.

Only where forking is safe: Linux (or another POSIX system but macOS) and a process running
no other thread. Anything unusual in the worker (it died, it raised) and `result` renders in
this process instead, so errors surface exactly as without the worker.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import time
from typing import TYPE_CHECKING, NamedTuple

from scopekit import early
from scopekit.early import can_fork

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from scopekit.early import Channel
    from scopekit.render import Document
    from scopekit.render.writers import Output
    from scopekit.review import Review
    from scopekit.theme import Theme

__all__ = [
    "CITES_ITSELF",
    "PRELOAD",
    "TAKE",
    "WORK",
    "Ahead",
    "Preloaded",
    "can_fork",
    "ignore_interrupts",
    "preload",
    "work",
]

# The worker's function, for scopekit.early.fork.
WORK = "scopekit.render.ahead:work"

# What each format's worker imports before its work arrives; "module:function" also calls
# the function (WeasyPrint's C declarations from the cache, before its import).
PRELOAD = {
    "pdf": ("scopekit.render.weasy_ffi:preload", "weasyprint", "scopekit.render.pdf"),
    # no citeproc: the console script sends the DOCX's worker a cited Document; a worker
    # sent a Review imports it as it cites
    "docx": ("docx", "scopekit.render.docx"),
}

# Formats whose worker is sent the loaded Review and cites it itself (citeproc runs there,
# while this process checks); the PDF's is sent the Document and its print page, which this
# process makes anyway for the HTML beside it.
CITES_ITSELF = frozenset({"docx"})


class Preloaded(NamedTuple):
    """The review the console script loaded, cited and sent the worker before the build
    began: its Document, with no earlier DOCX."""

    document: Document


class Template(NamedTuple):
    """What the console script sends the DOCX's worker before the preloaded Document: the
    house style and language, whose styled template the worker opens while it waits."""

    theme: Theme
    language: str


# What the build sends a worker it preloaded when the output is the build's: the very
# Review the build checked, with no earlier DOCX to compare.
TAKE = "take"

# The Document each format's worker was preloaded with, and when its review began to be
# loaded (`time.time_ns()`), for the build to adopt.
_preloaded: dict[str, tuple[Document, int]] = {}


def preload(name: str, folder: str) -> None:
    """In the console script, after `early.start`: load and cite the review in `folder`
    and send its Document to `name`'s worker, to render while the command line is
    imported (citing here, the worker's chain is shorter by citeproc's work). Nothing happens
    for a format that does not cite itself, or when the review cannot be loaded or cited
    (the build loads it again and says what is wrong).

    The reference cache is written by the build that takes the review, once its check lets
    it go ahead (`notes.save_cache`): off both chains, and not at all after a usage error.
    The build fingerprints the inputs from when the preload began to load them
    (`Ahead.loaded_at`): a file saved while the build runs makes the next build render
    anew, never an old DOCX recorded as up to date."""
    worker = early.started(name)
    if worker is None or name not in CITES_ITSELF:
        return
    from pathlib import Path

    from scopekit.render import build_document
    from scopekit.review import load_review
    from scopekit.theme import review_theme

    loaded_at = time.time_ns()
    try:
        review = load_review(Path(folder))
        theme = review_theme(review)
        worker[0].send(Template(theme, review.meta.language))  # opened while this cites
        document = build_document(review, save_cache=False, theme=theme)
        worker[0].send(Preloaded(document))
    except Exception:
        return
    _preloaded[name] = document, loaded_at


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

    if isinstance(sent, Preloaded):
        return WRITERS[name].render(sent.document)
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


def work(name: str, conn: Channel) -> None:
    """The worker: import the writer's modules, render what it is sent, send back
    ("ok", Output) or ("failed", None). Nothing is sent for a cancelled job. Ctrl-C is the
    parent's to handle (it stops the worker), so the worker never prints a traceback.

    Sent `Preloaded` first, it renders that Document at once, then is sent `TAKE` (its
    output is the build's) or the review to render instead.

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
    try:
        sent = conn.recv()
        if isinstance(sent, Template):
            _open_ahead(name, sent)
            sent = conn.recv()
        if isinstance(sent, Preloaded):
            gc.freeze()
            gc.enable()
            early_output = _output(name, sent)
            sent = conn.recv()
            if sent == TAKE:
                output = early_output
                sent = None
    except (EOFError, OSError):  # the parent is gone, or needs nothing
        return
    finally:
        gc.freeze()
        gc.enable()
    if sent is not None:
        output = _output(name, sent)
    with contextlib.suppress(OSError):  # the parent is gone
        conn.send(("ok", output) if output is not None else ("failed", None))


def _open_ahead(name: str, template: Template) -> None:
    """Open the DOCX's styled template before its Document arrives (any failure: the
    render opens it itself)."""
    if name == "docx":
        with contextlib.suppress(Exception):
            from scopekit.render.docx.template import open_ahead

            open_ahead(template.theme, template.language)


def _output(name: str, sent: object) -> Output | None:
    """`_render`'s output, or None if it raised (the parent renders again and raises it)."""
    try:
        return _render(name, sent)
    except BaseException:
        return None


def ignore_interrupts() -> None:
    """In a worker process: leave Ctrl-C to the parent, which ends its workers."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class Ahead:
    """One format rendered in a forked worker; `result` falls back to rendering here."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._sent = False
        worker = early.adopt(name)
        # the Document the console script sent this worker, if it was started there
        preloaded = _preloaded.pop(name, None) if worker is not None else None
        self._preloaded, self.loaded_at = preloaded or (None, None)
        self._conn, self._process = worker or early.fork(WORK, name) or (None, None)

    def preloaded(self, root: Path) -> Review | None:
        """The review in `root` as the console script loaded it and sent the worker, for the
        build to check and write from (so that the worker's output is the build's); None if
        the worker was preloaded with none, or with another folder's. Its loading began at
        `loaded_at`."""
        if self._preloaded is None:
            return None
        review = self._preloaded.review
        return review if review.root.resolve() == root.resolve() else None

    def preloaded_document(self, review: Review) -> Document | None:
        """The Document the console script made of `review` (the preloaded one), for the
        other formats of the build to render from; None for any other review."""
        document = self._preloaded
        return document if document is not None and document.review is review else None

    def send(self, review: Review, doc: Document | None, earlier: object = None) -> None:
        """Give the worker its work (once): the loaded `review` and the `earlier` DOCX to
        show changes since, or the Document `doc`, as `CITES_ITSELF` says; to a worker
        preloaded with this very `review`, and no `earlier`, only `TAKE`. Should that fail,
        `result` renders in this process, and raises there whatever went wrong."""
        if self._conn is None or self._sent:
            return
        if doc is None and self.name not in CITES_ITSELF:
            return
        self._sent = True
        try:
            if self.preloaded_document(review) is not None and earlier is None:
                self._conn.send(TAKE)
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

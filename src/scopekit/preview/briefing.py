"""One review rebuilt in memory: load → check → cite → HTML, as `build --format html` does
(rendered even with errors, as with `--force`), keeping the last good page when a file
cannot be read or the page cannot be rendered. Nothing is written into the review folder."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from scopekit.checks import check_review
from scopekit.errors import ReviewUnreadable, ScopekitError
from scopekit.isodates import today
from scopekit.preview.inject import Notice, bare_page, inject, panel
from scopekit.problems import Problem, Severity
from scopekit.render import Document, build_document
from scopekit.render.writers import WRITERS
from scopekit.review import Review, load_review
from scopekit.review.markdown import ParsedMarkdown, keeping_parses


@dataclass
class State:
    """What the last rebuild left: the last good page (as `build` writes it), the problems to
    show, whether the page is older than the files, and how long the rebuild took."""

    html: bytes | None = None
    document: Document | None = None
    notices: list[Notice] = field(default_factory=list)
    stale: bool = False
    seconds: float = 0.0
    title: str = ""


class Briefing:
    """A review folder served as a live page (and, on request, as PDF or DOCX)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = folder.resolve().name
        self.state = State(title=self.name)
        self.roots: list[Path] = [folder]  # the folders and files whose change rebuilds it
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()
        self._outputs: dict[str, tuple[int, bytes]] = {}  # format → (build number, bytes)
        self._builds = 0
        self._parses: dict[str, ParsedMarkdown] = {}  # Markdown text → its parse

    def rebuild(self) -> State:
        """Read the folder again and render the page; keep the last good page on failure."""
        start = time.perf_counter()
        state = State(html=self.state.html, document=self.state.document, title=self.name)
        try:
            with keeping_parses(self._parses):  # only the files that changed are parsed
                review = load_review(self.folder)
        except ReviewUnreadable as exc:
            state.notices = [self._notice(exc.problem)]
            state.stale = state.html is not None
        else:
            state.title = review.meta.title or self.name
            self.roots = input_roots(review)
            problems = check_review(review, today())
            state.notices = [self._notice(p) for p in problems]
            try:
                document = build_document(review, save_cache=False)
                output = WRITERS["html"].render(document)
            except ScopekitError as exc:
                state.notices.append(Notice(Severity.ERROR, self.name, exc.message, exc.hint))
                state.stale = state.html is not None
            else:
                state.html, state.document = output.data, document
                state.notices += [
                    Notice(Severity.WARNING, self.name, text) for text in output.warnings
                ]
        state.seconds = time.perf_counter() - start
        with self._lock:
            self.state = state
            if not state.stale:
                self._builds += 1
        return state

    def page(self, version: int) -> bytes:
        """The page to serve: the built HTML with the serve block (problems, live reload)."""
        state = self.state
        block = panel(state.notices, version, state.stale)
        if state.html is None:
            return bare_page(state.title, block).encode("utf-8")
        return inject(state.html.decode("utf-8"), block).encode("utf-8")

    def output(self, name: str) -> bytes | None:
        """The last good document as `pdf` or `docx`, rendered once per rebuild on request
        (the page keeps being rebuilt meanwhile)."""
        with self._render_lock:
            with self._lock:
                document, builds = self.state.document, self._builds
                kept = self._outputs.get(name)
            if document is None:
                return None
            if kept and kept[0] == builds:
                return kept[1]
            data = WRITERS[name].render(document).data
            with self._lock:
                self._outputs[name] = (builds, data)
            return data

    def _notice(self, problem: Problem) -> Notice:
        where = problem.file or self.name
        if problem.file and problem.line:
            where = f"{problem.file}:{problem.line}"
        return Notice.of(problem, where)


def input_roots(review: Review) -> list[Path]:
    """Everything the page is made from: the review folder (sections, YAML files, images,
    files added later), the house style's folder and the default style it falls back on,
    and the citation style's file wherever it is."""
    from scopekit.cite import resolve_style
    from scopekit.theme import default_house_style, resolve_house_style

    roots = [review.root]
    with contextlib.suppress(ScopekitError):
        roots.append(resolve_house_style(review.meta.house_style, review.root))
    roots.append(default_house_style())
    with contextlib.suppress(ScopekitError):
        roots.append(resolve_style(review.meta.citation_style, review.root))
    return roots

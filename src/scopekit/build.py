"""`scopekit build`: load → check → cite → render → write, top to bottom.

`build_review` is the Python API's entry point; the CLI only parses options and prints. A
"library" here is always a folder of reviews built together (`build_library`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from scopekit.atomic import Manifest, remove_stray_temporaries, uninterrupted, write_atomic
from scopekit.checks import Report, check_review
from scopekit.errors import BuildBlocked, ChangedByHand, OutputError, ScopekitError
from scopekit.fingerprint import input_fingerprint
from scopekit.formats import ahead_format
from scopekit.notes import save_cache
from scopekit.problems import Severity
from scopekit.render import Document, build_document
from scopekit.render.ahead import CITES_ITSELF, Ahead
from scopekit.render.writers import WRITERS, Output
from scopekit.review import Review, load_review

if TYPE_CHECKING:
    from scopekit.render.library import LibraryRow

# Warnings that stop a build all the same (unless --force): changes not yet accepted.
BLOCKING_WARNINGS = frozenset({"pending-change"})


@dataclass
class Written:
    """One output of a build."""

    format: str
    path: Path
    seconds: float
    warnings: list[str] = field(default_factory=list)
    reused: bool = False


@dataclass
class BuildResult:
    """What a build did: the check report, the files written and those kept (hand-edited)."""

    report: Report
    written: list[Written] = field(default_factory=list)
    kept: list[ChangedByHand] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether every requested output was written."""
        return not self.kept


Progress = Callable[[Written], None]


def build_review(
    folder: str | Path,
    formats: Sequence[str] = tuple(WRITERS),
    out_dir: str | Path | None = None,
    force: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    on_checked: Callable[[Report], None] | None = None,
    changes_since: str | Path | None = None,
) -> BuildResult:
    """Build the review in `folder` into `out_dir` (default `folder/build`); with
    `changes_since` (an earlier DOCX scopekit built) the DOCX shows every difference from it
    as a tracked change.

    Raises ReviewUnreadable, DocumentUnreadable (`changes_since` is no scopekit DOCX),
    BuildBlocked (errors and not `force`) or OutputError.
    """
    chosen = list(dict.fromkeys(formats))
    # the PDF's (or else the DOCX's) worker starts importing its writer now, while this
    # process loads and checks
    worker = ahead_format(chosen)
    ahead = Ahead(worker) if worker else None
    try:
        return _build(
            Path(folder), chosen, out_dir, force, today, progress, on_checked, changes_since, ahead
        )
    finally:
        if ahead is not None:
            ahead.close()


def _build(
    root: Path,
    formats: list[str],
    out_dir: str | Path | None,
    force: bool,
    today: date | None,
    progress: Progress | None,
    on_checked: Callable[[Report], None] | None,
    changes_since: str | Path | None,
    ahead: Ahead | None,
) -> BuildResult:
    """`build_review`'s work, with one format rendered by `ahead` when it is given."""
    # the review as the console script loaded it for the DOCX's worker, or loaded here
    preloaded = ahead.preloaded(root) if ahead is not None else None
    loaded_at = ahead.loaded_at if preloaded is not None and ahead is not None else time.time_ns()
    review = preloaded or load_review(root)
    earlier = None
    if changes_since is not None:
        from scopekit.merging.record import as_earlier, not_this_review, read_record

        record, styles = read_record(Path(changes_since))
        not_this_review(Path(changes_since), record, review.meta.title or "", root)
        earlier = (record.id, as_earlier(record, styles))
    target = Path(out_dir) if out_dir is not None else root / "build"
    manifest = Manifest(root)
    fingerprint = input_fingerprint(review, target, loaded_at)
    paths = {name: target / f"{review.name}{WRITERS[name].format.extension}" for name in formats}
    since = {name: earlier if name == "docx" else None for name in formats}
    inputs = {  # the DOCX with tracked changes is another output than the plain one
        name: fingerprint + (f":changes-since:{since[name][0]}" if since[name] else "")
        for name in formats
    }
    plan = {}  # format -> "reused", "kept" or "render", decided before anything is written
    for name, path in paths.items():
        if not force and manifest.up_to_date(path, inputs[name]):
            plan[name] = "reused"
        elif not force and manifest.changed_by_hand(path):
            plan[name] = "kept"
        else:
            plan[name] = "render"
    if ahead is not None and plan.get(ahead.name) != "render":
        ahead.close()
        ahead = None

    def earlier_of(name: str) -> object:
        return since[name][1] if since[name] else None

    # The worker starts on its format while this process checks; its output is dropped
    # should the check stop the build.
    document = _send_ahead(ahead, review, earlier_of) if ahead is not None else None
    if ahead is not None and document is None:  # the console script's, if it made one
        document = ahead.preloaded_document(review)
    report = Report(root, check_review(review, today or date.today()))
    blocking = [
        p for p in report.problems if p.severity is Severity.ERROR or p.code in BLOCKING_WARNINGS
    ]
    if blocking and not force:
        raise BuildBlocked(report, blocking)
    if on_checked:
        on_checked(report)
    result = BuildResult(report)
    if preloaded is not None:  # its reference cache waited until the build went ahead
        save_cache(review)
    remove_stray_temporaries(target, [f"{path.name}." for path in paths.values()])
    rendered: dict[str, tuple[Output, float]] = {}

    def the_document(name: str) -> Document:
        """The Document, made once, with `name`'s earlier DOCX (only a DOCX shows changes)."""
        nonlocal document
        document = document or build_document(review)
        document.earlier = earlier_of(name)
        return document

    def render(name: str) -> tuple[Output, float]:
        if name not in rendered:
            if ahead is not None and name == ahead.name:
                for other in formats:  # render the rest before waiting for the worker
                    if other != name and plan[other] == "render":
                        render(other)
            start = time.perf_counter()
            if ahead is not None and name == ahead.name:
                output = ahead.result(lambda: the_document(name))
            else:
                output = WRITERS[name].render(the_document(name))
            rendered[name] = (output, time.perf_counter() - start)
        return rendered[name]

    for name in formats:
        path = paths[name]
        if plan[name] == "reused":
            done = Written(name, path, 0.0, reused=True)
        elif plan[name] == "kept":
            result.kept.append(ChangedByHand(path, root))
            continue
        else:
            output, seconds = render(name)
            start = time.perf_counter()
            with uninterrupted():  # a Ctrl-C waits until the manifest knows the output
                write_atomic(path, output.data)
                if output.record is not None:
                    keep_record(root, output.record)
                manifest.record(path, output.data, inputs[name])
                manifest.save()
            done = Written(name, path, seconds + time.perf_counter() - start, output.warnings)
        result.written.append(done)
        if progress:
            progress(done)
    return result


def _send_ahead(
    ahead: Ahead, review: Review, earlier_of: Callable[[str], object]
) -> Document | None:
    """Start `ahead`'s worker before the check: send it the review to cite itself, or the
    Document made here (returned). None when none is made: the worker cites, or the review
    is one the check will stop (the build then makes it after the check, and any error
    surfaces there, as without a worker)."""
    document = None
    if ahead.name not in CITES_ITSELF:
        try:
            document = build_document(review)
        except Exception:
            return None
        document.earlier = earlier_of(ahead.name)  # only a DOCX shows tracked changes
    ahead.send(review, document, earlier_of(ahead.name))
    return document


RECORDS = Path(".scopekit") / "records"


def keep_record(root: Path, record: bytes) -> None:
    """Keep a DOCX build record in `.scopekit/records/`: under its id (so a colleague's
    copy of any build can still be merged) and as `latest.json`."""
    import json

    folder = root / RECORDS
    build_id = str(json.loads(record).get("id", "unknown"))
    write_atomic(folder / f"{build_id}.json", record)
    write_atomic(folder / "latest.json", record)


def find_reviews(folder: Path) -> list[Path]:
    """The review folders (holding review.yaml) below `folder`, by name; build/ and hidden
    folders are skipped, and a review's own subfolders are not searched."""
    found: list[Path] = []

    def walk(directory: Path, depth: int) -> None:
        try:
            children = sorted(p for p in directory.iterdir() if p.is_dir())
        except OSError:
            return
        for child in children:
            if child.name.startswith(".") or child.name == "build":
                continue
            if (child / "review.yaml").is_file():
                found.append(child)
            elif depth < 3:
                walk(child, depth + 1)

    walk(folder, 1)
    return found


@dataclass
class LibraryEntry:
    """One review of a library build: what it is, and its outputs or why it failed."""

    folder: Path
    title: str
    questions: list[str]
    published: str
    authors: list[str]
    outputs: dict[str, Path] = field(default_factory=dict)
    error: ScopekitError | None = None
    result: BuildResult | None = None

    def row(self) -> LibraryRow:
        """The entry as the library page lists it."""
        from scopekit.render.library import LibraryRow  # a library's only: jinja's markupsafe

        return LibraryRow(
            self.title,
            self.questions,
            self.published,
            self.authors,
            self.outputs,
            self.error.message if self.error else None,
        )


@dataclass
class LibraryResult:
    """What a library build did: each review's entry, the library page, and the page itself
    when it was changed by hand and so kept."""

    entries: list[LibraryEntry]
    index: Path
    index_kept: ChangedByHand | None = None


def build_library(
    folder: str | Path,
    formats: Sequence[str] = tuple(WRITERS),
    out_dir: str | Path | None = None,
    force: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    on_checked: Callable[[Path, Report], None] | None = None,
) -> LibraryResult:
    """Build every review below `folder` into `out_dir` (default `folder/build`), then write
    the library page `index.html` there. One review's failure does not stop the others."""
    root = Path(folder)
    target = Path(out_dir) if out_dir is not None else root / "build"
    entries: list[LibraryEntry | None] = []
    jobs: list[_Job] = []
    named: dict[str, Path] = {}  # outputs are named after the review folder
    for review_folder in find_reviews(root):
        name = review_folder.resolve().name
        clash = named.get(name.casefold())  # case-blind, as on Windows and macOS disks
        error = None
        if clash is not None:
            error = OutputError(
                f"its outputs would overwrite those of {clash}: both folders are named '{name}'",
                "rename one of the two folders (outputs are named after the review folder)",
            )
        elif name.casefold() == "index" and "html" in formats:
            error = OutputError(
                "its HTML would overwrite the library page, index.html",
                "rename the folder (outputs are named after the review folder)",
            )
        if error is not None:
            entry = _library_entry(review_folder)
            entry.error = error
            entries.append(entry)
            continue
        named[name.casefold()] = review_folder
        entries.append(None)  # built by a job
        jobs.append(_Job(review_folder, tuple(formats), target, force, today))
    done = iter(_run_jobs(jobs))
    for position, entry in enumerate(entries):
        if entry is None:
            entry, checked, written = next(done)
            entries[position] = entry
            if checked is not None and on_checked:  # what the job's build said, in order
                on_checked(entry.folder, checked)
            for one in written if progress else ():
                progress(one)
    built = [entry for entry in entries if entry is not None]
    index = target / "index.html"
    manifest = Manifest(root)
    if not force and manifest.changed_by_hand(index):
        return LibraryResult(built, index, ChangedByHand(index))
    from scopekit.render.library import render_library

    data = render_library([entry.row() for entry in built], target).encode("utf-8")
    remove_stray_temporaries(target, [f"{index.name}."])
    write_atomic(index, data)
    manifest.record(index, data)
    manifest.save()
    return LibraryResult(built, index)


@dataclass(frozen=True)
class _Job:
    """One review of a library to build."""

    folder: Path
    formats: tuple[str, ...]
    target: Path
    force: bool
    today: date | None


_Done = tuple[LibraryEntry, Report | None, list[Written]]


def _build_job(job: _Job) -> _Done:
    """Build one review of a library: its entry, the report its build checked (None when
    blocked or unreadable) and what it wrote, for the caller to print in order."""
    entry = _library_entry(job.folder)
    checked: list[Report] = []
    written: list[Written] = []
    try:
        entry.result = build_review(
            job.folder,
            job.formats,
            job.target,
            force=job.force,
            today=job.today,
            progress=written.append,
            on_checked=checked.append,
        )
        entry.outputs = {w.format: w.path for w in entry.result.written}
        for kept in entry.result.kept:
            entry.outputs[kept.path.suffix.lstrip(".")] = kept.path
    except ScopekitError as exc:
        entry.error = exc
    return entry, (checked[0] if checked else None), written


def _run_jobs(jobs: list[_Job]) -> Iterator[_Done]:
    """Each job's outcome, in order: built by a pool of forked processes, one per core, when
    there are several jobs and cores (each keeps its imports, WeasyPrint's too, for its next
    review), else one after the other here. A job whose outcome cannot come back (it could
    not be pickled, the worker died) is built here again."""
    from scopekit.render.ahead import can_fork, ignore_interrupts

    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2 or not can_fork():
        yield from map(_build_job, jobs)
        return
    import multiprocessing
    import sys

    for stream in (sys.stdout, sys.stderr):  # buffered text must not be written twice
        stream.flush()
    with multiprocessing.get_context("fork").Pool(workers, ignore_interrupts) as pool:
        outcomes = pool.imap(_build_job, jobs)
        for job in jobs:
            try:
                yield next(outcomes)
            except Exception:  # the outcome was lost: build it here
                yield _build_job(job)


def _library_entry(folder: Path) -> LibraryEntry:
    """Title, questions, date and authors of a review, as far as it can be read."""
    try:
        meta = load_review(folder).meta
    except ScopekitError:
        return LibraryEntry(folder, folder.name, [], "", [])
    return LibraryEntry(
        folder=folder,
        title=meta.title or folder.name,
        questions=meta.questions,
        published=meta.published.month_year() if meta.published else "",
        authors=[a.name for a in meta.authors if a.name],
    )

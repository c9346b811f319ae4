"""`scopekit build`: load → check → cite → render → write, top to bottom.

`build_review` is the Python API's entry point; the CLI only parses options and prints. A
"library" here is always a folder of reviews built together (`build_library`).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scopekit.atomic import Manifest, remove_stray_temporaries, write_atomic
from scopekit.checks import Report, check_review
from scopekit.errors import BuildBlocked, ChangedByHand, OutputError, ScopekitError
from scopekit.render import build_document
from scopekit.render.library import LibraryRow, render_library
from scopekit.render.writers import WRITERS
from scopekit.review import Review, load_review


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
    root = Path(folder)
    review = load_review(root)
    earlier = None
    if changes_since is not None:
        from scopekit.merging.record import as_earlier, not_this_review, read_record

        record = read_record(Path(changes_since))
        not_this_review(Path(changes_since), record, review.meta.title or "", root)
        earlier = (record.id, as_earlier(record))
    report = Report(root, check_review(review, today or date.today()))
    pending = sum(p.code == "pending-change" for p in report.problems)
    if (report.errors or pending) and not force:
        raise BuildBlocked(report, pending)
    if on_checked:
        on_checked(report)
    result = BuildResult(report)
    target = Path(out_dir) if out_dir is not None else root / "build"
    remove_stray_temporaries(target)
    manifest = Manifest(root)
    fingerprint = input_fingerprint(review, target)
    document = None
    for name in dict.fromkeys(formats):
        writer = WRITERS[name]
        path = target / f"{review.name}{writer.format.extension}"
        start = time.perf_counter()
        since = earlier if name == "docx" else None
        inputs = fingerprint + (f":changes-since:{since[0]}" if since else "")
        if not force and manifest.up_to_date(path, inputs):
            done = Written(name, path, time.perf_counter() - start, reused=True)
        elif not force and manifest.changed_by_hand(path):
            result.kept.append(ChangedByHand(path, root))
            continue
        else:
            document = document or build_document(review)
            document.earlier = since[1] if since else None
            output = writer.render(document)
            write_atomic(path, output.data)
            if output.record is not None:
                keep_record(root, output.record)
            manifest.record(path, output.data, inputs)
            manifest.save()
            done = Written(name, path, time.perf_counter() - start, output.warnings)
        result.written.append(done)
        if progress:
            progress(done)
    return result


RECORDS = Path(".scopekit") / "records"


def keep_record(root: Path, record: bytes) -> None:
    """Keep a DOCX build record in `.scopekit/records/`: under its id (so a colleague's
    copy of any build can still be merged) and as `latest.json`."""
    import json

    folder = root / RECORDS
    build_id = str(json.loads(record).get("id", "unknown"))
    write_atomic(folder / f"{build_id}.json", record)
    write_atomic(folder / "latest.json", record)


def input_fingerprint(review: Review, out_dir: Path) -> str:
    """A hash of everything an output depends on: the review's files, its house style (and
    the default style it falls back on) and citation style, the archived copies its notes
    show because the last check-links found the live URL down, and scopekit itself. Equal
    fingerprints mean an output can be reused."""
    from scopekit import __version__
    from scopekit.cite import resolve_style
    from scopekit.links.seen import SEEN_FILE
    from scopekit.links.versions import archived_shown
    from scopekit.theme import default_house_style, resolve_house_style

    digest = hashlib.sha256(f"scopekit {__version__}\n".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    skip = {
        out_dir.resolve(),
        (review.root / "build").resolve(),
        (review.root / ".scopekit").resolve(),
        (review.root / SEEN_FILE).resolve(),  # drift baselines: nothing a briefing shows
    }
    for source_id, version in sorted(archived_shown(review).items()):  # a link found down
        digest.update(f"archived\0{source_id}\0{version.url}\0".encode())

    def add_tree(folder: Path, contents: bool) -> None:
        for path in sorted(folder.rglob("*")):
            if (
                any(p.startswith(".") or p == "__pycache__" for p in path.relative_to(folder).parts)
                or any(s == path or s in path.parents for s in skip)
                or not path.is_file()
            ):
                continue
            stat = path.stat()
            digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0".encode())
            digest.update(path.read_bytes() if contents else str(stat.st_mtime_ns).encode())

    try:
        add_tree(review.root.resolve(), contents=True)
        style = resolve_house_style(review.meta.house_style, review.root)
        add_tree(style, contents=True)
        if style.resolve() != default_house_style().resolve():  # what the style leaves out
            add_tree(default_house_style(), contents=True)
        digest.update(resolve_style(review.meta.citation_style, review.root).read_bytes())
        add_tree(Path(__file__).parent, contents=False)
    except (OSError, ScopekitError):
        digest.update(os.urandom(16))  # cannot tell: never reuse
    return digest.hexdigest()


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
    entries = []
    named: dict[str, Path] = {}  # outputs are named after the review folder
    for review_folder in find_reviews(root):
        entry = _library_entry(review_folder)
        entries.append(entry)
        name = review_folder.resolve().name
        clash = named.get(name.casefold())  # case-blind, as on Windows and macOS disks
        if clash is not None:
            entry.error = OutputError(
                f"its outputs would overwrite those of {clash}: both folders are named '{name}'",
                "rename one of the two folders (outputs are named after the review folder)",
            )
            continue
        if name.casefold() == "index" and "html" in formats:
            entry.error = OutputError(
                "its HTML would overwrite the library page, index.html",
                "rename the folder (outputs are named after the review folder)",
            )
            continue
        named[name.casefold()] = review_folder
        try:
            entry.result = build_review(
                review_folder,
                formats,
                target,
                force=force,
                today=today,
                progress=progress,
                on_checked=(lambda report, f=review_folder: on_checked(f, report))
                if on_checked
                else None,
            )
            entry.outputs = {w.format: w.path for w in entry.result.written}
            for kept in entry.result.kept:
                entry.outputs[kept.path.suffix.lstrip(".")] = kept.path
        except ScopekitError as exc:
            entry.error = exc
    index = target / "index.html"
    manifest = Manifest(root)
    if not force and manifest.changed_by_hand(index):
        return LibraryResult(entries, index, ChangedByHand(index))
    data = render_library([entry.row() for entry in entries], target).encode("utf-8")
    write_atomic(index, data)
    manifest.record(index, data)
    manifest.save()
    return LibraryResult(entries, index)


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

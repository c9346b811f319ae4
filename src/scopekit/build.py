"""`scopekit build`: load → check → cite → render → write, top to bottom.

`build_review` is the library entry point; the CLI only parses options and prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scopekit.checks import Report, check_review
from scopekit.errors import BuildBlocked, ChangedByHand
from scopekit.render import build_document
from scopekit.render.writers import WRITERS
from scopekit.review import load_review
from scopekit.write import Manifest, remove_stray_temporaries, write_atomic


@dataclass
class Written:
    """One output of a build."""

    format: str
    path: Path
    seconds: float
    warnings: list[str] = field(default_factory=list)


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
) -> BuildResult:
    """Build the review in `folder` into `out_dir` (default `folder/build`).

    Raises ReviewUnreadable, BuildBlocked (errors and not `force`) or OutputError.
    """
    root = Path(folder)
    review = load_review(root)
    report = Report(root, check_review(review, today or date.today()))
    if report.errors and not force:
        raise BuildBlocked(report)
    if on_checked:
        on_checked(report)
    result = BuildResult(report)
    document = build_document(review)
    target = Path(out_dir) if out_dir is not None else root / "build"
    remove_stray_temporaries(target)
    manifest = Manifest(root)
    for name in dict.fromkeys(formats):
        writer = WRITERS[name]
        path = target / f"{review.name}{writer.extension}"
        if not force and manifest.changed_by_hand(path):
            result.kept.append(ChangedByHand(path))
            continue
        start = time.perf_counter()
        output = writer.render(document)
        write_atomic(path, output.data)
        manifest.record(path, output.data)
        manifest.save()
        done = Written(name, path, time.perf_counter() - start, output.warnings)
        result.written.append(done)
        if progress:
            progress(done)
    return result

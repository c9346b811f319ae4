"""`scopekit build`: check, then render the briefing to each format, with a line per format.

A folder that holds no review.yaml but has review folders below it is a library: every
review is built, then an index page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scopekit.build import Written, build_library, build_review, find_reviews
from scopekit.commands.output import (
    print_blocked,
    print_checked,
    print_library_done,
    print_not_built,
    print_written,
    say,
)
from scopekit.errors import BuildBlocked, UsageError
from scopekit.isodates import today
from scopekit.problems import Report
from scopekit.render.writers import WRITERS


def _progress(done: Written) -> None:
    status = "up to date" if done.reused else f"{done.seconds:.2f} s"
    print_written(done.format, done.path, status, done.warnings)


def run(
    folder: str,
    formats: Sequence[str],
    out: str | None,
    force: bool,
    verbose: bool = False,
    changes_since: str | None = None,
) -> int:
    """Build the review (or library) in `folder`; print problems and progress; exit status.
    Errors are listed one by one, warnings summed up by code unless `verbose`."""
    chosen = list(formats) or list(WRITERS)
    root = Path(folder)
    if root.is_dir() and not (root / "review.yaml").exists() and find_reviews(root):
        if changes_since:
            raise UsageError(
                "--changes-since compares one review's DOCX: name a review folder, not a library"
            )
        return run_library(folder, chosen, out, force, verbose)
    if changes_since and "docx" not in chosen:
        raise UsageError(
            "--changes-since shows changes in the DOCX, and no DOCX is being built",
            f"add --format docx: scopekit build {folder} --format docx --changes-since "
            f"{changes_since}",
        )
    try:
        result = build_review(
            folder,
            chosen,
            out,
            force=force,
            today=today(),
            progress=_progress,
            on_checked=lambda report: print_checked(report, folder, verbose),
            changes_since=changes_since,
        )
    except BuildBlocked as blocked:
        print_blocked(blocked, folder, verbose)
        return 1
    for kept in result.kept:
        say(kept)
    return 0 if result.ok else 1


def run_library(
    folder: str, formats: Sequence[str], out: str | None, force: bool, verbose: bool = False
) -> int:
    """Build every review below `folder` and the library page; 1 if any review failed."""

    def checked(review: Path, report: Report) -> None:
        print_checked(report, str(review), verbose)

    library = build_library(
        folder, formats, out, force=force, today=today(), progress=_progress, on_checked=checked
    )
    entries, index = library.entries, library.index
    failed = 0
    for entry in entries:
        if entry.error is not None:
            failed += 1
            print_not_built(entry.error, str(entry.folder), verbose)
        elif entry.result and entry.result.kept:
            failed += 1
            for kept in entry.result.kept:
                say(kept)
    if library.index_kept:
        say(library.index_kept)
        print_library_done(len(entries) - failed, len(entries), None)
        return 1
    print_library_done(len(entries) - failed, len(entries), index)
    return 1 if failed else 0

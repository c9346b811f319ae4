"""`scopekit build`: check, then render the briefing to each format, with a line per format.

A folder that holds no review.yaml but has review folders below it is a library: every
review is built, then an index page.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from scopekit.build import Written, build_library, build_review, find_reviews
from scopekit.commands.output import print_blocked, print_not_built, print_problems, say
from scopekit.errors import BuildBlocked
from scopekit.isodates import today
from scopekit.problems import Report
from scopekit.render.writers import WRITERS


def _progress(done: Written) -> None:
    status = "up to date" if done.reused else f"{done.seconds:.2f} s"
    typer.echo(f"{done.format:<5} {done.path}  ({status})")
    for warning in done.warnings:
        typer.echo(f"    warning: {warning}")


def run(folder: str, formats: Sequence[str], out: str | None, force: bool) -> int:
    """Build the review (or library) in `folder`; print problems and progress; exit status."""
    chosen = list(formats) or list(WRITERS)
    root = Path(folder)
    if root.is_dir() and not (root / "review.yaml").exists() and find_reviews(root):
        return run_library(folder, chosen, out, force)
    try:
        result = build_review(
            folder,
            chosen,
            out,
            force=force,
            today=today(),
            progress=_progress,
            on_checked=lambda report: print_problems(report, folder),
        )
    except BuildBlocked as blocked:
        print_blocked(blocked, folder)
        return 1
    for kept in result.kept:
        say(kept)
    return 0 if result.ok else 1


def run_library(folder: str, formats: Sequence[str], out: str | None, force: bool) -> int:
    """Build every review below `folder` and the library page; 1 if any review failed."""

    def checked(review: Path, report: Report) -> None:
        print_problems(report, str(review))

    library = build_library(
        folder, formats, out, force=force, today=today(), progress=_progress, on_checked=checked
    )
    entries, index = library.entries, library.index
    failed = 0
    for entry in entries:
        if entry.error is not None:
            failed += 1
            print_not_built(entry.error, str(entry.folder))
        elif entry.result and entry.result.kept:
            failed += 1
            for kept in entry.result.kept:
                say(kept)
    if library.index_kept:
        say(library.index_kept)
        typer.echo(f"{len(entries) - failed} of {len(entries)} reviews built; index not written")
        return 1
    typer.echo(f"index {index}  ({len(entries) - failed} of {len(entries)} reviews built)")
    return 1 if failed else 0

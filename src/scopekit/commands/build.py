"""`scopekit build`: check, then render the briefing to each format, with a line per format."""

from __future__ import annotations

from collections.abc import Sequence

import typer

from scopekit.build import Written, build_review
from scopekit.commands.check import print_problems
from scopekit.dates import today
from scopekit.errors import BuildBlocked
from scopekit.render.writers import WRITERS


def run(folder: str, formats: Sequence[str], out: str | None, force: bool) -> int:
    """Build the review in `folder`; print problems and progress; return the exit status."""
    chosen = list(formats) or list(WRITERS)

    def progress(done: Written) -> None:
        typer.echo(f"{done.format:<5} {done.path}  ({done.seconds:.2f} s)")
        for warning in done.warnings:
            typer.echo(f"    warning: {warning}")

    try:
        result = build_review(
            folder,
            chosen,
            out,
            force=force,
            today=today(),
            progress=progress,
            on_checked=lambda report: print_problems(report, folder),
        )
    except BuildBlocked as blocked:
        print_problems(blocked.report, folder)
        typer.echo(
            f"{folder}: {blocked.report.errors} error(s): nothing built "
            "(fix them, or use --force to build anyway)",
            err=True,
        )
        return 1
    for kept in result.kept:
        typer.echo(f"scopekit: {kept.message}", err=True)
        typer.echo(f"    hint: {kept.hint}", err=True)
    return 0 if result.ok else 1

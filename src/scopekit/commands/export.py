"""`scopekit export`: write the evidence table and the flow counts as CSV, a line per file."""

from __future__ import annotations

import typer

from scopekit.commands.output import say, say_warning
from scopekit.reporting.export import export_tables


def run(folder: str, out: str | None, force: bool) -> int:
    """Export the review's tables; 1 when a file was kept or there was nothing to export."""
    result = export_tables(folder, out, force)
    for path, rows in result.written:
        typer.echo(f"csv   {path}  ({rows} rows)")
    for why in result.missing:
        say_warning(why)
    for kept in result.kept:
        say(kept)
    return 1 if result.kept or not result.written else 0

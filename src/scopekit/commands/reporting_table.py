"""The reporting table of `check --reporting` as text: one line per item, its place and
status, then a line of counts."""

from __future__ import annotations

import typer

from scopekit.commands.output import place
from scopekit.reporting import Status, Table

_COLOURS = {Status.OK: "green", Status.MISSING: "yellow", Status.PARTIAL: "yellow"}
_WIDTH = 8  # the longest status, `declared`


def print_table(table: Table, folder: str) -> None:
    """`ITEM  TITLE  WHERE  STATUS  note` per item, grouped by standard, then the counts."""
    rows = [
        (
            row.item.label,
            row.item.title,
            place(folder, row.verdict.file, row.verdict.line) if row.verdict.file else "-",
            row.verdict,
        )
        for row in table.rows
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    typer.echo(
        f"{'item'.ljust(widths[0])}  {'title'.ljust(widths[1])}  {'where'.ljust(widths[2])}  status"
    )
    for label, title, where, verdict in rows:
        status = verdict.status.value.ljust(_WIDTH)
        colour = _COLOURS.get(verdict.status)
        shown = typer.style(status, fg=colour) if colour else status
        note = f"  {verdict.note}" if verdict.note else ""
        typer.echo(
            f"{label.ljust(widths[0])}  {title.ljust(widths[1])}  {where.ljust(widths[2])}  "
            f"{shown}{note}".rstrip()
        )
    counts = ", ".join(f"{n} {status}" for status, n in table.counts().items())
    typer.echo(f"reporting: {counts}")

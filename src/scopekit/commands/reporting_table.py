"""The reporting table of `check --reporting` as text: one row per item, its place and
status and a note, fitted to the terminal's width, then a line of counts."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap

import typer

from scopekit.commands.output import folder_name
from scopekit.reporting.table import Status, Table

_COLOURS = {Status.OK: "green", Status.MISSING: "yellow", Status.PARTIAL: "yellow"}
_HEADERS = ("item", "title", "where", "status", "note")
_GAP = "  "
NOT_A_TERMINAL = 100  # the width when the output is not a terminal (and COLUMNS is not set)
_NARROWEST = 72  # narrower, the title and note columns would be too narrow to read


def width() -> int:
    """The width to fit: COLUMNS, else the terminal's, else 100 when not a terminal."""
    if os.environ.get("COLUMNS") or sys.stdout.isatty():
        return max(_NARROWEST, shutil.get_terminal_size((NOT_A_TERMINAL, 24)).columns)
    return NOT_A_TERMINAL


def _cells(table: Table) -> list[tuple[str, str, str, Status, str]]:
    """Each row's item, title, place in the review (`FILE:LINE`), status and note."""
    cells = []
    for row in table.rows:
        verdict = row.verdict
        where = "-"
        if verdict.file:
            where = f"{verdict.file}:{verdict.line}" if verdict.line else verdict.file
        cells.append((row.item.label, row.item.title, where, verdict.status, verdict.note))
    return cells


def _widths(cells: list[tuple[str, str, str, Status, str]], total: int) -> list[int]:
    """The width of each column: item, where and status as wide as they need; title and
    note share what is left, the title at most as wide as its longest."""
    fixed = [max(len(_HEADERS[i]), *(len(str(c[i])) for c in cells)) for i in (0, 2)]
    status = max(len(s.value) for s in Status)
    left = max(total - sum(fixed) - status - 4 * len(_GAP), 2 * 12)
    title = min(max(len(c[1]) for c in cells), max(12, left // 2))
    return [fixed[0], title, fixed[1], status, max(12, left - title)]


def print_table(table: Table, folder: str) -> None:
    """`item  title  where  status  note` per item, wrapped to fit the terminal, grouped by
    standard, then the counts. Places are in the review folder, named in the first line."""
    cells = _cells(table)
    widths = _widths(cells, width())
    typer.echo(f"Reporting items of {folder_name(folder)} (where: the file in {folder})")
    typer.echo(_GAP.join(h.ljust(w) for h, w in zip(_HEADERS, widths)).rstrip())
    for label, title, where, status, note in cells:
        titles = textwrap.wrap(title, widths[1]) or [""]
        notes = textwrap.wrap(note, widths[4]) or [""]
        for n in range(max(len(titles), len(notes))):
            first = n == 0
            left = _GAP.join(
                [
                    (label if first else "").ljust(widths[0]),
                    (titles[n] if n < len(titles) else "").ljust(widths[1]),
                    (where if first else "").ljust(widths[2]),
                    "",
                ]
            )
            text = notes[n] if n < len(notes) else ""
            shown = status.value if first else ""
            colour = _COLOURS.get(status)
            styled = typer.style(shown, fg=colour) if colour and shown else shown
            tail = f"{' ' * (widths[3] - len(shown))}{_GAP}{text}" if text else ""
            line = f"{left}{styled}{tail}" if shown or text else left
            typer.echo(line.rstrip())
    counts = ", ".join(f"{n} {status}" for status, n in table.counts().items())
    typer.echo(f"reporting: {counts}")

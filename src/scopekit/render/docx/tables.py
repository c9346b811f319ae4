"""Tables: the search log and Markdown pipe tables, as Table Grid tables whose header row
repeats on every page and whose rows never split across a page."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scopekit.notes import Run
from scopekit.ooxml import w
from scopekit.render.docx.anchors import Origin
from scopekit.render.docx.inline import InlineWriter
from scopekit.render.docx.ooxml import TEXT_WIDTH, element

if TYPE_CHECKING:
    from docx.table import Table, _Row
    from markdown_it.token import Token

    from scopekit.render import SearchRow
    from scopekit.render.docx.state import WriterState

_ALIGNMENTS = {"right": "RIGHT", "center": "CENTER"}
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(\w+)")


def keep_row_whole(row: _Row, header: bool = False) -> None:
    """`<w:trPr><w:cantSplit/>[<w:tblHeader/>]</w:trPr>`: the row never breaks across a page
    (a split row leaves what looks like an empty row at the top of the next page); a header
    row repeats on every page. Schema order: cantSplit before tblHeader."""
    trpr = row._tr.get_or_add_trPr()
    for old in trpr.findall(w("cantSplit")) + trpr.findall(w("tblHeader")):
        trpr.remove(old)
    trpr.append(element("cantSplit"))
    if header:
        trpr.append(element("tblHeader"))


def cell_alignment(token: Token) -> str | None:
    """The alignment of a pipe-table cell (`---:` RIGHT, `:---:` CENTER), else None."""
    found = _TEXT_ALIGN.search(str(token.attrGet("style") or ""))
    return _ALIGNMENTS.get(found[1].lower()) if found else None


def new_table(state: WriterState, columns: int, widths: Sequence[int] | None = None) -> Table:
    """A Table Grid table whose first row is a header row, repeated on every page."""
    table = state.word.add_table(rows=1, cols=columns)
    table._tbl.tblStyle_val = state.style_ids["Table Grid"]
    look = table._tbl.tblPr.find(w("tblLook"))
    if look is None:
        look = element("tblLook")
        table._tbl.tblPr.append(look)
    for key, value in (
        ("val", "04A0"),
        ("firstRow", "1"),
        ("lastRow", "0"),
        ("firstColumn", "0"),
        ("lastColumn", "0"),
        ("noHBand", "1"),
        ("noVBand", "1"),
    ):
        look.set(w(key), value)
    keep_row_whole(table.rows[0], header=True)
    state.after_table = True
    widths = widths or [TEXT_WIDTH // columns] * columns
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    return table


def add_row(table: Table) -> _Row:
    """A new body row that never splits across a page."""
    row = table.add_row()
    keep_row_whole(row)
    return row


def set_widths(table: Table, widths: Sequence[int]) -> None:
    """Give every cell of the table its column's width."""
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def fill_row(
    state: WriterState, row: _Row, cells: Sequence[Sequence[Run]], style: str = "Table Text"
) -> None:
    """Write each cell's runs (web URLs as hyperlinks) into the row, in `style`."""
    for cell, runs in zip(row.cells, cells):
        paragraph = cell.paragraphs[0]
        paragraph._p.style = state.style_ids[style]
        state.anchors.add(paragraph._p, state.origin)
        state.links.append_runs(paragraph._p, runs)


def search_log(state: WriterState, rows: list[SearchRow]) -> None:
    """The Search log heading and table; the Run column only when some search has a run
    date, and the Results right-aligned as in HTML."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    state.paragraph("Heading 2", "Search log")
    show_run = any(row.run for row in rows)
    header = ["Where", "Query", "Dates covered", *(["Run"] if show_run else []), "Results"]
    body = [
        [
            row.where,
            row.query,
            row.dates or "–",
            *([row.run or "–"] if show_run else []),
            row.results or "–",
        ]
        for row in rows
    ]
    # 170 mm in all. A date (20/11/2026) at the 9.5 pt table size is about 17 mm wide in
    # Arial, plus 3.8 mm of cell margins: the Run column leaves room for a wider font, so
    # that a date never wraps; Dates covered holds two dates and the dash on one line.
    widths = [Mm(54), Mm(28), Mm(42), *([Mm(24)] if show_run else []), Mm(22)]
    if not show_run:
        widths[0] += Mm(24)
    table = new_table(state, len(header), widths)
    fill_row(state, table.rows[0], [[Run(h)] for h in header], "Table Heading")
    for cells in body:
        fill_row(state, add_row(table), [[Run(c)] for c in cells])
    set_widths(table, widths)
    for row in table.rows:  # Results are numbers: right-aligned, heading too, as in HTML
        row.cells[-1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


class PipeTable:
    """A Markdown pipe table read token by token, written whole at its end (when the number
    of columns is known): the first row as the repeating header row, a column's alignment
    (`---:`, `:---:`) on each of its cell paragraphs, as in HTML."""

    def __init__(self) -> None:
        self.rows: list[list[tuple[Token, str | None]]] = []  # (inline, w:jc) per cell
        self.lines: list[int | None] = []  # the line of each row in the section file
        self.align: str | None = None  # the alignment of the cell being read

    def add_row(self, line: int | None = None) -> None:
        """A tr opens, at `line` of the file."""
        self.rows.append([])
        self.lines.append(line)

    def add_cell(self, token: Token) -> None:
        """A th or td opens: remember its alignment for its content."""
        self.align = cell_alignment(token)

    def add_content(self, inline: Token) -> None:
        """The inline token of the cell being read."""
        if self.rows:
            self.rows[-1].append((inline, self.align))

    def write(self, state: WriterState) -> None:
        """Write the table as read, as wide as its widest row."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        if not self.rows:
            return
        table = new_table(state, max(len(r) for r in self.rows))
        for number, cells in enumerate(self.rows):
            row = table.rows[0] if number == 0 else add_row(table)
            line = self.lines[number]
            for column, (cell, (inline, jc)) in enumerate(zip(row.cells, cells)):
                paragraph = cell.paragraphs[0]
                heading = "Table Heading" if number == 0 else "Table Text"
                paragraph._p.style = state.style_ids[heading]
                state.anchors.add(paragraph._p, Origin("cell", state.file, line, line, column))
                if jc:
                    paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, jc)
                InlineWriter(state, paragraph).write(inline)

"""The "Evidence table" appendix in Word: its heading, the table (header row repeated on
every page, rows never split) and the counts of repeated values under it, in a section of
its own on landscape pages when the table is wide."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scopekit.notes import Run
from scopekit.render.docx.anchors import Origin
from scopekit.render.docx.page import section_footer
from scopekit.render.docx.tables import add_row, fill_row, new_table, set_widths
from scopekit.render.evidence import TITLE, evidence_table

if TYPE_CHECKING:
    from scopekit.render import Document
    from scopekit.render.docx.state import WriterState


def evidence_appendix(state: WriterState, doc: Document) -> None:
    """The appendix on a new page (landscape when wide), or nothing without an evidence
    table."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    table_data = evidence_table(doc)
    if table_data is None:
        return
    word = state.word
    previous = word.sections[-1]
    section = word.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # the masthead is the first page's
    if table_data.wide:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = previous.page_height, previous.page_width
        section_footer(section, doc)
    state.origin = Origin("generated", "sources.yaml", what="the Evidence table")
    state.paragraph("Heading 1", TITLE)
    width = section.page_width - section.left_margin - section.right_margin
    columns = len(table_data.headings)
    first = width * 2 // (columns + 1)  # the Source column twice as wide as the others
    widths = [first] + [(width - first) // (columns - 1)] * (columns - 1)
    table = new_table(state, columns, widths)
    fill_row(state, table.rows[0], [[Run(h)] for h in table_data.headings], "Table Heading")
    for row in table_data.rows:
        cells = [[Run(row.source)], *([Run(cell or "–")] for cell in row.cells)]
        fill_row(state, add_row(table), cells)
    set_widths(table, widths)
    for line in table_data.tallies:
        state.paragraph("Normal", line)

"""How the review was done, in Word: the "How this review was done" part after the Methods
text (a heading, then each part's heading and bullets) and the flow diagram after the Search
log, as a table a screen reader reads row by row and a Word user can edit: one row per
stage, the records that stay in the flow and those that leave it side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scopekit.notes import Run
from scopekit.render.docx.anchors import Origin
from scopekit.render.docx.ooxml import element
from scopekit.render.docx.tables import add_row, fill_row, new_table, set_widths
from scopekit.render.reporting import FLOW_TITLE, flow_description, flow_stages, how_done

if TYPE_CHECKING:
    from scopekit.render import Document
    from scopekit.render.docx.state import WriterState
    from scopekit.render.reporting import Box


def how_done_part(state: WriterState, doc: Document) -> None:
    """The heading "How this review was done" and each part's heading and bullets."""
    box = how_done(doc)
    if box is None:
        return
    state.origin = Origin("generated", "review.yaml", what="How this review was done")
    state.paragraph("Heading 2", "How this review was done")
    for title, items in box.parts:
        state.paragraph("Heading 3", title)
        for item in items:
            state.paragraph("List Bullet", item)


def _label(box: Box | None) -> list[Run]:
    return [Run(f"{box.label}: {box.n}")] if box else [Run("–")]


def _details(state: WriterState, cell, box: Box | None) -> None:
    """A box's details, one paragraph each below its label."""
    for detail in box.details if box else []:
        paragraph = cell.add_paragraph()
        paragraph._p.style = state.style_ids["Table Text"]
        state.anchors.add(paragraph._p, state.origin)
        state.links.append_runs(paragraph._p, [Run(detail)])


def flow_table(state: WriterState, doc: Document) -> None:
    """The flow of records as a two-column table under its heading, or nothing without
    `screening: counts`."""
    from docx.shared import Mm

    rows = flow_stages(doc)
    if rows is None:
        return
    state.origin = Origin("generated", "review.yaml", what="the Flow of records")
    state.paragraph("Heading 2", "Flow of records")
    widths = [Mm(100), Mm(70)]
    table = new_table(state, 2, widths)
    table._tbl.tblPr.append(element("tblCaption", {"val": FLOW_TITLE}))
    table._tbl.tblPr.append(element("tblDescription", {"val": flow_description(rows)}))
    header = [[Run("Records in the review")], [Run("Records removed")]]
    fill_row(state, table.rows[0], header, "Table Heading")
    for row in rows:
        cells = add_row(table)
        fill_row(state, cells, [_label(row.main), _label(row.side)])
        _details(state, cells.cells[0], row.main)
        _details(state, cells.cells[1], row.side)
    set_widths(table, widths)

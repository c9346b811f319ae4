"""The body of a DOCX as blocks: headings, paragraphs, list items, quotes and tables.

Each paragraph is numbered in document order (table cells too), so the report can name it.
Content controls and custom XML around blocks are looked through; a table of contents
control is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from scopekit.importer.model import Block, ImportReport, Inline, Span
from scopekit.importer.numbering import Numbering
from scopekit.importer.ooxml import local, wval
from scopekit.importer.pictures import is_figure_caption, is_table_caption
from scopekit.importer.styles import Styles
from scopekit.importer.walk import Walker
from scopekit.ooxml import w

_P, _PPR = w("p"), w("pPr")
_WRAPPERS = {"sdt", "sdtContent", "customXml", "ins", "moveTo"}


def looking_through(parent: etree._Element) -> Iterator[etree._Element]:
    """The children of `parent`, with content controls and custom XML opened up."""
    for child in parent:
        name = local(child.tag)
        if name == "sdt":
            content = child.find(w("sdtContent"))
            if content is not None and not _is_contents(child):
                yield from looking_through(content)
            elif content is not None:
                yield content
        elif name in _WRAPPERS:
            yield from looking_through(child)
        else:
            yield child


def _is_contents(sdt: etree._Element) -> bool:
    """Whether a content control holds a table of contents."""
    gallery = sdt.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
    return "contents" in (wval(gallery) or "").lower()


class BodyReader:
    """Reads the body into blocks, reporting what each paragraph lost."""

    def __init__(
        self, walker: Walker, styles: Styles, numbering: Numbering, report: ImportReport
    ) -> None:
        self.walker = walker
        self.styles = styles
        self.numbering = numbering
        self.report = report
        self.number = 0
        self.blocks: list[Block] = []
        self.pending: list[str] = []  # bookmarks begun between paragraphs, for the next one

    def read(self, body: etree._Element) -> list[Block]:
        """Every block of the body, in order (empty paragraphs left out)."""
        for child in looking_through(body):
            name = local(child.tag)
            if name == "p":
                self.paragraph(child)
            elif name == "tbl":
                self.table(child)
            elif name in ("bookmarkStart", "bookmarkEnd"):
                self.walker.bookmark(child)
                if name == "bookmarkStart":
                    self.pending.append(wval(child, "name") or "")
            elif name == "sdtContent":  # a table of contents
                skipped = sum(1 for _ in child.iter(_P))
                self.number += skipped
                self.report.add(
                    f"paragraph {self.number - skipped + 1}",
                    f"table of contents skipped ({skipped} paragraphs)",
                )
            elif name == "altChunk":
                self.report.add(f"after paragraph {self.number}", "embedded file not imported")
        return self.blocks

    def paragraph(self, p: etree._Element) -> None:
        self.number += 1
        inlines, losses = self.walker.paragraph(p)
        block = self.classify(p, inlines)
        block.bookmarks = self.pending + [
            wval(start, "name") or "" for start in p.iter(w("bookmarkStart"))
        ]
        self.pending = []
        for message in losses.messages():
            self.report.add(block.place, message)
        if block.kind == "contents":
            if block.text:
                self.report.add(block.place, "table of contents skipped")
        elif block.text or any(not isinstance(item, Span) for item in inlines):
            self.blocks.append(block)

    def classify(self, p: etree._Element, inlines: list[Inline]) -> Block:
        """A paragraph's kind from its style, outline level and numbering."""
        ppr = p.find(_PPR)
        style = self.styles.paragraph(wval(ppr.find(w("pStyle"))) if ppr is not None else None)
        block = Block("paragraph", self.number, inlines)
        if is_figure_caption(style.name, block):
            block.kind = "caption"
            return block
        if is_table_caption(style.name, block):
            block.kind = "table caption"
            return block
        if style.kind in ("heading", "title", "subtitle", "contents"):
            block.kind, block.level = style.kind, style.level
            return block
        outline = wval(ppr.find(w("outlineLvl"))) if ppr is not None else None
        if outline is not None and outline.isdigit() and int(outline) < 9:
            block.kind, block.level = "heading", int(outline) + 1
            return block
        num = ppr.find(w("numPr")) if ppr is not None else None
        num_id = wval(num.find(w("numId"))) if num is not None else style.num_id
        level_text = wval(num.find(w("ilvl"))) if num is not None else None
        level = int(level_text) if level_text and level_text.isdigit() else style.num_level
        listed = self.numbering.kind(num_id, level) if num_id else None
        if listed:
            # "List Number 3" with w:ilvl 0 (a single-level definition, as older scopekit
            # and many Word templates write it) is an item three lists deep: when the style's
            # depth and w:ilvl disagree, the deeper wins. The kind comes from w:ilvl's level.
            depth = max(level, style.level) if style.kind == "list" else level
            block.kind, block.level, block.list_id = "item", depth, num_id or ""
            block.ordered, block.start = listed
        elif style.kind == "list" and num_id != "0":
            block.kind, block.level, block.ordered = "item", style.level, style.ordered
            block.list_id = f"style:{style.name}"
        elif style.kind in ("continue", "quote"):
            block.kind, block.level = style.kind, style.level
        return block

    def table(self, table: etree._Element) -> None:
        first = self.number + 1
        rows: list[list[list[Inline]]] = []
        aligns: list[list[str]] = []
        for row in looking_through(table):
            if local(row.tag) != "tr":
                continue
            cells, align = [], []
            for cell in looking_through(row):
                if local(cell.tag) == "tc":
                    cells.append(self.cell(cell))
                    align.append(cell_alignment(cell))
            rows.append(cells)
            aligns.append(align)
        if rows:
            align = aligns[min(1, len(rows) - 1)]  # a column aligns as its first body cell
            self.blocks.append(Block("table", first, rows=rows, align=align))

    def cell(self, cell: etree._Element) -> list[Inline]:
        """A cell's paragraphs as one line of inline pieces."""
        inlines: list[Inline] = []
        for p in cell.iter(_P):
            self.number += 1
            got, losses = self.walker.paragraph(p)
            for message in losses.messages():
                self.report.add(f"paragraph {self.number} (in a table)", message)
            if inlines and got:
                inlines.append(Span(" "))
            inlines.extend(got)
        return inlines


_JC = {"right": "right", "end": "right", "center": "center"}


def cell_alignment(cell: etree._Element) -> str:
    """A table cell's alignment from its first paragraph's w:jc: "", "right" or "center"."""
    jc = cell.find(f"{_P}/{_PPR}/{w('jc')}")
    return _JC.get(jc.get(w("val"), "") if jc is not None else "", "")

"""The body walk: title block, each section's Markdown tokens, search log, other sources and
closing lines, in reading order."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from scopekit.cite import Run
from scopekit.images import DOCX_IMAGE_TYPES, IMAGE_TYPES
from scopekit.markdown import strip_comments
from scopekit.ooxml import w
from scopekit.paths import inside, is_file
from scopekit.render.docx.notes import Footnotes, footnote_reference
from scopekit.render.docx.ooxml import (
    TABLE_GAP,
    TEXT_WIDTH,
    Hyperlinks,
    element,
    no_text_distance,
    text_run,
    xml_text,
)
from scopekit.render.docx.styles import MAX_HEADING
from scopekit.urls import is_web_url

if TYPE_CHECKING:
    from markdown_it.token import Token

    from scopekit.render import Document, SearchRow


def keep_row_whole(row, header: bool = False) -> None:
    """`<w:trPr><w:cantSplit/>[<w:tblHeader/>]</w:trPr>`: the row never breaks across a page
    (a split row leaves what looks like an empty row at the top of the next page); a header
    row repeats on every page. Schema order: cantSplit before tblHeader."""
    trpr = row._tr.get_or_add_trPr()
    for old in trpr.findall(w("cantSplit")) + trpr.findall(w("tblHeader")):
        trpr.remove(old)
    trpr.append(element("cantSplit"))
    if header:
        trpr.append(element("tblHeader"))


def list_level(depth: int) -> int:
    """The w:ilvl of a list item `depth` lists deep (1 at the top): the depth of its style,
    List Number, List Number 2 or List Number 3 (deeper lists share List Number 3)."""
    return min(depth, 3) - 1


_ALIGNMENTS = {"right": "RIGHT", "center": "CENTER"}
_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(\w+)")


def cell_alignment(token: Token) -> str | None:
    """The alignment of a pipe-table cell (`---:` RIGHT, `:---:` CENTER), else None."""
    found = _TEXT_ALIGN.search(str(token.attrGet("style") or ""))
    return _ALIGNMENTS.get(found[1].lower()) if found else None


class BodyWriter:
    """Walks the document (title block, section tokens, search log, closing) into Word."""

    def __init__(self, word, doc: Document, footnotes: Footnotes, warnings: list[str]):
        self.word = word
        self.doc = doc
        self.footnotes = footnotes
        self.links = Hyperlinks(word.part)  # the body's hyperlinks
        self.warnings = warnings
        self.sources = doc.review.source_index()
        self.notes = doc.notes.notes
        # style ids by name, looked up once (python-docx searches every style per name)
        self.style_ids = {style.name: style.style_id for style in word.styles}
        self.abstract_ids: dict[int, int] = {}  # list level → its w:abstractNumId
        self.after_table = False  # the next paragraph follows a table

    # blocks

    def style_space_before(self, name: str) -> int:
        """The space before a paragraph style gives (its own or inherited), in EMU."""
        style = self.word.styles[name]
        while style is not None:
            if style.paragraph_format.space_before is not None:
                return style.paragraph_format.space_before
            style = style.base_style
        return 0

    def paragraph(self, style: str, text: str | None = None):
        """A new paragraph in `style`, with optional plain text.

        The first paragraph after a table gets at least TABLE_GAP of space before it (a
        heading has more of its own): a table has no spacing after it in Word, and neither
        a style (it would have to be each of Normal, List Bullet, Quote… "after a table")
        nor an empty paragraph (read out, and imported, as an empty line) does this better
        than the paragraph's own spacing before."""
        paragraph = self.word.add_paragraph()
        paragraph._p.style = self.style_ids[style]
        if self.after_table:
            self.after_table = False
            if self.style_space_before(style) < TABLE_GAP:
                paragraph.paragraph_format.space_before = TABLE_GAP
        if text:
            paragraph.add_run(xml_text(text))
        return paragraph

    def title_block(self) -> None:
        self.paragraph("Subtitle", self.doc.type_line)
        self.paragraph("Title", self.doc.title)
        messages = self.doc.review.meta.key_messages
        if messages:
            self.paragraph("Key Messages Heading", "Key messages")
            for message in messages:
                self.paragraph("Key Message", message)

    def search_log(self, rows: list[SearchRow]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm

        self.paragraph("Heading 2", "Search log")
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
        table = self.table(len(header), widths)
        self.fill_row(table.rows[0], [[Run(h)] for h in header], "Table Heading")
        for cells in body:
            self.fill_row(self.add_row(table), [[Run(c)] for c in cells])
        self.set_widths(table, widths)
        for row in table.rows:  # Results are numbers: right-aligned, heading too, as in HTML
            row.cells[-1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def table(self, columns: int, widths: Sequence[int] | None = None):
        """A Table Grid table whose first row is a header row, repeated on every page."""
        table = self.word.add_table(rows=1, cols=columns)
        table._tbl.tblStyle_val = self.style_ids["Table Grid"]
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
        self.after_table = True
        widths = widths or [TEXT_WIDTH // columns] * columns
        table.autofit = False
        for column, width in zip(table.columns, widths):
            column.width = width
        return table

    @staticmethod
    def add_row(table):
        """A new body row that never splits across a page."""
        row = table.add_row()
        keep_row_whole(row)
        return row

    @staticmethod
    def set_widths(table, widths: Sequence[int]) -> None:
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width

    def fill_row(self, row, cells: Sequence[Sequence[Run]], style: str = "Table Text") -> None:
        for cell, runs in zip(row.cells, cells):
            paragraph = cell.paragraphs[0]
            paragraph._p.style = self.style_ids[style]
            self.links.append_runs(paragraph._p, runs)

    def other_sources(self) -> None:
        sources = self.doc.other_sources
        if not sources:
            return
        self.paragraph("Heading 1", "Other sources")
        for _key, runs in sources:
            paragraph = self.paragraph("List Bullet")
            self.links.append_runs(paragraph._p, runs)

    def closing(self) -> None:
        """The closing lines (produced by, updated, funding), kept together by their styles."""
        if self.doc.produced_by:
            self.paragraph("Produced By", self.doc.produced_by)
        if self.doc.updated:
            self.paragraph("Updated", self.doc.updated)
        if self.doc.funding:
            self.paragraph("Closing", self.doc.funding)

    # markdown

    def markdown(self, tokens: list[Token]) -> None:
        """Write one section's block tokens."""
        lists: list[list] = []  # [kind, numId or None] per open list
        quote = 0
        item_paragraphs: list[int] = []  # paragraphs written in each open list item
        last_heading = 0
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                wanted = int(token.tag[1])
                level = max(1, min(wanted, last_heading + 1, MAX_HEADING))
                last_heading = level
                self.inline(self.paragraph(f"Heading {level}"), tokens[index + 1])
                index += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                ordered = kind == "ordered_list_open"
                start = int(token.attrGet("start") or 1) if ordered else 1
                lists.append(
                    [
                        "ordered" if ordered else "bullet",
                        self.new_numbering(len(lists) + 1, start) if ordered else None,
                    ]
                )
            elif kind in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif kind == "list_item_open":
                item_paragraphs.append(0)
            elif kind == "list_item_close":
                item_paragraphs.pop()
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "paragraph_open":
                style = self.block_style(lists, item_paragraphs, quote)
                paragraph = self.paragraph(style)
                if (
                    lists
                    and item_paragraphs
                    and item_paragraphs[-1] == 0
                    and lists[-1][0] == "ordered"
                ):
                    self.number(paragraph, lists[-1][1], len(lists))
                if item_paragraphs:
                    item_paragraphs[-1] += 1
                self.inline(paragraph, tokens[index + 1])
                index += 3
                continue
            elif kind in ("fence", "code_block"):
                for line in token.content.rstrip("\n").split("\n"):
                    self.paragraph("Code", line)
            elif kind == "html_block":
                text = strip_comments(token.content).strip()
                if text:
                    self.paragraph(self.block_style(lists, item_paragraphs, quote), text)
            elif kind == "table_open":
                index = self.markdown_table(tokens, index)
                continue
            index += 1

    @staticmethod
    def block_style(lists: list[list], item_paragraphs: list[int], quote: int) -> str:
        if lists:
            depth = min(len(lists), 3)
            suffix = "" if depth == 1 else f" {depth}"
            if item_paragraphs and item_paragraphs[-1] > 0:
                return f"List Continue{suffix}"
            return ("List Number" if lists[-1][0] == "ordered" else "List Bullet") + suffix
        return "Quote" if quote else "Normal"

    def new_numbering(self, depth: int, start: int) -> str:
        """A new w:num for an ordered list, so each list counts from its own start."""
        level = list_level(depth)
        numbering = self.word.part.numbering_part.element
        num = numbering.add_num(self.nested_numbering(level))
        override = element(
            "lvlOverride", {"ilvl": str(level)}, element("startOverride", {"val": str(start)})
        )
        num.append(override)
        return str(num.numId)

    def nested_numbering(self, level: int) -> int:
        """The w:abstractNum whose level `level` (w:ilvl) numbers a list nested that deep.

        The template's List Number, List Number 2 and List Number 3 each number with a
        single-level definition (only w:ilvl 0). A nested item written with w:ilvl 0 reads as
        a top-level item to every reader that takes w:ilvl as the depth (pandoc, scopekit
        import), so a nested list gets a definition of its own, made once, whose levels 0 to
        `level` are those of the three styles: its items carry w:ilvl = their depth.
        """
        if level in self.abstract_ids:
            return self.abstract_ids[level]
        numbering = self.word.part.numbering_part.element
        abstracts = numbering.findall(w("abstractNum"))
        if level == 0:
            self.abstract_ids[0] = self._style_abstract(numbering, "List Number")
            return self.abstract_ids[0]
        new_id = 1 + max(int(a.get(w("abstractNumId"))) for a in abstracts)
        abstract = element(
            "abstractNum",
            {"abstractNumId": str(new_id)},
            element("nsid", {"val": f"5C0B{new_id:04X}"}),
            element("multiLevelType", {"val": "multilevel"}),
        )
        for ilvl in range(level + 1):
            style = "List Number" if ilvl == 0 else f"List Number {ilvl + 1}"
            source_id = self._style_abstract(numbering, style)
            source = next(a for a in abstracts if a.get(w("abstractNumId")) == str(source_id))
            lvl = copy.deepcopy(source.find(w("lvl")))
            lvl.set(w("ilvl"), str(ilvl))
            for linked in lvl.findall(w("pStyle")):  # the style keeps its own numbering
                lvl.remove(linked)
            text = lvl.find(w("lvlText"))
            if text is not None:
                text.set(w("val"), text.get(w("val"), "%1.").replace("%1", f"%{ilvl + 1}"))
            abstract.append(lvl)
        abstracts[-1].addnext(abstract)  # every w:abstractNum before the first w:num
        self.abstract_ids[level] = new_id
        return new_id

    def _style_abstract(self, numbering, style: str) -> int:
        """The w:abstractNumId the named list style numbers with."""
        num_id = self.word.styles[style].element.pPr.numPr.numId.val
        return numbering.num_having_numId(num_id).abstractNumId.val

    @staticmethod
    def number(paragraph, num_id: str, depth: int) -> None:
        """Number a list item: w:ilvl is its depth (0 at the top), as its style says."""
        ppr = paragraph._p.get_or_add_pPr()
        ppr.append(
            element(
                "numPr",
                None,
                element("ilvl", {"val": str(list_level(depth))}),
                element("numId", {"val": num_id}),
            )
        )

    def markdown_table(self, tokens: list[Token], index: int) -> int:
        """A pipe table: rows of cells, the first as the repeating header row; a column's
        alignment (`---:`, `:---:`) on each of its cell paragraphs, as in HTML."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        rows: list[list[tuple[Token, str | None]]] = []  # (inline, w:jc) per cell
        align: str | None = None
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open"):
                align = cell_alignment(token)
            elif token.type == "inline" and rows:
                rows[-1].append((token, align))
            index += 1
        if rows:
            table = self.table(max(len(r) for r in rows))
            for number, cells in enumerate(rows):
                row = table.rows[0] if number == 0 else self.add_row(table)
                for cell, (inline, jc) in zip(row.cells, cells):
                    paragraph = cell.paragraphs[0]
                    heading = "Table Heading" if number == 0 else "Table Text"
                    paragraph._p.style = self.style_ids[heading]
                    if jc:
                        paragraph.alignment = getattr(WD_ALIGN_PARAGRAPH, jc)
                    self.inline(paragraph, inline)
        return index + 1

    # inline

    def inline(self, paragraph, token: Token) -> None:
        """Write an inline token's children into `paragraph`."""
        styles: list[str] = []
        link: list = []  # the open w:hyperlink element, if any
        container = paragraph._p
        for child in token.children or []:
            kind = child.type
            target = link[-1] if link else container
            if kind == "text":
                self.add_text(target, child.content, styles, bool(link))
            elif kind == "softbreak":
                self.add_text(target, " ", styles, bool(link))
            elif kind == "hardbreak":
                target.append(element("r", None, element("br")))
            elif kind == "code_inline":
                self.add_text(target, child.content, styles, bool(link))
            elif kind in ("strong_open", "em_open"):
                styles.append("Strong" if kind == "strong_open" else "Emphasis")
            elif kind in ("strong_close", "em_close"):
                if styles:
                    styles.pop()
            elif kind == "link_open":
                href = str(child.attrGet("href") or "")
                if href.startswith("@"):
                    source = self.sources.get(href[1:])
                    href = source.url if source and source.url else ""
                if is_web_url(href):
                    hyperlink = self.links.hyperlink(href)
                    container.append(hyperlink)
                    link.append(hyperlink)
                else:
                    link.append(container)  # not a web URL: the text stays, unlinked
            elif kind == "link_close":
                if link:
                    link.pop()
            elif kind == "citation":
                for position, number in enumerate(child.meta.get("notes", [])):
                    if position:
                        separator = text_run(",", "FootnoteReference")
                        container.append(separator)
                    self.footnotes.add(self.notes[number - 1])
                    container.append(footnote_reference(number))
            elif kind == "image":
                self.image(paragraph, child)
            elif kind == "html_inline":
                text = strip_comments(child.content)
                if text:
                    self.add_text(target, text, styles, bool(link))

    def add_text(self, target, text: str, styles: list[str], linked: bool) -> None:
        if not text:
            return
        if linked and target.tag == w("hyperlink"):
            target.append(text_run(text, "Hyperlink", bold=bool(styles)))
        else:
            target.append(text_run(text, styles[-1] if styles else None))

    def image(self, paragraph, token: Token) -> None:
        """An image file from inside the review folder, with its alt text."""
        from docx.shared import Mm

        alt = token.content
        path = inside(self.doc.review.root, str(token.attrGet("src") or ""))
        if path is None or path.suffix.lower() not in IMAGE_TYPES or not is_file(path):
            paragraph.add_run(xml_text(f"[image not shown: {alt}]"))
            return
        if path.suffix.lower() not in DOCX_IMAGE_TYPES:
            paragraph.add_run(xml_text(f"[image not shown in Word: {alt}]"))
            self.warnings.append(f"{path.name}: Word cannot show {path.suffix} images")
            return
        try:
            picture = paragraph.add_run().add_picture(str(path))
        except Exception as exc:  # python-docx raises several kinds for unreadable images
            paragraph.add_run(xml_text(f"[image not shown: {alt}]"))
            self.warnings.append(f"{path.name}: not a readable image ({type(exc).__name__})")
            return
        limit = Mm(170)
        if picture.width > limit:
            picture.height = int(picture.height * limit / picture.width)
            picture.width = limit
        picture._inline.docPr.set("descr", xml_text(alt))
        no_text_distance(picture)

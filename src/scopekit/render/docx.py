"""The briefing as an editable Word document with real footnotes, in the house style.

Built with python-docx from the same Document and notes as HTML and PDF. Everything is
styled through Word's own styles (Title, Heading 1-4, List Bullet, Footnote Text, Hyperlink,
Table Grid…), restyled to the house style, so a colleague who changes "Heading 1" changes
every heading. python-docx has no footnote API: the footnotes part is written as XML here.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from scopekit.cite import Note, Run
from scopekit.images import DOCX_IMAGE_TYPES, IMAGE_TYPES
from scopekit.markdown import strip_comments
from scopekit.ooxml import R_NS, W_NS, XML_NS, w
from scopekit.paths import inside, is_file
from scopekit.render import Document, SearchRow
from scopekit.urls import is_web_url

if TYPE_CHECKING:
    from markdown_it.token import Token

FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
HYPERLINK_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAX_HEADING = 4
TEXT_WIDTH = 170 * 36000  # EMU: A4 less 20 mm margins each side
TABLE_GAP = 12 * 12700  # EMU: 12 pt of space between a table and the paragraph after it


def xml_text(text: str) -> str:
    """Text with the characters XML cannot hold removed."""
    return _NOT_XML.sub("", text)


def element(tag: str, attrs: dict[str, str] | None = None, *children):
    """A w: element with w: attributes and children."""
    from docx.oxml import OxmlElement

    el = OxmlElement(f"w:{tag}")
    for key, value in (attrs or {}).items():
        el.set(w(key) if ":" not in key else key, value)
    for child in children:
        el.append(child)
    return el


def text_run(text: str, style: str | None = None, bold: bool = False):
    """A w:r holding text (spaces kept), with an optional character style."""
    run = element("r")
    props = []
    if style:
        props.append(element("rStyle", {"val": style}))
    if bold:
        props.append(element("b"))
    if props:
        run.append(element("rPr", None, *props))
    t = element("t", {f"{{{XML_NS}}}space": "preserve"})
    t.text = xml_text(text)
    run.append(t)
    return run


# --- styles ----------------------------------------------------------------------------------


def _hex(colour: str) -> str:
    value = colour.lstrip("#").upper()
    return value if re.fullmatch(r"[0-9A-F]{6}", value) else "1D1D1B"


def _set_fonts(rpr, font: str) -> None:
    """Name one font for every script, dropping theme fonts that would win over it."""
    fonts = rpr.find(w("rFonts"))
    if fonts is None:
        fonts = element("rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for key in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(w(key), font)


def _style(word, name: str, kind: str, based_on: str | None = None):
    """The named style, added (as a custom style) when the template lacks it."""
    from docx.enum.style import WD_STYLE_TYPE

    styles = word.styles
    try:
        return styles[name]
    except KeyError:
        style_type = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER}
        style = styles.add_style(name, style_type[kind])
        if based_on:
            style.base_style = styles[based_on]
        style.quick_style = True
        return style


def _drop_unused_table_styles(word) -> None:
    """The template's 130 coloured table styles are no part of the house style."""
    root = word.styles.element
    keep = {"TableNormal", "TableGrid"}
    for style in root.findall(w("style")):
        if style.get(w("type")) == "table" and style.get(w("styleId")) not in keep:
            root.remove(style)


def setup_styles(word, doc: Document) -> None:
    """Restyle Word's own styles to the house style (Arial, navy headings, footnotes)."""
    _drop_unused_table_styles(word)
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_UNDERLINE
    from docx.shared import Pt, RGBColor

    theme = doc.theme
    font = theme.fonts.docx
    navy = RGBColor.from_string(_hex(theme.colours.primary))
    text = RGBColor.from_string(_hex(theme.colours.text))
    muted = RGBColor.from_string(_hex(theme.colours.muted))
    teal = RGBColor.from_string(_hex(theme.colours.accent_text))

    defaults = word.styles.element.find(w("docDefaults"))
    rpr = defaults.find(w("rPrDefault")).find(w("rPr"))
    _set_fonts(rpr, font)
    lang = rpr.find(w("lang"))
    if lang is None:
        lang = element("lang")
        rpr.append(lang)
    lang.set(w("val"), doc.language)

    def restyle(
        name,
        kind="paragraph",
        size=None,
        bold=None,
        colour=None,
        before=None,
        after=None,
        italic=False,
        keep=False,
        based_on=None,
    ):
        style = _style(word, name, kind, based_on)
        _set_fonts(style.element.get_or_add_rPr(), font)
        style.font.italic = italic
        if size is not None:
            style.font.size = Pt(size)
        if bold is not None:
            style.font.bold = bold
        if colour is not None:
            style.font.color.rgb = colour
        if kind == "paragraph":
            fmt = style.paragraph_format
            if before is not None:
                fmt.space_before = Pt(before)
            if after is not None:
                fmt.space_after = Pt(after)
            if keep:
                fmt.keep_with_next = True
        return style

    normal = restyle("Normal", size=11.5, colour=text, after=6)
    normal.paragraph_format.line_spacing = 1.3
    restyle("Title", size=22, bold=True, colour=navy, before=6, after=12, keep=True)
    title = word.styles["Title"].element.get_or_add_pPr()
    for border in title.findall(w("pBdr")):
        title.remove(border)
    restyle("Subtitle", size=10.5, bold=True, colour=teal, before=12, after=2, keep=True)
    for name in ("Title", "Subtitle"):  # the template letter-spaces them; the house does not
        _drop_letter_spacing(word.styles[name])
    sizes = {1: 15, 2: 13, 3: 12, 4: 11.5}
    for level in range(1, MAX_HEADING + 1):
        restyle(
            f"Heading {level}",
            size=sizes[level],
            bold=True,
            colour=navy,
            before=16 if level == 1 else 12,
            after=4,
            keep=True,
        )
    for name in (
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Number",
        "List Number 2",
        "List Number 3",
        "List Continue",
        "List Continue 2",
        "List Continue 3",
        "Quote",
    ):
        restyle(name, after=4)
    restyle("Quote", colour=muted)
    restyle("Strong", "character", bold=True)
    restyle("Emphasis", "character", bold=True)  # house style: no italics for emphasis
    hyperlink = restyle("Hyperlink", "character", colour=navy)
    hyperlink.font.underline = WD_UNDERLINE.SINGLE
    notes = restyle("Footnote Text", size=9, after=2, based_on="Normal")
    notes.paragraph_format.line_spacing = 1.1
    restyle("Footnote Reference", "character").font.superscript = True
    for name in ("Header", "Footer"):
        tabs = restyle(name, size=8.5, colour=muted).paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    masthead = restyle("Masthead", size=9, colour=navy, after=8, based_on="Header")
    _masthead_rule(masthead, theme.colours.primary)
    _table_grid_style(word, theme.colours.primary)
    # the closing lines: "Produced by …" (and "Updated …") never end a page without the
    # funding text after them, and the funding text is never split
    restyle("Produced By", before=12, keep=True, based_on="Normal")
    restyle("Updated", before=0, keep=True, based_on="Produced By")
    closing = restyle("Closing", size=10, colour=muted, before=4, after=4, based_on="Normal")
    closing.paragraph_format.keep_together = True
    restyle("Table Text", size=9.5, after=0, based_on="Normal")
    white = RGBColor.from_string("FFFFFF")
    restyle("Table Heading", size=9.5, bold=True, colour=white, after=0, based_on="Table Text")
    restyle("Code", after=4, based_on="Normal")
    _set_fonts(word.styles["Code"].element.get_or_add_rPr(), "Courier New")
    box_heading = restyle("Key Messages Heading", before=6, after=4, based_on="Heading 1")
    box_item = restyle("Key Message", after=4, based_on="List Bullet")
    box_heading.next_paragraph_style = box_item
    for style in (box_heading, box_item):
        _key_messages_box(style, theme.colours.accent, theme.colours.tint)


# pPr children that come after w:pBdr and w:shd, in schema order
_AFTER_SHADING = (
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
BOX_RULE = 4.5  # points: the teal rule down the left of the key-messages box
BOX_EDGE = 0.5  # points: the tint-coloured top, bottom and right borders, lost in the fill
BOX_PADDING = {"top": 8, "left": 10, "bottom": 10, "right": 10}  # points, text to box edge
BOX_HANG = 18  # points from a bullet to its text


def _key_messages_box(style, accent: str, tint: str) -> None:
    """Draw the key-messages box through a paragraph style: a teal rule on the left, a tint
    fill, and indents that keep it inside the text column. Both box styles get the very same
    borders and indents, so Word and LibreOffice join consecutive paragraphs in them into
    one box. The top, bottom and right borders have the fill's colour: they only pad the
    text inside the fill (Word fills no further than a paragraph's text without them)."""
    from docx.shared import Pt

    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(w("pBdr")) + ppr.findall(w("shd")):
        ppr.remove(old)
    fill, rule = _hex(tint), _hex(accent)
    sides = []
    for side in ("top", "left", "bottom", "right"):
        width = BOX_RULE if side == "left" else BOX_EDGE
        attrs = {
            "val": "single",
            "sz": str(round(width * 8)),  # eighths of a point
            "space": str(BOX_PADDING[side]),
            "color": rule if side == "left" else fill,
        }
        sides.append(element(side, attrs))
    ppr.insert_element_before(element("pBdr", None, *sides), *_AFTER_SHADING)
    shading = element("shd", {"val": "clear", "color": "auto", "fill": fill})
    ppr.insert_element_before(shading, *_AFTER_SHADING)
    fmt = style.paragraph_format  # the bullet (first line) hangs left of the text
    fmt.left_indent = Pt(BOX_RULE + BOX_PADDING["left"] + BOX_HANG)
    fmt.first_line_indent = Pt(-BOX_HANG)
    fmt.right_indent = Pt(BOX_EDGE + BOX_PADDING["right"])


TABLE_RULE = "B1B4B6"  # the light grey of the HTML and PDF tables' rules (style.css)
CELL_PADDING = {"top": 57, "left": 108, "bottom": 57, "right": 108}  # twips: 1 mm, 1.9 mm


def _table_grid_style(word, primary: str) -> None:
    """Restyle Word's Table Grid (every table here is one) as the PDF's tables: thin light
    grey rules, padded cells, a header row on the primary colour in white bold.

    The table's left border sits on the text margin: in this document's compatibility mode
    (Word 2010, as python-docx's template says) a table indent of 0 puts the first cell's
    *text* on the margin and its border one cell padding to the left of it, so the indent is
    that padding. The header row's own borders are the fill's colour, so it reads as one
    band as in the PDF."""
    from docx.oxml import parse_xml

    style = word.styles["Table Grid"].element
    tblpr = style.find(w("tblPr"))
    if tblpr is None:
        tblpr = element("tblPr")
        style.append(tblpr)
    for old in list(tblpr) + style.findall(w("tblStylePr")) + style.findall(w("tcPr")):
        old.getparent().remove(old)
    rule = {"val": "single", "sz": "4", "space": "0", "color": TABLE_RULE}  # 1/2 pt
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    tblpr.append(element("tblInd", {"w": str(CELL_PADDING["left"]), "type": "dxa"}))
    tblpr.append(element("tblBorders", None, *(element(side, rule) for side in sides)))
    margins = (element(s, {"w": str(CELL_PADDING[s]), "type": "dxa"}) for s in CELL_PADDING)
    tblpr.append(element("tblCellMar", None, *margins))
    fill = _hex(primary)
    header_rules = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{fill}"/>'
        for side in ("top", "left", "right", "insideV")
    )
    style.append(
        parse_xml(
            f'<w:tblStylePr xmlns:w="{W_NS}" w:type="firstRow"><w:rPr><w:b/>'
            f'<w:color w:val="FFFFFF"/></w:rPr><w:tcPr><w:tcBorders>{header_rules}'
            f'</w:tcBorders><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>'
            "</w:tblStylePr>"
        )
    )


def _drop_letter_spacing(style) -> None:
    """Remove a style's character spacing (w:spacing in its w:rPr)."""
    rpr = style.element.rPr
    for spacing in rpr.findall(w("spacing")) if rpr is not None else []:
        rpr.remove(spacing)


MASTHEAD_RULE = 4.5  # points: the navy rule under the first page's logo strip (PDF: 1.6 mm)
MASTHEAD_GAP = 6  # points from the logo strip to its rule


def _masthead_rule(style, primary: str) -> None:
    """The first page's logo strip, underlined in the primary colour, as in the PDF."""
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(w("pBdr")):
        ppr.remove(old)
    bottom = {
        "val": "single",
        "sz": str(round(MASTHEAD_RULE * 8)),  # eighths of a point
        "space": str(MASTHEAD_GAP),
        "color": _hex(primary),
    }
    ppr.insert_element_before(element("pBdr", None, element("bottom", bottom)), *_AFTER_SHADING)


# --- page, header and footer ---------------------------------------------------------------


def _field(paragraph, instruction: str, shown: str) -> None:
    """A live field (PAGE, NUMPAGES) as begin / instruction / separate / result / end runs."""
    p = paragraph._p
    p.append(element("r", None, element("fldChar", {"fldCharType": "begin"})))
    instr = element("instrText", {f"{{{XML_NS}}}space": "preserve"})
    instr.text = f" {instruction} "
    p.append(element("r", None, instr))
    p.append(element("r", None, element("fldChar", {"fldCharType": "separate"})))
    p.append(text_run(shown))
    p.append(element("r", None, element("fldChar", {"fldCharType": "end"})))


def _footer(footer, doc: Document) -> None:
    """`Coventry HDRC · June 2024` on the left, `Page N of M` (live fields) on the right."""
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    left = doc.theme.name + (f" · {doc.published}" if doc.published else "")
    paragraph.add_run(xml_text(left) + "\tPage ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")


def no_text_distance(picture) -> None:
    """An inline picture with no distance to the text around it, as Word writes it: without
    these attributes LibreOffice keeps 3.2 mm clear left and right of the picture."""
    for side in ("distT", "distB", "distL", "distR"):
        picture._inline.set(side, "0")


def setup_page(word, doc: Document, warnings: list[str]) -> None:
    """A4, house margins; running header with the short title; logo on the first page."""
    from docx.shared import Mm

    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(24)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True

    header = section.header.paragraphs[0]
    header.style = "Header"
    header.add_run(xml_text(doc.short_title))

    first = section.first_page_header.paragraphs[0]
    first.style = "Masthead"  # navy partner name, navy rule under the strip
    logo = doc.theme.file("logo.png")
    if is_file(logo):
        picture = first.add_run().add_picture(str(logo), width=Mm(62))
        picture._inline.docPr.set("descr", xml_text(doc.theme.wordmark or "Logo"))
        no_text_distance(picture)
    elif doc.theme.wordmark:
        first.add_run(xml_text(doc.theme.wordmark)).bold = True
        warnings.append("house style has no logo.png: the DOCX header shows the wordmark text")
    if doc.theme.partner:
        first.add_run("\t" + xml_text(doc.theme.partner))
    _footer(section.footer, doc)
    _footer(section.first_page_footer, doc)


# --- footnotes -----------------------------------------------------------------------------


class Footnotes:
    """The footnotes part (word/footnotes.xml) with Word's separator notes and ours."""

    def __init__(self, word) -> None:
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml

        xml = (
            f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
            'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p>'
            "</w:footnote>"
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
            'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r>'
            "<w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>"
        )
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"), FOOTNOTES_CT, parse_xml(xml), word.part.package
        )
        word.part.relate_to(self.part, FOOTNOTES_RT)
        settings = word.settings.element
        if settings.find(w("footnotePr")) is None:
            pr = element(
                "footnotePr",
                None,
                element("footnote", {"id": "-1"}),
                element("footnote", {"id": "0"}),
            )
            settings.insert(0, pr) if len(settings) == 0 else settings[0].addnext(pr)

    def add(self, note: Note) -> None:
        """Write one note: its number mark, then its text with web URLs as hyperlinks."""
        paragraph = element(
            "p", None, element("pPr", None, element("pStyle", {"val": "FootnoteText"}))
        )
        mark = element(
            "r",
            None,
            element("rPr", None, element("rStyle", {"val": "FootnoteReference"})),
            element("footnoteRef"),
        )
        paragraph.append(mark)
        paragraph.append(text_run(" "))
        for run in note.runs:
            paragraph.append(hyperlink_or_text(self.part, run.text, run.href))
        self.part.element.append(element("footnote", {"id": str(note.number)}, paragraph))


_LINK_IDS: dict[int, dict[str, str]] = {}


def link_rid(part, url: str) -> str:
    """The relationship id of an external hyperlink from `part` to `url`, made once.

    python-docx's `relate_to` scans every relationship of the part per call (quadratic in
    the number of links); this keeps a table per part instead.
    """
    table = _LINK_IDS.setdefault(id(part), {})
    if url not in table:
        rels = part.rels
        rid = f"rIdL{len(table) + 1}"
        rels.add_relationship(HYPERLINK_RT, url, rid, is_external=True)
        table[url] = rid
    return table[url]


def hyperlink_or_text(part, text: str, href: str | None, style: str | None = None):
    """A hyperlink (external relationship of `part`) for web URLs, else a plain run."""
    if href and is_web_url(href):
        rid = link_rid(part, href)
        link = element("hyperlink", {f"{{{R_NS}}}id": rid, "history": "1"})
        link.append(text_run(text, "Hyperlink", bold=style in ("Strong", "Emphasis")))
        return link
    return text_run(text, style)


def footnote_reference(number: int):
    """The run that places footnote `number` in the text."""
    return element(
        "r",
        None,
        element("rPr", None, element("rStyle", {"val": "FootnoteReference"})),
        element("footnoteReference", {"id": str(number)}),
    )


# --- the body --------------------------------------------------------------------------------


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
            for run in runs:
                paragraph._p.append(hyperlink_or_text(self.word.part, run.text, run.href))

    def other_sources(self) -> None:
        sources = self.doc.other_sources
        if not sources:
            return
        self.paragraph("Heading 1", "Other sources")
        for _key, runs in sources:
            paragraph = self.paragraph("List Bullet")
            for run in runs:
                paragraph._p.append(hyperlink_or_text(self.word.part, run.text, run.href))

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
                    rid = link_rid(self.word.part, href)
                    element_ = element("hyperlink", {f"{{{R_NS}}}id": rid, "history": "1"})
                    container.append(element_)
                    link.append(element_)
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


# --- the whole document ----------------------------------------------------------------------


def _moment(doc: Document) -> datetime:
    published = doc.review.meta.published
    day = published.first_day if published else datetime(2000, 1, 1).date()
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def core_properties(word, doc: Document) -> None:
    """Title, author, subject, language and dates (from `published`)."""
    props = word.core_properties
    props.title = xml_text(doc.title)
    props.author = xml_text("; ".join(doc.authors))
    props.subject = xml_text(doc.subject)
    props.language = doc.language
    props.keywords = xml_text(doc.type_line)
    props.comments = ""
    props.category = xml_text(doc.type_line)
    props.last_modified_by = "scopekit"
    props.revision = 1
    moment = _moment(doc).replace(tzinfo=None)
    props.created = props.modified = moment
    props.last_printed = moment


def _drop_thumbnail(word) -> None:
    """python-docx's template carries a thumbnail of an empty page: remove it."""
    package = word.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rid]


def fixed_zip(data: bytes, moment: datetime) -> bytes:
    """The same archive with fixed entry timestamps, so equal input gives equal bytes."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def render_docx(doc: Document) -> tuple[bytes, list[str]]:
    """The DOCX bytes, and warnings (images Word cannot show, a missing logo)."""
    import docx

    warnings: list[str] = []
    word = docx.Document()
    _drop_thumbnail(word)
    body = word.element.body
    for paragraph in list(body.iterchildren(w("p"))):
        body.remove(paragraph)
    setup_styles(word, doc)
    setup_page(word, doc, warnings)
    writer = BodyWriter(word, doc, Footnotes(word), warnings)
    writer.title_block()
    for index, section in enumerate(doc.sections):
        writer.markdown(section.markdown.tokens)
        if index == doc.search_log_after:
            writer.search_log(doc.search_rows)
    writer.other_sources()
    writer.closing()
    core_properties(word, doc)
    out = io.BytesIO()
    word.save(out)
    for part in (word.part, writer.footnotes.part):
        _LINK_IDS.pop(id(part), None)
    return fixed_zip(out.getvalue(), _moment(doc)), warnings


def footnote_texts(data: bytes) -> Iterator[tuple[int, str]]:
    """(number, text) of each footnote in a DOCX's footnotes part, separators skipped."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    for note in root.iterfind(w("footnote")):
        number = int(note.get(w("id")))
        if number > 0:
            yield number, "".join(t.text or "" for t in note.iter(w("t"))).strip()

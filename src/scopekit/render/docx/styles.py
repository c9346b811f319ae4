"""Word's own styles restyled to the house style (fonts, colours, spacing, boxes, tables).

Title, Heading 1-4, the list styles, Footnote Text, Hyperlink, Table Grid… keep their names,
so a colleague who changes "Heading 1" changes every heading; the few styles Word lacks
(Masthead, Table Text, Key Message…) are added as custom styles.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scopekit.ooxml import W_NS, w
from scopekit.render.docx.ooxml import TEXT_WIDTH, element

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.text.font import CT_RPr
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.shared import RGBColor
    from docx.styles.style import BaseStyle

    from scopekit.render import Document

MAX_HEADING = 4


def _hex(colour: str) -> str:
    """A theme colour (`#1d1d1b`) as Word writes it (`1D1D1B`); the house text colour if it
    is no six-digit hex colour."""
    value = colour.lstrip("#").upper()
    return value if re.fullmatch(r"[0-9A-F]{6}", value) else "1D1D1B"


def _set_fonts(rpr: CT_RPr, font: str) -> None:
    """Name one font for every script, dropping theme fonts that would win over it."""
    fonts = rpr.find(w("rFonts"))
    if fonts is None:
        fonts = element("rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for key in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(w(key), font)


def _style(word: WordDocument, name: str, kind: str, based_on: str | None = None) -> BaseStyle:
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


def _drop_unused_table_styles(word: WordDocument) -> None:
    """The template's 130 coloured table styles are no part of the house style."""
    root = word.styles.element
    keep = {"TableNormal", "TableGrid"}
    for style in root.findall(w("style")):
        if style.get(w("type")) == "table" and style.get(w("styleId")) not in keep:
            root.remove(style)


def setup_styles(word: WordDocument, doc: Document) -> None:
    """Restyle Word's own styles to the house style (Arial, navy headings, footnotes)."""
    _drop_unused_table_styles(word)
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_UNDERLINE
    from docx.shared import Mm, Pt, RGBColor

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
        name: str,
        kind: str = "paragraph",
        size: float | None = None,
        bold: bool | None = None,
        colour: RGBColor | None = None,
        before: float | None = None,
        after: float | None = None,
        italic: bool = False,
        keep: bool = False,
        based_on: str | None = None,
    ) -> BaseStyle:
        """Set a style's font (and, for a paragraph style, spacing and keep-with-next)."""
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
    quote = restyle("Quote", colour=muted)  # indented both sides, as a browser shows it
    quote.paragraph_format.left_indent = quote.paragraph_format.right_indent = Mm(QUOTE_INDENT)
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
    restyle("Caption", size=9.5, bold=False, colour=muted, before=4, after=8, based_on="Normal")
    restyle("Code", after=4, based_on="Normal")
    _set_fonts(word.styles["Code"].element.get_or_add_rPr(), "Courier New")
    restyle("Inline Code", "character")
    _set_fonts(word.styles["Inline Code"].element.get_or_add_rPr(), "Courier New")
    rule = restyle("Thematic Break", size=4, before=6, after=12, based_on="Normal")
    _rule_below(rule, "B1B4B6")
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


def _key_messages_box(style: BaseStyle, accent: str, tint: str) -> None:
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


CALLOUT_COLOURS = {  # as style.css's callouts
    "note": "1D70B8",
    "tip": "00703C",
    "warning": "B58840",
    "caution": "B58840",
    "important": "D4351C",
}


def box_paragraph(p: BaseOxmlElement, kind: str, tint: str) -> None:
    """Rule and shade one paragraph of a callout: its kind's colour down the left, the tint
    behind it. Consecutive paragraphs with equal borders join into one box in Word."""
    ppr = p.get_or_add_pPr()
    for old in ppr.findall(w("pBdr")) + ppr.findall(w("shd")):
        ppr.remove(old)
    fill = _hex(tint)
    sides = [
        element(
            side,
            {
                "val": "single",
                "sz": str(round((BOX_RULE if side == "left" else BOX_EDGE) * 8)),
                "space": str(BOX_PADDING[side]),
                "color": CALLOUT_COLOURS[kind] if side == "left" else fill,
            },
        )
        for side in ("top", "left", "bottom", "right")
    ]
    ppr.insert_element_before(element("pBdr", None, *sides), *_AFTER_SHADING)
    shading = element("shd", {"val": "clear", "color": "auto", "fill": fill})
    ppr.insert_element_before(shading, *_AFTER_SHADING)
    ind = ppr.get_or_add_ind()  # the box inside the text column, as the key messages'
    left = int(ind.get(w("left")) or 0) + round((BOX_RULE + BOX_PADDING["left"]) * 20)
    ind.set(w("left"), str(left))
    ind.set(w("right"), str(round((BOX_EDGE + BOX_PADDING["right"]) * 20)))


TABLE_RULE = "B1B4B6"  # the light grey of the HTML and PDF tables' rules (style.css)
CELL_PADDING = {"top": 57, "left": 108, "bottom": 57, "right": 108}  # twips: 1 mm, 1.9 mm


def _table_grid_style(word: WordDocument, primary: str) -> None:
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


QUOTE_INDENT = 10  # mm each side: the 40 px a browser indents a blockquote by


def _rule_below(style: BaseStyle, colour: str) -> None:
    """A thin rule under an empty paragraph: the thematic break of HTML's <hr>."""
    ppr = style.element.get_or_add_pPr()
    bottom = {"val": "single", "sz": "6", "space": "1", "color": colour}  # 3/4 pt
    ppr.insert_element_before(element("pBdr", None, element("bottom", bottom)), *_AFTER_SHADING)


def _drop_letter_spacing(style: BaseStyle) -> None:
    """Remove a style's character spacing (w:spacing in its w:rPr)."""
    rpr = style.element.rPr
    for spacing in rpr.findall(w("spacing")) if rpr is not None else []:
        rpr.remove(spacing)


MASTHEAD_RULE = 4.5  # points: the navy rule under the first page's logo strip (PDF: 1.6 mm)
MASTHEAD_GAP = 6  # points from the logo strip to its rule


def _masthead_rule(style: BaseStyle, primary: str) -> None:
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

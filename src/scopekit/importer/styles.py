"""What each style of a DOCX means: title, heading level, list, quote; bold, italic, hidden.

Headings are found by outline level first (language-independent), then by style name or id,
English or localised (Word writes built-in names in English but ids in the user's language:
`berschrift1`, `Titre1`). Properties inherited through `basedOn` are resolved once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from scopekit.importer.ooxml import wval
from scopekit.ooxml import w

_HEADING_WORDS = (
    "heading|berschrift|überschrift|titre|título|ttulo|titolo|kop|rubrik|overskrift|otsikko"
    "|nagłówek|nagwek|nadpis|címsor|cmsor|заголовок|başlık|balk"
)
_HEADING = re.compile(rf"^(?:{_HEADING_WORDS})\s*([1-9])$", re.I)
_TITLES = {"title", "titel", "titre", "título", "ttulo", "titolo", "tytuł", "tytu", "rubrik"}
_SUBTITLES = {
    "subtitle",
    "untertitel",
    "sous-titre",
    "soustitre",
    "subtítulo",
    "subttulo",
    "sottotitolo",
    "ondertitel",
    "undertitel",
    "podtytuł",
    "podtytu",
}
_LIST = re.compile(r"^list\s*(bullet|number|continue)\s*([1-9])?$", re.I)
_CONTENTS = re.compile(r"^toc\s*(?:heading|[1-9])?$", re.I)
_QUOTES = {"quote", "intense quote", "intensequote", "block text", "blocktext"}
_FALSE = {"0", "false", "off"}


@dataclass(frozen=True)
class ParagraphStyle:
    """What a paragraph style says about its paragraphs."""

    name: str
    kind: str = "body"  # body, title, subtitle, heading, list, continue, quote, contents
    level: int = 0  # heading level (1…), or list depth (0…)
    ordered: bool = False
    num_id: str | None = None  # numbering the style applies
    num_level: int = 0


@dataclass(frozen=True)
class RunProps:
    """Character properties that matter for the text: emphasis, superscript, hidden."""

    bold: bool | None = None
    italic: bool | None = None
    superscript: bool | None = None
    hidden: bool | None = None


def toggle(element: etree._Element | None) -> bool | None:
    """An on/off property (`<w:b/>`, `<w:b w:val="0"/>`); None when not set."""
    if element is None:
        return None
    return wval(element) not in _FALSE


_B, _I, _VERT_ALIGN, _VANISH = w("b"), w("i"), w("vertAlign"), w("vanish")
NO_PROPS = RunProps()
_POSITION = w("position")


def _raised(value: str | None) -> bool | None:
    """A run raised above the line (`w:position` in half-points) reads as superscript."""
    try:
        return int(value or "0") > 0 or None
    except ValueError:
        return None


def run_props(rpr: etree._Element | None) -> RunProps:
    """The properties a w:rPr sets directly (one pass over it: this runs for every run)."""
    if rpr is None:
        return NO_PROPS
    bold = italic = superscript = hidden = None
    for child in rpr:
        tag = child.tag
        if tag == _B:
            bold = toggle(child)
        elif tag == _I:
            italic = toggle(child)
        elif tag == _VERT_ALIGN:
            superscript = wval(child) == "superscript"
        elif tag == _POSITION and superscript is None:  # raised: LibreOffice's own superscript
            superscript = _raised(wval(child))
        elif tag == _VANISH:
            hidden = toggle(child)
    return RunProps(bold, italic, superscript, hidden)


def overlay(base: RunProps, top: RunProps) -> RunProps:
    """`top` where it sets a property, else `base`."""
    if top is NO_PROPS:
        return base
    return RunProps(
        base.bold if top.bold is None else top.bold,
        base.italic if top.italic is None else top.italic,
        base.superscript if top.superscript is None else top.superscript,
        base.hidden if top.hidden is None else top.hidden,
    )


class Styles:
    """Paragraph and character styles by id, with inheritance resolved."""

    def __init__(self, root: etree._Element | None) -> None:
        self.elements: dict[str, etree._Element] = {}
        self.language: str | None = None
        self.paragraph_styles: dict[str, ParagraphStyle] = {}
        self.run_styles: dict[str, RunProps] = {}
        if root is None:
            return
        for style in root.iterfind(w("style")):
            style_id = style.get(w("styleId"))
            if style_id:
                self.elements[style_id] = style
        lang = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        self.language = wval(lang)

    def _chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and the styles it is based on, nearest first."""
        chain: list[etree._Element] = []
        while style_id and style_id in self.elements and len(chain) < 20:
            style = self.elements[style_id]
            if style in chain:
                break
            chain.append(style)
            style_id = wval(style.find(w("basedOn")))
        return chain

    def _inherited(self, chain: list[etree._Element], path: str) -> etree._Element | None:
        for style in chain:
            found = style.find(path)
            if found is not None:
                return found
        return None

    def paragraph(self, style_id: str | None) -> ParagraphStyle:
        """What a paragraph style means (an unknown or missing style is body text)."""
        key = style_id or ""
        if key not in self.paragraph_styles:
            self.paragraph_styles[key] = self._paragraph(key)
        return self.paragraph_styles[key]

    def _paragraph(self, style_id: str) -> ParagraphStyle:
        chain = self._chain(style_id)
        name = wval(chain[0].find(w("name"))) or style_id if chain else style_id
        ppr = f"{w('pPr')}/"
        outline = wval(self._inherited(chain, f"{ppr}{w('outlineLvl')}"))
        num = self._inherited(chain, f"{ppr}{w('numPr')}")
        num_id = wval(num.find(w("numId"))) if num is not None else None
        num_level = int(wval(num.find(w("ilvl"))) or 0) if num is not None else 0
        words = {name.lower(), style_id.lower()}
        heading = next((m for m in map(_HEADING.match, words) if m), None)
        listing = next((m for m in map(_LIST.match, words) if m), None)
        if any(map(_CONTENTS.match, words)):
            return ParagraphStyle(name, "contents")
        if outline is not None and outline.isdigit() and int(outline) < 9:
            return ParagraphStyle(name, "heading", int(outline) + 1)
        if heading:
            return ParagraphStyle(name, "heading", int(heading[1]))
        if words & _TITLES:
            return ParagraphStyle(name, "title")
        if words & _SUBTITLES:
            return ParagraphStyle(name, "subtitle")
        if listing:
            kind = "continue" if listing[1].lower() == "continue" else "list"
            level = int(listing[2] or 1) - 1
            ordered = listing[1].lower() == "number"
            return ParagraphStyle(name, kind, level, ordered, num_id, num_level or level)
        if words & _QUOTES:
            return ParagraphStyle(name, "quote")
        return ParagraphStyle(name, "body", num_id=num_id, num_level=num_level)

    def run(self, style_id: str | None) -> RunProps:
        """The properties of a character style (Strong is bold, Emphasis italic)."""
        if not style_id:
            return NO_PROPS
        if style_id not in self.run_styles:
            props = RunProps()
            for style in reversed(self._chain(style_id)):
                props = overlay(props, run_props(style.find(w("rPr"))))
            lowered = style_id.lower()
            if lowered == "strong":
                props = overlay(props, RunProps(bold=True))
            elif lowered == "emphasis":
                props = overlay(props, RunProps(bold=False, italic=True))
            elif lowered in ("footnotereference", "endnotereference"):
                props = overlay(props, RunProps(superscript=True))
            self.run_styles[style_id] = props
        return self.run_styles[style_id]

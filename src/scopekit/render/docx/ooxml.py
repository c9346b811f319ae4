"""The WordprocessingML pieces every part of the DOCX writer builds with.

Part and relationship types, units (EMU), text made safe for XML, `element()` and
`text_run()` for new w: elements, and `Hyperlinks`, a part's links to web URLs. The namespaces and
`w()` come from `scopekit.ooxml`, which the importer shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from scopekit.ooxml import R_NS, W_NS, XML_NS, w
from scopekit.urls import is_web_url

if TYPE_CHECKING:
    from docx.opc.part import Part
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.shape import InlineShape

    from scopekit.notes import Run

FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
HYPERLINK_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_W_NSMAP = {"w": W_NS}
TEXT_WIDTH = 170 * 36000  # EMU: A4 less 20 mm margins each side
TABLE_GAP = 12 * 12700  # EMU: 12 pt of space between a table and the paragraph after it


def xml_text(text: str) -> str:
    """Text with the characters XML cannot hold removed."""
    return _NOT_XML.sub("", text)


def element(
    tag: str, attrs: dict[str, str] | None = None, *children: BaseOxmlElement
) -> BaseOxmlElement:
    """A w: element with w: attributes and children (made as python-docx's `OxmlElement`
    makes it, with its custom element class, without parsing a prefixed name each time)."""
    from docx.oxml.parser import oxml_parser

    el = oxml_parser.makeelement(w(tag), nsmap=_W_NSMAP)
    for key, value in (attrs or {}).items():
        el.set(w(key) if ":" not in key else key, value)
    for child in children:
        el.append(child)
    return el


def text_run(text: str, style: str | None = None, bold: bool = False) -> BaseOxmlElement:
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


def no_text_distance(picture: InlineShape) -> None:
    """An inline picture with no distance to the text around it, as Word writes it: without
    these attributes LibreOffice keeps 3.2 mm clear left and right of the picture."""
    for side in ("distT", "distB", "distL", "distR"):
        picture._inline.set(side, "0")


_STYLES = {"strong": "Strong", "em": "Emphasis", "code": "InlineCode"}  # style ids


def field_runs(instruction: str, shown: str) -> list[BaseOxmlElement]:
    """A live field (PAGE, NOTEREF …) as begin / instruction / separate / result / end runs;
    `shown` is its cached result, what a reader sees until Word updates the field."""
    instr = element("instrText", {f"{{{XML_NS}}}space": "preserve"})
    instr.text = f" {instruction} "
    return [
        element("r", None, element("fldChar", {"fldCharType": "begin"})),
        element("r", None, instr),
        element("r", None, element("fldChar", {"fldCharType": "separate"})),
        text_run(shown),
        element("r", None, element("fldChar", {"fldCharType": "end"})),
    ]


def note_bookmark(number: int) -> str:
    """The name of the hidden bookmark on note `number`'s mark in the text ("As N" refers
    to it with a NOTEREF field, so the number stays right when Word renumbers)."""
    return f"_RefNote{number}"


class Hyperlinks:
    """The external hyperlinks from one part (the body, the footnotes) to web URLs.

    One relationship per URL, made on first use and numbered in the part's own series
    (rIdL1, rIdL2…). python-docx's `relate_to` scans every relationship of the part per call
    (quadratic in the number of links); this keeps the part's table of URL → id instead. Each
    render makes its own, so nothing outlives the document it was made for.
    """

    def __init__(self, part: Part) -> None:
        self.part = part
        self._ids: dict[str, str] = {}

    def rid(self, url: str) -> str:
        """The relationship id of the hyperlink to `url`, made the first time it is asked."""
        if url not in self._ids:
            rid = f"rIdL{len(self._ids) + 1}"
            self.part.rels.add_relationship(HYPERLINK_RT, url, rid, is_external=True)
            self._ids[url] = rid
        return self._ids[url]

    def hyperlink(self, url: str) -> BaseOxmlElement:
        """An empty w:hyperlink to `url`, for the runs of its text."""
        return element("hyperlink", {f"{{{R_NS}}}id": self.rid(url), "history": "1"})

    def run(self, text: str, href: str | None, style: str | None = None) -> BaseOxmlElement:
        """A hyperlink holding `text` when `href` is a web URL, else a plain run of it."""
        if href and is_web_url(href):
            link = self.hyperlink(href)
            link.append(text_run(text, "Hyperlink", bold=style in ("Strong", "Emphasis")))
            return link
        return text_run(text, style)

    def append_runs(self, container: BaseOxmlElement, runs: Iterable[Run]) -> None:
        """Append note or reference runs to a paragraph element: web URLs as hyperlinks,
        emphasis as in the body (the house shows both kinds bold)."""
        pieces: list[tuple[str, str | None, str | None]] = []
        for run in runs:
            if run.note is not None:  # the N of "As N": a live reference to note N's mark
                container.extend(self.run(*piece) for piece in pieces)
                container.extend(field_runs(f"NOTEREF {note_bookmark(run.note)} \\h", run.text))
                pieces = []
                continue
            style = _STYLES.get(run.marks[-1]) if run.marks else None
            if pieces and pieces[-1][1:] == (run.href, style):  # one w:r for one look
                pieces[-1] = (pieces[-1][0] + run.text, run.href, style)
            else:
                pieces.append((run.text, run.href, style))
        container.extend(self.run(*piece) for piece in pieces)

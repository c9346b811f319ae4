"""The WordprocessingML pieces every part of the DOCX writer builds with.

Part and relationship types, units (EMU), text made safe for XML, `element()` and
`text_run()` for new w: elements, and hyperlinks from a part to web URLs. The namespaces and
`w()` come from `scopekit.ooxml`, which the importer shares.
"""

from __future__ import annotations

import re

from scopekit.ooxml import R_NS, XML_NS, w
from scopekit.urls import is_web_url

FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
FOOTNOTES_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
HYPERLINK_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
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


def no_text_distance(picture) -> None:
    """An inline picture with no distance to the text around it, as Word writes it: without
    these attributes LibreOffice keeps 3.2 mm clear left and right of the picture."""
    for side in ("distT", "distB", "distL", "distR"):
        picture._inline.set(side, "0")


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

"""The way back from the DOCX to the review folder: block anchors and the build record.

Every paragraph, heading, list item and table cell the writer makes is registered with its
`Origin` (the section file and lines it came from, or what generated it). When the body is
complete, `finish` gives each block, in reading order, an empty hidden bookmark `_skN` at its
start (Word and LibreOffice both keep bookmarks, and hide those whose names start with `_`),
and writes the build record: each block's text as `scopekit.wordtext` reads it back, its
origin and Markdown source, and each note's citation key and text. The record goes into the
DOCX as a custom XML part (which Word keeps) and to the review's `.scopekit/` (by build).
Each note reference is wrapped in a bookmark `_sknN` by the inline writer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scopekit.ooxml import w
from scopekit.render.docx.ooxml import element
from scopekit.wordtext import ANCHOR, read_paragraph

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

    from scopekit.render import Document

RECORD_NS = "urn:scopekit:build-record:1"
RECORD_FORMAT = 2  # 2: each block's bold and italic stretches (`marks`)
CUSTOM_XML_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"
CUSTOM_PROPS_RT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps"
)
CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
DATASTORE_NS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
RECORD_ITEM_ID = "{5C09E0B1-7A3D-4B8E-9C51-0D5C0BE5C0DE}"  # fixed: equal input, equal bytes


@dataclass(frozen=True)
class Origin:
    """Where a block came from: a section file's lines (1-based, `end` inclusive) and, for a
    table cell, its column; or, for generated text (`kind` "generated"), what made it."""

    kind: str  # heading, paragraph, item, cell, code, rule, generated
    file: str | None = None
    line: int | None = None
    end: int | None = None
    cell: int | None = None
    what: str = ""


class Anchors:
    """The blocks of one render in reading order, anchored and recorded by `finish`."""

    def __init__(self) -> None:
        self.blocks: list[tuple[BaseOxmlElement, Origin]] = []

    def add(self, p: BaseOxmlElement, origin: Origin) -> None:
        """Register a paragraph element (of the body or a table cell) and its origin."""
        self.blocks.append((p, origin))

    def finish(self, word: WordDocument, doc: Document, first_id: int) -> bytes:
        """Anchor every block, add the record part to the package; the record's bytes."""
        blocks = []
        sources = {section.file: section.text.split("\n") for section in doc.review.texts}
        for number, (p, origin) in enumerate(self.blocks, start=1):
            bookmark_id = str(first_id + number)
            start = element("bookmarkStart", {"id": bookmark_id, "name": f"{ANCHOR}{number}"})
            ppr = p.find(w("pPr"))
            at = 0 if ppr is None else list(p).index(ppr) + 1
            p.insert(at, element("bookmarkEnd", {"id": bookmark_id}))
            p.insert(at, start)
            entry = {k: v for k, v in vars(origin).items() if v not in (None, "")}
            entry["n"] = number
            read = read_paragraph(p)
            entry["text"] = read.text()
            marks = read.mark_spans()
            if marks:
                entry["marks"] = marks
            lines = sources.get(origin.file or "")
            if lines is not None and origin.line and origin.kind != "generated":
                entry["source"] = "\n".join(lines[origin.line - 1 : (origin.end or origin.line)])
            blocks.append(entry)
        record = {
            "format": RECORD_FORMAT,
            "review": {"title": doc.title, "folder": doc.review.root.resolve().name},
            "built": doc.moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "blocks": blocks,
            "notes": [
                {"n": note.number, "key": note.source_id, "text": note.text}
                for note in doc.notes.notes
            ],
        }
        body = json.dumps(record, ensure_ascii=False, sort_keys=True)
        record["id"] = hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]
        # ASCII: every character XML cannot hold (U+FFFE, controls) is escaped by JSON
        data = (json.dumps(record, sort_keys=True, indent=1) + "\n").encode()
        _add_record_part(word, data)
        return data


def _add_record_part(word: WordDocument, data: bytes) -> None:
    """The record as a custom XML part of the main document, with its properties part."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from lxml import etree

    package = word.part.package
    root = etree.Element(f"{{{RECORD_NS}}}record", nsmap={None: RECORD_NS})
    root.text = data.decode("utf-8")
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    name = package.next_partname("/customXml/item%d.xml")
    item = Part(PackURI(name), "application/xml", xml, package)
    props_xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<ds:datastoreItem ds:itemID="{RECORD_ITEM_ID}" xmlns:ds="{DATASTORE_NS}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{RECORD_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()
    props_name = name.replace("/item", "/itemProps")
    props = Part(PackURI(props_name), CUSTOM_PROPS_CT, props_xml, package)
    item.relate_to(props, CUSTOM_PROPS_RT)
    word.part.relate_to(item, CUSTOM_XML_RT)

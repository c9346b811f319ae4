"""The build record of a DOCX: read from its custom XML part, else from `.scopekit/records/`.

The record (written by `render.docx.anchors`) lists each block scopekit built: its anchor
number, text, origin and Markdown source, and each note's citation key. A DOCX whose record
names another review is refused, saying which review it came from.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from scopekit.errors import DocumentUnreadable

RECORD_NS = "urn:scopekit:build-record:1"
RECORDS = Path(".scopekit") / "records"


@dataclass
class Built:
    """One block as built: anchor number, kind, text and where it came from."""

    n: int
    kind: str
    text: str
    file: str | None = None
    line: int | None = None
    end: int | None = None
    cell: int | None = None
    what: str = ""
    source: str | None = None
    marks: list | None = None  # [start, end, "b"/"i"/"bi"] of bold and italic stretches


@dataclass
class Record:
    """A DOCX build record: the review it was built from, its blocks and notes."""

    id: str
    title: str
    folder: str
    built: str
    blocks: list[Built] = field(default_factory=list)
    notes: dict[int, dict] = field(default_factory=dict)
    inside: bool = True  # read from the DOCX itself (False: from .scopekit/)
    format: int = 1  # 2 and after: blocks record their bold and italic

    def block(self, number: int) -> Built | None:
        """The built block of an anchor number."""
        if 1 <= number <= len(self.blocks) and self.blocks[number - 1].n == number:
            return self.blocks[number - 1]
        return next((b for b in self.blocks if b.n == number), None)


def parse_record(data: bytes | str, inside: bool = True) -> Record:
    """A record from its JSON (ValueError if it is not one)."""
    raw = json.loads(data)
    if not isinstance(raw, dict) or not isinstance(raw.get("blocks"), list):
        raise ValueError("not a scopekit build record")
    known = set(Built.__dataclass_fields__)
    blocks = [Built(**{k: v for k, v in b.items() if k in known}) for b in raw["blocks"]]
    review = raw.get("review") or {}
    notes = {int(n["n"]): n for n in raw.get("notes", []) if isinstance(n, dict) and "n" in n}
    return Record(
        str(raw.get("id", "")),
        str(review.get("title", "")),
        str(review.get("folder", "")),
        str(raw.get("built", "")),
        blocks,
        notes,
        inside,
        int(raw.get("format") or 1),
    )


def record_in_parts(items: list[etree._Element]) -> Record | None:
    """The record among a DOCX's custom XML parts, if one is scopekit's."""
    for root in items:
        if root.tag == f"{{{RECORD_NS}}}record" and root.text:
            try:
                return parse_record(root.text)
            except (ValueError, TypeError, KeyError):
                continue
    return None


def kept_record(review_root: Path, build_id: str | None = None) -> Record | None:
    """A record kept in the review's `.scopekit/records/` (by id, else the latest build)."""
    folder = review_root / RECORDS
    for name in ([f"{build_id}.json"] if build_id else []) + ["latest.json"]:
        try:
            return parse_record((folder / name).read_bytes(), inside=False)
        except (OSError, ValueError, TypeError, KeyError):
            continue
    return None


def not_this_review(docx: Path, record: Record, review_title: str, folder: Path) -> None:
    """Refuse a record built from another review (DocumentUnreadable, naming it)."""
    if record.title == review_title or record.folder == folder.resolve().name:
        return
    raise DocumentUnreadable(
        f"{docx} was built from another review: “{record.title}” (folder {record.folder})",
        "merge it into that review's folder: scopekit merge "
        f"{shlex.quote(str(docx))} {shlex.quote(record.folder)}",
    )


def read_record(docx: Path) -> tuple[Record, dict[int, dict]]:
    """The build record inside a DOCX scopekit built (DocumentUnreadable when it has none),
    and each anchored paragraph's style and list numbering there (block number → them)."""
    from scopekit.importer.ooxml import read_package

    package = read_package(docx, "changes-since")
    record = record_in_parts(package.custom_xml)
    if record is None:
        raise DocumentUnreadable(
            f"{docx} has no scopekit build record: it was not built by scopekit",
            "give --changes-since a DOCX that scopekit build wrote",
        )
    return record, _styles(package.document.root)


def _styles(root: etree._Element) -> dict[int, dict]:
    """{block number: {"style", "ilvl", "numId"}} of each paragraph with a `_skN` anchor."""
    from scopekit.ooxml import w
    from scopekit.wordtext import anchor_number

    found: dict[int, dict] = {}
    for p in root.iter(w("p")):
        number = next(
            (
                n
                for b in p.iterfind(w("bookmarkStart"))
                if (n := anchor_number(b.get(w("name"), ""))) is not None
            ),
            None,
        )
        ppr = p.find(w("pPr"))
        if number is None or ppr is None:
            continue
        style, level, numbering = (
            ppr.find(w("pStyle")),
            ppr.find(f"{w('numPr')}/{w('ilvl')}"),
            (ppr.find(f"{w('numPr')}/{w('numId')}")),
        )
        found[number] = {
            name: element.get(w("val"))
            for name, element in (("style", style), ("ilvl", level), ("numId", numbering))
            if element is not None and element.get(w("val"))
        }
    return found


def as_earlier(record: Record, styles: dict[int, dict] | None = None) -> dict:
    """What `build --changes-since` compares with: each block's text, kind, file, Markdown
    source and style (paragraph style, list level and numbering), and the notes."""
    styles = styles or {}
    return {
        "blocks": [
            {
                "text": b.text,
                "kind": b.kind,
                "file": b.file,
                "source": b.source,
                "style": styles.get(b.n, {}),
            }
            for b in record.blocks
        ],
        "notes": list(record.notes.values()),
    }

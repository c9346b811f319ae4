"""The edited DOCX, read with the importer's OOXML reader: body blocks, notes, comments,
hyperlink targets, the block each bookmark is in.

Each body paragraph (table cells included) in reading order becomes an `EditedBlock`: its
paragraph style and its text read by `scopekit.wordtext`, tracked changes kept. Comments
come with their author, date, text and replies (threaded through commentsExtended.xml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from scopekit.importer.ooxml import Package, read_package
from scopekit.merging.record import Record, record_in_parts
from scopekit.ooxml import w
from scopekit.wordtext import Paragraph, read_paragraph

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
LIST_STYLES = ("ListBullet", "ListNumber", "ListParagraph")
_HEADING = re.compile(r"Heading([1-6])$")


@dataclass
class EditedBlock:
    """One paragraph of the edited document."""

    paragraph: Paragraph
    style: str = ""
    in_table: bool = False

    @property
    def is_list(self) -> bool:
        return self.style.startswith(LIST_STYLES)

    @property
    def heading_level(self) -> int:
        """N for a paragraph in scopekit's `HeadingN` style (a Markdown `#`×N), else 0."""
        found = _HEADING.match(self.style)
        return int(found[1]) if found else 0


@dataclass
class Comment:
    """A Word comment: who, when, what it says, and the replies to it."""

    id: str
    author: str
    date: str
    text: str
    replies: list[Comment] = field(default_factory=list)

    def critic(self) -> str:
        """The comment and its replies as CriticMarkup comments."""
        parts = [self, *self.replies]
        return "".join(f"{{>>{c.author}, {c.date[:10]}: {c.text}<<}}" for c in parts)


@dataclass
class Edited:
    """What the edited DOCX holds: blocks, note texts by note id, comments, its record."""

    blocks: list[EditedBlock]
    notes: dict[str, str]
    comments: dict[str, Comment]
    record: Record | None
    links: dict[str, str] = field(default_factory=dict)  # hyperlink relationship id → URL
    bookmarks: dict[str, int] = field(default_factory=dict)  # bookmark name → its block
    note_changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → who, when
    restyled_notes: set[str] = field(default_factory=set)  # ids: bold/italic changed, tracked


def _text(element: etree._Element) -> str:
    return " ".join(read_paragraph(p).text() for p in element.iter(w("p"))).strip()


def read_comments(package: Package) -> dict[str, Comment]:
    """Comments by id; a reply (commentsExtended paraIdParent) is put under its parent."""
    if package.comments is None:
        return {}
    found: dict[str, Comment] = {}
    para_of: dict[str, str] = {}  # a comment's last paragraph id → comment id
    for element in package.comments.iterfind(w("comment")):
        comment = Comment(
            element.get(w("id"), ""),
            element.get(w("author"), ""),
            element.get(w("date"), ""),
            _text(element),
        )
        found[comment.id] = comment
        paragraphs = element.findall(w("p"))
        if paragraphs:
            para_of[paragraphs[-1].get(f"{{{W14}}}paraId", "")] = comment.id
    if package.comments_extended is not None:
        for ex in package.comments_extended.iter(f"{{{W15}}}commentEx"):
            parent = para_of.get(ex.get(f"{{{W15}}}paraIdParent", ""))
            child = para_of.get(ex.get(f"{{{W15}}}paraId", ""))
            if parent and child and parent != child and child in found:
                found[parent].replies.append(found.pop(child))
    return found


def read_edited(path: Path) -> Edited:
    """Read the edited DOCX (DocumentUnreadable when it cannot be)."""
    package = read_package(path, "merge")
    body = package.document.root.find(w("body"))
    blocks = []
    bookmarks: dict[str, int] = {}
    for p in body.iter(w("p")):
        for mark in p.iter(w("bookmarkStart")):
            bookmarks.setdefault(mark.get(w("name"), ""), len(blocks))
        ppr = p.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        in_table = any(a.tag == w("tc") for a in p.iterancestors())
        blocks.append(
            EditedBlock(
                read_paragraph(p), style.get(w("val"), "") if style is not None else "", in_table
            )
        )
    notes: dict[str, str] = {}
    changes: dict[str, tuple[str, str]] = {}  # a note's first tracked change: author, date
    restyled: set[str] = set()
    if package.footnotes is not None:
        for note in package.footnotes.root.iterfind(w("footnote")):
            if note.get(w("type")) in (None, "normal"):
                note_id = note.get(w("id"), "")
                notes[note_id] = _text(note)
                tracked = list(note.iter(w("ins"), w("del"), w("rPrChange")))
                if tracked:
                    changes[note_id] = (
                        tracked[0].get(w("author"), ""),
                        tracked[0].get(w("date"), ""),
                    )
                if any(change.tag == w("rPrChange") for change in tracked):
                    restyled.add(note_id)
    return Edited(
        blocks,
        notes,
        read_comments(package),
        record_in_parts(package.custom_xml),
        package.document.links,
        bookmarks,
        changes,
        restyled,
    )

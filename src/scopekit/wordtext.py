"""The text of one Word paragraph as the build record and `merge` read it, tracked changes kept.

A paragraph element (lxml) becomes `Piece`s: text, with the tracked change it belongs to
(`ins`, `del`, with author and date; moves count as a deletion and an insertion), the
comments whose ranges cover it, and the hyperlink it is in. A footnote reference is one
character of its own: the note scopekit numbered N (the reference stands inside the hidden
bookmark `_sknN`) is `note_char(N)`, a footnote someone else added is `NEW_NOTE`. Runs split
mid-word (rsids), proofing marks, smart tags, content controls and hyperlinks are looked
through; field codes are never text. The build stores the text it wrote this way, so an
unedited paragraph reads back exactly as recorded. Plain lxml, nothing of a review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scopekit.ooxml import R_NS, W_NS, w

ANCHOR = "_sk"  # `_sk12`: the block anchor; Word hides bookmarks whose names start with `_`
NOTE_ANCHOR = "_skn"  # `_skn3`: around the reference of note 3
_ANCHOR = re.compile(r"_sk(\d+)$")
_NOTE_ANCHOR = re.compile(r"_skn(\d+)$")
NOTE_BASE = 0xE000  # note N is the private-use character NOTE_BASE + N
NOTE_LIMIT = 0xF000
NEW_NOTE = "\uf8ff"  # a footnote reference scopekit did not write


def note_char(number: int) -> str:
    """The character that stands for scopekit's note `number` in recorded text."""
    return chr(NOTE_BASE + number)


def note_number(char: str) -> int | None:
    """The note a character stands for, or None for ordinary text (and NEW_NOTE)."""
    code = ord(char)
    return code - NOTE_BASE if NOTE_BASE < code < NOTE_LIMIT else None


def is_note(char: str) -> bool:
    """Whether a character stands for a footnote reference."""
    return note_number(char) is not None or char == NEW_NOTE


def anchor_number(name: str) -> int | None:
    """The block number of an anchor bookmark name (`_sk12` → 12), else None."""
    found = _ANCHOR.match(name)
    return int(found[1]) if found else None


@dataclass
class Change:
    """A tracked change: its kind (`ins` or `del`), author and date as Word wrote them."""

    kind: str
    author: str = ""
    date: str = ""


@dataclass
class Piece:
    """Text with the tracked change it is part of (None: untracked) and the comments over it."""

    text: str
    change: Change | None = None
    comments: tuple[str, ...] = ()
    note_id: str = ""  # the w:id of a footnote reference
    marks: str = ""  # "b" bold (Strong or w:b), "i" italic (Emphasis or w:i), both, or none
    restyled: Change | None = None  # a tracked formatting change (w:rPrChange)
    link: str = ""  # the w:hyperlink it is in: its relationship id (`rId5#frag` with an
    # anchor, a URL's fragment), or `#` and its anchor (a place in the document)


@dataclass
class Paragraph:
    """A paragraph read: its pieces, its anchor, and whether its mark is a tracked change."""

    pieces: list[Piece] = field(default_factory=list)
    anchor: int | None = None
    mark: Change | None = None  # the paragraph mark inserted or deleted
    comment_starts: list[str] = field(default_factory=list)

    def text(self, view: str = "after") -> str:
        """The text after the tracked changes (`after`) or before them (`before`)."""
        drop = "del" if view == "after" else "ins"
        return "".join(p.text for p in self.pieces if p.change is None or p.change.kind != drop)

    def char_marks(self) -> list[str]:
        """The marks of each character of the text after the tracked changes."""
        return [
            p.marks
            for p in self.pieces
            if p.change is None or p.change.kind != "del"
            for _ in p.text
        ]

    def mark_spans(self) -> list[list]:
        """[start, end, marks] of each stretch of the after-text with bold or italic."""
        spans: list[list] = []
        at = 0
        for piece in self.pieces:
            if piece.change is not None and piece.change.kind == "del":
                continue
            end = at + len(piece.text)
            if piece.marks:
                if spans and spans[-1][1] == at and spans[-1][2] == piece.marks:
                    spans[-1][1] = end
                else:
                    spans.append([at, end, piece.marks])
            at = end
        return spans

    @property
    def changes(self) -> list[Change]:
        """The tracked changes of the paragraph, in order, one per author and date."""
        seen: dict[tuple[str, str, str], Change] = {}
        for piece in self.pieces:
            if piece.change is not None:
                key = (piece.change.kind, piece.change.author, piece.change.date)
                seen.setdefault(key, piece.change)
        if self.mark is not None:
            seen.setdefault((self.mark.kind, self.mark.author, self.mark.date), self.mark)
        return list(seen.values())


_LOOK_THROUGH = {"smartTag", "customXml", "sdtContent", "dir", "bdo", "fldSimple"}
_CHANGES = {"ins": "ins", "moveTo": "ins", "del": "del", "moveFrom": "del"}


class _Reader:
    """Walks one paragraph, keeping the open change, fields, comments and note bookmarks."""

    def __init__(self) -> None:
        self.out = Paragraph()
        self.change: list[Change] = []
        self.fields: list[bool] = []  # per open field: whether its result has begun
        self.comments: list[str] = []
        self.bookmarks: dict[str, str] = {}  # open bookmarks: id → name
        self.pending_note: int | None = None  # a `_sknN` met with no text since
        self.marks = ""
        self.restyled: Change | None = None
        self.links: list[str] = []  # the open hyperlinks' targets

    def walk(self, parent) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str) or not tag.startswith(f"{{{W_NS}}}"):
                continue
            name = tag[len(W_NS) + 2 :]
            if name == "r":
                self.run(child)
            elif name in _CHANGES:
                self.change.append(_change(child, _CHANGES[name]))
                self.walk(child)
                self.change.pop()
            elif name in _LOOK_THROUGH:
                self.walk(child)
            elif name == "hyperlink":
                anchor = child.get(w("anchor"))
                rid = child.get(f"{{{R_NS}}}id") or ""
                self.links.append(f"{rid}#{anchor}" if anchor else rid)
                self.walk(child)
                self.links.pop()
            elif name == "sdt":
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.walk(content)
            elif name == "bookmarkStart":
                self.bookmark_start(child)
            elif name == "bookmarkEnd":
                self.bookmarks.pop(child.get(w("id"), ""), None)
            elif name == "commentRangeStart":
                self.comments.append(child.get(w("id"), ""))
                self.out.comment_starts.append(child.get(w("id"), ""))
            elif name == "commentRangeEnd":
                ended = child.get(w("id"), "")
                if ended in self.comments:
                    self.comments.remove(ended)

    def bookmark_start(self, element) -> None:
        name = element.get(w("name"), "")
        self.bookmarks[element.get(w("id"), "")] = name
        number = anchor_number(name)
        if number is not None and self.out.anchor is None:
            self.out.anchor = number
        found = _NOTE_ANCHOR.match(name)
        if found:
            self.pending_note = int(found[1])

    def run(self, r) -> None:
        self.marks, self.restyled = _marks(r.find(w("rPr")))
        for child in r:
            name = child.tag[len(W_NS) + 2 :] if isinstance(child.tag, str) else ""
            if name == "fldChar":
                kind = child.get(w("fldCharType"))
                if kind == "begin":
                    self.fields.append(False)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = True
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif not all(self.fields):
                continue  # field code
            elif name in ("t", "delText"):
                self.add(child.text or "")
            elif name in ("tab", "ptab"):
                self.add("\t")
            elif name in ("br", "cr"):
                self.add(" ")
            elif name == "noBreakHyphen":
                self.add("-")
            elif name == "footnoteReference":
                self.add(self.note(), child.get(w("id"), ""))

    def note(self) -> str:
        """The character of a footnote reference here: scopekit's note N, or a new one.

        LibreOffice saves the bookmark around a reference as an empty one just before it:
        a `_sknN` met with no text between it and the reference counts too."""
        for name in reversed(list(self.bookmarks.values())):
            found = _NOTE_ANCHOR.match(name)
            if found:
                return note_char(int(found[1]))
        if self.pending_note is not None:
            return note_char(self.pending_note)
        return NEW_NOTE

    def add(self, text: str, note_id: str = "") -> None:
        if not text:
            return
        self.pending_note = None
        change = self.change[-1] if self.change else None
        pieces = self.out.pieces
        comments = tuple(self.comments)
        marks, restyled = ("", None) if note_id else (self.marks, self.restyled)
        link = self.links[-1] if self.links else ""
        if pieces and not note_id and not pieces[-1].note_id:
            last = pieces[-1]
            if (last.change, last.comments, last.marks, last.restyled, last.link) == (
                change,
                comments,
                marks,
                restyled,
                link,
            ):
                last.text += text
                return
        pieces.append(Piece(text, change, comments, note_id, marks, restyled, link))


_ON = {None, "1", "true", "on"}
_STYLE_MARKS = {"Strong": "b", "Emphasis": "i"}


def _marks(rpr) -> tuple[str, Change | None]:
    """A run's bold and italic (its character style or direct formatting) and the tracked
    formatting change it carries."""
    if rpr is None:
        return "", None
    style = rpr.find(w("rStyle"))
    found = set(_STYLE_MARKS.get(style.get(w("val"), ""), "")) if style is not None else set()
    for tag, mark in (("b", "b"), ("i", "i")):
        element = rpr.find(w(tag))
        if element is not None:
            (found.add if element.get(w("val")) in _ON else found.discard)(mark)
    change = rpr.find(w("rPrChange"))
    restyled = _change(change, "format") if change is not None else None
    return "".join(sorted(found)), restyled


def _change(element, kind: str) -> Change:
    return Change(kind, element.get(w("author"), ""), element.get(w("date"), ""))


def read_paragraph(p) -> Paragraph:
    """One w:p element read into pieces (see the module's docstring)."""
    reader = _Reader()
    reader.walk(p)
    ppr = p.find(w("pPr"))
    rpr = ppr.find(w("rPr")) if ppr is not None else None
    if rpr is not None:
        for name, kind in _CHANGES.items():
            mark = rpr.find(w(name))
            if mark is not None:
                reader.out.mark = _change(mark, kind)
    return reader.out


class _RunSpans(_Reader):
    """The reader, noting where each run's text starts and ends."""

    def __init__(self) -> None:
        super().__init__()
        self.spans: list[tuple[object, int, int]] = []

    def run(self, r) -> None:
        start = sum(len(p.text) for p in self.out.pieces)
        super().run(r)
        self.spans.append((r, start, sum(len(p.text) for p in self.out.pieces)))


def run_spans(p) -> list[tuple[object, int, int]]:
    """(w:r element, start, end) of each run of a paragraph, as offsets of its text read
    with both views' characters (deleted text counted too)."""
    reader = _RunSpans()
    reader.walk(p)
    return reader.spans

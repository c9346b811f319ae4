"""Footnote references in the edited DOCX that scopekit did not number itself.

A reference Word re-made (a note cut and pasted with track changes on gets a new footnote
with the same text) is known by its text: it is the recorded note. A footnote a colleague
typed with a URL (and "(Accessed …)") is read as `import` reads notes, and becomes a new
source appended to sources.yaml (every byte before it kept), cited `[@key]` at that place;
a URL the review already has is cited by its key. A note changed in Word whose access date
differs names the sources.yaml line to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scopekit.importer.accessdates import find_access_date
from scopekit.importer.files import source_lines
from scopekit.importer.model import ImportReport
from scopekit.importer.notetext import parse_note
from scopekit.importer.sources import SourceTable, unique
from scopekit.review import Review
from scopekit.review.model import SOURCES_FILE
from scopekit.review.yaml_edit import YamlEditor
from scopekit.review.yaml_reader import YamlError
from scopekit.urls import normalise, typed_urls
from scopekit.wordtext import NEW_NOTE, Paragraph, note_char, note_number

ADDED_BASE = 3000  # a note added in Word is note_char(ADDED_BASE + k) while merging
EDITED_NOTE = 0.6  # how like a recorded note's text a note must be to be that note, edited


def _plain(text: str) -> str:
    return " ".join(text.split())


@dataclass
class NewSource:
    """A source made from a footnote added in Word."""

    key: str
    lines: list[str]
    url: str


@dataclass
class AddedNotes:
    """What the footnotes added in Word became: their citations, the new sources."""

    review: Review
    recorded: dict[int, dict]
    texts: dict[str, str]  # footnote w:id → its text in the edited DOCX
    citations: dict[str, str] = field(default_factory=dict)  # note character → `[@key]`
    sources: list[NewSource] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)  # footnote texts that cite no URL

    def resolve(self, paragraph: Paragraph, place: str, built: str = "") -> None:
        """Give each reference of `paragraph` scopekit did not number its note character;
        `built` is the recorded text of the block it was built as, if known."""
        for piece in paragraph.pieces:
            if piece.text != NEW_NOTE or not piece.note_id:
                continue
            if piece.change is not None and piece.change.kind == "del":
                continue  # a reference deleted (as `build --changes-since` shows one gone)
            text = _plain(self.texts.get(piece.note_id, ""))
            if not text:
                continue
            present = paragraph.text()
            known = (
                [n for n, note in self.recorded.items() if _plain(str(note.get("text"))) == text]
                or self.edited_note(text, present)
                or self.missing_note(text, present, built)
            )
            if known:
                piece.text = note_char(
                    next((n for n in known if note_char(n) not in present), known[0])
                )
                continue
            key = self.cite(text, place)
            if key is None:
                self.unread.append(text)
                continue
            char = note_char(ADDED_BASE + len(self.citations))
            self.citations[char] = f"[@{key}]"
            piece.text = char

    def edited_note(self, text: str, present: str) -> list[int]:
        """The recorded note a note edited in Word (no `_sknN` to say which it is) is most
        like, if one is like enough, cites the same URLs and is not already in the paragraph:
        the note stays where it is and its edit is merged or said (`Merger.notes`), never
        taken for a new one."""
        from difflib import SequenceMatcher

        links = {normalise(u) for u in typed_urls(text)}
        best, number = EDITED_NOTE, None
        for n, note in self.recorded.items():
            was = _plain(str(note.get("text")))
            if note_char(n) in present or {normalise(u) for u in typed_urls(was)} != links:
                continue
            ratio = SequenceMatcher(None, was, text).ratio()
            if ratio >= best:
                best, number = ratio, n
        return [number] if number is not None else []

    def missing_note(self, text: str, present: str, built: str) -> list[int]:
        """The one note of the author's own the block was built with and no longer calls,
        when the note in its place now cites no URL: that note, reworded beyond telling by
        its text (a copy without the `_sknN` anchors)."""
        if any(typed_urls(text)):
            return []
        gone = [
            n
            for char in built
            if (n := note_number(char)) is not None
            and char not in present
            and n in self.recorded
            and not self.recorded[n].get("key")
        ]
        return gone if len(gone) == 1 else []

    def cite(self, text: str, place: str) -> str | None:
        """The key of the source a typed footnote cites (new, or the review's own)."""
        cited = next((c for c in parse_note(text, [(text, None)]).cited if c.url), None)
        if cited is None or cited.url is None:
            return None
        url = normalise(cited.url)
        for source in self.review.sources:
            if source.url and normalise(source.url) == url:
                return source.id
        for new in self.sources:
            if new.url == url:
                return new.key
        note = parse_note(text, [(text, None)])
        table = SourceTable(ImportReport("", ""))
        found = table.cited(cited, place, note.access.date if note.access else None)
        table.finish()
        used = {s.id for s in self.review.sources} | {n.key for n in self.sources}
        found.id = unique(found.id, used)
        found.places = [f"footnote added in Word, {place}"]
        self.sources.append(NewSource(found.id, source_lines(found), url))
        return found.id

    def sources_text(self) -> tuple[str, str] | None:
        """sources.yaml (now, with the new sources appended), or None when none is new or
        the file could not keep every byte."""
        if not self.sources:
            return None
        path = self.review.root / SOURCES_FILE
        editor = YamlEditor(path)
        before = editor.text()
        indent = editor.list_indent()
        try:
            for new in self.sources:
                editor.append(["", *(indent + line for line in new.lines)])
        except (ValueError, YamlError):
            return None
        if not editor.valid():
            return None
        return editor.bom + before, editor.bom + editor.text()


def access_change(review: Review, key: str | None, old: str, new: str) -> str | None:
    """Where to make a note's changed access date: the sources.yaml line, else None."""
    before, after = find_access_date(old), find_access_date(new)
    if after is None or (before is not None and before.date == after.date):
        return None
    source = review.source_index().get(key or "")
    when = after.date if after.date is not None else after.text
    if source is None:
        return None
    line = source.raw.lines.get("accessed") or source.line
    return f"the access date is now {when}: change accessed on {SOURCES_FILE} line {line} ('{key}')"

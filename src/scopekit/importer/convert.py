"""`scopekit import`: a Word briefing to a review folder in format v1, with a report.

The body is walked once (numbering the notes by first reference and mapping bookmarks to
notes), then the notes are read with their cross-references resolved, then sources are made
in the order the text uses them, and each section is written as Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scopekit.importer.blocks import BodyReader
from scopekit.importer.crossrefs import Targets
from scopekit.importer.model import (
    Block,
    CrossRef,
    ImportReport,
    Inline,
    NoteRef,
    Picture,
    Span,
    WordLink,
)
from scopekit.importer.notetext import Cited, ParsedNote, is_commentary, parse_note
from scopekit.importer.numbering import Numbering
from scopekit.importer.ooxml import Package, Part
from scopekit.importer.outline import Outline, outline, plain_headings
from scopekit.importer.pictures import attach_captions, attach_table_captions
from scopekit.importer.sources import FoundSource, SourceTable
from scopekit.importer.styles import Styles
from scopekit.importer.typednotes import KIND as TYPED
from scopekit.importer.typednotes import read_typed_notes, report_typed_notes
from scopekit.importer.walk import Walker
from scopekit.linktext import vague
from scopekit.ooxml import w
from scopekit.urls import is_web_url

if TYPE_CHECKING:
    from scopekit.merging.record import Record

_SEPARATORS = {"separator", "continuationSeparator", "continuationNotice"}


@dataclass
class NoteContent:
    """A note's inline pieces, numbered by its first reference."""

    number: int
    kind: str
    inlines: list[Inline]


@dataclass
class BackReference:
    """A note that points back at an earlier one ("As 10", "Ibid.")."""

    place: str
    text: str
    target: int
    sources: list[FoundSource]


class Importer:
    """One import: the document read, its notes and links turned into sources."""

    def __init__(self, package: Package, report: ImportReport) -> None:
        self.package = package
        self.report = report
        self.styles = Styles(package.styles)
        self.walker = Walker(self.styles)
        self.notes: dict[int, NoteContent] = {}
        self.note_sources: dict[int, list[FoundSource]] = {}
        self.author_notes: dict[int, list[Inline]] = {}  # commentary: no URL, no access date
        self.link_sources: dict[int, FoundSource | None] = {}
        self.back_references: list[BackReference] = []
        self.table = SourceTable(report)
        self.record: Record | None = None  # a scopekit DOCX's build record
        self.targets = Targets([], None)
        self.link_crossrefs: dict[int, str] = {}  # a link's id → the figure or table id it names

    def read(self) -> tuple[list[Block], Outline]:
        """The body's blocks, the notes, and the briefing's outline."""
        self.walker.media = self.package.media
        self.walker.start_part(
            self.package.document.links, in_notes=False, images=self.package.document.images
        )
        numbering = Numbering(self.package.numbering)
        reader = BodyReader(self.walker, self.styles, numbering, self.report)
        blocks = reader.read(self.package.document.root.find(w("body")))
        blocks = attach_table_captions(attach_captions(blocks))
        self.record = self.build_record()
        self.targets = Targets(blocks, self.record)
        for block in blocks:
            self.targets.restore(block)
        for kind, part in (
            ("footnote", self.package.footnotes),
            ("endnote", self.package.endnotes),
        ):
            if part is not None:
                self.read_notes(kind, part)
        if not self.walker.note_numbers:  # no Word notes: perhaps notes typed as text
            blocks = plain_headings(blocks, self.report)  # "References" read as a heading
            typed = read_typed_notes(blocks, self.report)
            blocks = typed.blocks
            for number, inlines in typed.notes.items():
                self.notes[number] = NoteContent(number, TYPED, inlines)
        else:
            report_typed_notes(blocks, self.report)
        return blocks, outline(blocks, self.report)

    def written_as_note(self, number: int) -> bool:
        """Whether the build record of a DOCX scopekit built says note `number` was the
        author's own (`^[…]` or `[^id]`, citing no source)."""
        entry = self.record.notes.get(number) if self.record is not None else None
        return entry is not None and not entry.get("key")

    def build_record(self) -> Record | None:
        """The build record of a DOCX scopekit built, if it has one."""
        if not self.package.custom_xml:
            return None
        from scopekit.merging.record import record_in_parts  # its package loads the merge

        return record_in_parts(self.package.custom_xml)

    def read_notes(self, kind: str, part: Part) -> None:
        """Each footnote or endnote's pieces, numbered by first reference."""
        self.walker.start_part(part.links, in_notes=True)
        for note in part.root.iterfind(w(kind)):
            if note.get(w("type")) in _SEPARATORS:
                continue
            note_id = note.get(w("id")) or ""
            number = self.walker.note_numbers.get((kind, note_id))
            place = f"note {number}" if number else f"{kind} id {note_id}"
            inlines: list[Inline] = []
            for p in note.iter(w("p")):
                got, losses = self.walker.paragraph(p)
                if inlines and got:
                    inlines.append(Span(" "))
                inlines.extend(got)
                for message in losses.messages():
                    self.report.add(place, message)
            if number is None:
                self.report.add(place, "never referenced in the text: not imported")
            else:
                self.notes[number] = NoteContent(number, kind, inlines)

    def cross_reference(self, xref: CrossRef, place: str) -> str:
        """The number a REF/NOTEREF field stands for, found through its bookmark (the number
        it shows may be stale)."""
        shown = xref.cached.strip()
        number = self.walker.bookmark_notes.get(xref.bookmark)
        if number is not None:
            if shown != str(number):
                self.report.add(
                    place,
                    f"cross-reference showed “{shown}”, but its bookmark is at note {number}: "
                    f"{number} used",
                )
            return str(number)
        if xref.bookmark not in self.walker.bookmarks:
            self.report.add(place, f"cross-reference to a missing bookmark: “{shown}” kept")
        return xref.cached

    def note_text(self, note: NoteContent) -> tuple[str, list[tuple[str, str | None]]]:
        """A note's text and its pieces (text, link target), cross-references resolved."""
        pieces: list[tuple[str, str | None]] = []
        for item in note.inlines:
            if isinstance(item, Span):
                target = item.link.target if item.link else None
                if pieces and pieces[-1][1] == target:
                    pieces[-1] = (pieces[-1][0] + item.text, target)
                else:
                    pieces.append((item.text, target))
            elif isinstance(item, CrossRef):
                pieces.append((self.cross_reference(item, f"note {note.number}"), None))
            else:
                pieces.append((" ", None))
        return "".join(text for text, _ in pieces), pieces

    def sources_of_note(self, number: int) -> list[FoundSource]:
        """The sources note `number` cites, made at its first reference."""
        if number in self.note_sources:
            return self.note_sources[number]
        place = f"note {number}"
        note = self.notes.get(number)
        if note is None:
            self.report.add(place, "the note's text is missing from the document")
            self.note_sources[number] = []
            return []
        text, pieces = self.note_text(note)
        parsed = parse_note(text, pieces)
        target = number - 1 if parsed.ibid else parsed.back_to
        if target is not None and 0 < target < number:
            found = self.sources_of_note(target)
            self.back_references.append(BackReference(place, parsed.text, target, found))
            if parsed.ignored:
                self.report.add(place, f"“{parsed.ignored}” after the back-reference not kept")
        elif target is not None:
            self.report.add(place, f"“{parsed.text}” points at no earlier note: kept as a source")
            found = [self.table.cited(Cited(None, parsed.text), place, None)]
        elif (
            parsed.access is None
            and all(c.url is None for c in parsed.cited)
            and (is_commentary(parsed.text) or self.written_as_note(number))
        ):
            self.author_notes[number] = note.inlines
            self.report.add(place, "commentary with no URL: kept as a note of its own, ^[…]")
            found = []
        else:
            if not parsed.text:
                self.report.add(place, "the note is empty: its source's title is a TODO")
            found = self.cite(parsed, place)
        self.note_sources[number] = found
        return found

    def cite(self, parsed: ParsedNote, place: str, note: bool = True) -> list[FoundSource]:
        """Sources for a note's (or a listed reference's) URLs, with its access date."""
        found = []
        problems = []
        for cited in parsed.cited:
            access = cited.access or parsed.access
            source = self.table.cited(cited, place, access.date if access else None, note)
            if access and access.problem:
                source.remarks.append(f"accessed “{access.text}” in the original")
                problems.append(access)
            found.append(source)
        for access in dict.fromkeys(problems):
            self.report.add(place, f"access date “{access.text}” not read: {access.problem}")
        if len(found) > 1:
            self.report.add(place, f"{len(found)} URLs in one note: cited as {len(found)} sources")
        if parsed.ignored:
            found[-1].remarks.append(f"after the URL in the original: {parsed.ignored}")
            self.report.add(place, f"text after the URL kept as a remark: “{parsed.ignored}”")
        return found

    def link_source(self, link: WordLink, place: str) -> FoundSource | None:
        """The source a hyperlink names, a placeholder for an empty one, or None (text)."""
        text = " ".join(link.text.split())
        target = link.target.strip()
        url = f"https://{target}" if target.lower().startswith("www.") else target
        named = bool(text) and not vague(text)
        if is_web_url(url):
            return self.table.linked(url, text if named else "", place)
        key = self.targets.key(target[1:], text) if target.startswith("#") else None
        if key is not None:
            self.link_crossrefs[id(link)] = key
            return None
        if target.startswith("#") and target[1:] in self.walker.bookmarks:
            self.report.add(place, f"link “{text}” to a place in the document kept as text")
            return None
        if target.lower().startswith("mailto:"):
            self.report.add(place, f"e-mail link “{text}” kept as text ({target[7:]})")
            return None
        if not text:
            return None
        was = "" if not target or target.startswith("#") else target
        self.report.add(
            place,
            f"link “{text}” has no web address: a placeholder source, URL to be added"
            + ("" if named else " (title TODO: the link text is vague)"),
        )
        return self.table.placeholder(text, place, was, named)

    def assign(self, blocks: list[Block]) -> None:
        """Sources for every note reference and hyperlink, in reading order; cross-references
        in the text resolved."""
        for block in blocks:
            items = (
                [item for row in block.rows for cell in row for item in cell]
                if block.kind == "table"
                else block.inlines
            )
            captions = [i for p in items if isinstance(p, Picture) for i in p.caption]
            captions += block.caption
            for item in [*items, *captions]:
                if isinstance(item, NoteRef):
                    self.sources_of_note(item.number)
                elif isinstance(item, CrossRef) and not item.key:
                    item.key = self.targets.key(item.bookmark, item.cached) or ""
                    if not item.key:
                        item.cached = self.cross_reference(item, block.place)
                elif (
                    isinstance(item, Span) and item.link and id(item.link) not in self.link_sources
                ):
                    self.link_sources[id(item.link)] = self.link_source(item.link, block.place)

    def listed(self, items: list[Block]) -> None:
        """Sources from the "Other sources" list of a DOCX scopekit built."""
        for index, item in enumerate(items, 1):
            pieces = [
                (i.text, i.link.target if i.link else None)
                for i in item.inlines
                if isinstance(i, Span)
            ]
            self.cite(
                parse_note(item.text, pieces, listed=True), f"Other sources, item {index}", False
            )

    def finish(self) -> None:
        """Titles, publishers and ids for every source; the back-references reported."""
        self.table.finish()
        for back in self.back_references:
            keys = ", ".join(s.id for s in back.sources) or "nothing"
            self.report.back_references.append(
                f"{back.place} “{back.text}” → note {back.target}: {keys}"
            )

"""Notes typed as text, in a briefing made without Word's footnotes.

Such a briefing calls its notes with numbers typed in superscript — Unicode's `¹²³`, digits
formatted superscript, or `^{15,16}` left by a conversion — or in brackets, `[1]`, and
types the notes themselves as paragraphs starting with their number (`¹ …`, `[1] …`, a
superscript `2.`), after a section or under "References", or as a numbered list (Word's
numbering, or `1.` typed) under a "References" or "Notes" heading or label. When the
document has no Word footnotes or endnotes, each such paragraph becomes the note of its
number and each number typed where the text calls it a reference to that note, so the rest
of the import (sources, access dates, "As 10") reads them as it reads Word's own notes.

The number stays the one the author typed, which is the one "As 10" means; where numbers
start again (notes after each section, each part numbered from 1), a call is the note of
that number that follows it. Of the ways of typing, the one with the most calls is read. A
typed number with no note paragraph stays text, as does a note paragraph the text never
calls, and an exponent (`400 m²`); all are listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from scopekit.importer.model import Block, ImportReport, Inline, NoteRef, Span

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
_RAISED = str.maketrans("0123456789", SUPERSCRIPTS)
_NUMBERS = r"\d+(?:\s*[,;–-]\s*\d+)*"
_WHOLE = re.compile(rf"(\s*)({_NUMBERS})(\s*)")
_MARK_RUN = re.compile(r"\s*(\d+)[.)]?\s*")  # a note paragraph's superscript number
_TYPED_ITEM = re.compile(r"\s*(\d+)(?:[.)]\s+|\t+|\s+(?=\D))")  # `1. `, `1⇥` before a note
_RANGE = re.compile(r"(\d+)\s*[–-]\s*(\d+)")
_ENDING_CALL = re.compile(rf"(.*?[^\d\s,;–-])({_NUMBERS})")  # `th1`: ordinal, then call
_UNIT = re.compile(r"\d\s?[A-Za-zµ]{1,3}$")  # `400 m` before ² or ³: an exponent
NOTES_HEADINGS = frozenset({"endnotes", "footnotes", "notes", "references", "sources"})
KIND = "typed"  # NoteRef.kind and NoteContent.kind of a note typed as text


@dataclass(frozen=True)
class _Style:
    """One way of typing notes: how a note paragraph starts, how the text calls it."""

    name: str
    mark: re.Pattern[str]  # a note paragraph's number, at its start (group 1)
    call: re.Pattern[str]  # a call in the text: group 1 its numbers, or superscript digits
    superscript_runs: bool  # digits formatted superscript are marks and calls too


_STYLES = (
    _Style(
        "superscript",
        re.compile(rf"\s*([{SUPERSCRIPTS}]+)\s*"),
        re.compile(rf"[{SUPERSCRIPTS}]+|\^\{{({_NUMBERS})\}}"),
        True,
    ),
    _Style("bracket", re.compile(r"\s*\[(\d+)\]\s*"), re.compile(rf"\[({_NUMBERS})\]"), False),
)


@dataclass
class _Note:
    """A note paragraph (or listed note): where it is, its typed number, its pieces."""

    index: int  # of its block
    typed: int
    pieces: list[Inline]
    number: int = 0  # the note's number in the review: the typed one unless numbers repeat
    also: list[int] = field(default_factory=list)  # blocks it continues into

    @property
    def blocks(self) -> tuple[int, ...]:
        """The indexes of the blocks the note is written in."""
        return (self.index, *self.also)


@dataclass
class TypedNotes:
    """What `read_typed_notes` found: the blocks left, each note's pieces by number."""

    blocks: list[Block]
    notes: dict[int, list[Inline]] = field(default_factory=dict)


def numbers(text: str) -> list[int]:
    """The note numbers a call names: `15,16` → 15, 16; `3–5` → 3, 4, 5; `1;3` → 1, 3."""
    found: list[int] = []
    for part in re.split(r"[,;]", text.translate(_DIGITS)):
        span = _RANGE.fullmatch(part.strip())
        if span and int(span[1]) < int(span[2]) <= int(span[1]) + 20:
            found.extend(range(int(span[1]), int(span[2]) + 1))
        elif part.strip().isdigit():
            found.append(int(part.strip()))
    return found


def _note_paragraph(block: Block, style: _Style) -> tuple[int, list[Inline]] | None:
    """A paragraph starting with a note's number: the number, and the note's pieces."""
    if block.kind != "paragraph" or not block.inlines or not isinstance(block.inlines[0], Span):
        return None
    first, rest = block.inlines[0], block.inlines[1:]
    if first.link is not None:
        return None
    if first.superscript:
        whole = _MARK_RUN.fullmatch(first.text) if style.superscript_runs else None
        return (int(whole[1]), _strip_start(rest)) if whole and rest else None
    mark = style.mark.match(first.text)
    if mark is None:
        return None
    left = first.text[mark.end() :]
    pieces = ([replace(first, text=left)] if left else []) + rest
    return (numbers(mark[1])[0], _strip_start(pieces)) if pieces else None


def _strip_start(pieces: list[Inline]) -> list[Inline]:
    if pieces and isinstance(pieces[0], Span):
        return [replace(pieces[0], text=pieces[0].text.lstrip()), *pieces[1:]]
    return pieces


def _is_label(block: Block) -> bool:
    """A "References" or "Notes:" heading, or a paragraph saying only that."""
    return (
        block.kind in ("heading", "paragraph")
        and block.text.lower().rstrip(":").strip() in NOTES_HEADINGS
    )


def _listed_notes(blocks: list[Block]) -> list[_Note]:
    """The notes listed under a "References" or "Notes" heading or label: Word's numbered
    list items (with the numbers Word shows, counting the list's items before them) and
    paragraphs typed `1. …`; a paragraph of no list right after one continues it."""
    listed: list[_Note] = []
    shown: dict[str, int] = {}  # list id → items of it so far, anywhere in the document
    under = False
    for index, block in enumerate(blocks):
        number = None
        if block.kind == "item" and block.ordered and not block.level:
            number = block.start + shown.get(block.list_id, 0)
            shown[block.list_id] = shown.get(block.list_id, 0) + 1
        if _is_label(block):
            under = True
            continue
        if block.kind == "heading":
            under = False
            continue
        if not under:
            continue
        typed = _TYPED_ITEM.match(block.text) if block.kind == "paragraph" else None
        if number is not None:
            listed.append(_Note(index, number, block.inlines))
        elif typed and isinstance(block.inlines[0], Span):
            first = block.inlines[0]
            cut = _TYPED_ITEM.match(first.text)
            if cut:
                rest = [replace(first, text=first.text[cut.end() :]), *block.inlines[1:]]
                listed.append(_Note(index, int(typed[1]), rest))
        elif (
            listed
            and listed[-1].blocks[-1] == index - 1
            and block.text
            and block.kind in ("paragraph", "continue")
            and not _TYPED_ITEM.match(block.text)
        ):
            listed[-1].pieces = [*listed[-1].pieces, Span(" "), *block.inlines]
            listed[-1].also.append(index)
    return listed


def _notes(blocks: list[Block], style: _Style) -> list[_Note]:
    """Every note of `style` in document order, numbered for the review."""
    found = [
        _Note(index, *note)
        for index, block in enumerate(blocks)
        if (note := _note_paragraph(block, style)) is not None
    ]
    taken = {note.index for note in found}
    found += [note for note in _listed_notes(blocks) if note.index not in taken]
    found.sort(key=lambda note: note.index)
    repeated = len({note.typed for note in found}) < len(found)
    for position, note in enumerate(found, start=1):
        note.number = position if repeated else note.typed
    return found


def _resolver(notes: list[_Note]) -> Callable[[int, int], int | None]:
    """The note a call of typed number `typed` in block `index` is: the only one of that
    number, or where numbers repeat the first of that number after the call (else the
    last before it)."""

    def resolve(typed: int, index: int) -> int | None:
        same = [note for note in notes if note.typed == typed]
        after = [note for note in same if note.index > index]
        chosen = after[0] if after else (same[-1] if same else None)
        return chosen.number if chosen is not None else None

    return resolve


@dataclass
class _Calls:
    """The calls of one way of typing: the inlines they make, what they called, guesses."""

    style: _Style
    resolve: Callable[[int, int], int | None]
    called: set[int] = field(default_factory=set)
    count: int = 0
    exponents: list[str] = field(default_factory=list)
    stayed: set[int] = field(default_factory=set)

    def refs(self, typed: list[int], index: int) -> list[NoteRef] | None:
        if any(n >= 1000 for n in typed):
            return None  # `[2019–2021]`: years, not notes
        found = [self.resolve(n, index) for n in typed]
        if not typed or any(n is None for n in found):
            self.stayed.update(typed)
            return None
        self.count += len(found)
        self.called.update(n for n in found if n is not None)
        return [NoteRef(KIND, str(n), n) for n in found if n is not None]

    def inlines(self, inlines: list[Inline], index: int) -> list[Inline]:
        """`inlines` (of block `index`) with every typed call of a note made a NoteRef."""
        out: list[Inline] = []
        for item in inlines:
            if not isinstance(item, Span):
                out.append(item)
                continue
            before = "".join(i.text for i in out[-2:] if isinstance(i, Span))
            raised = self.style.superscript_runs and item.superscript
            whole = _WHOLE.fullmatch(item.text) if raised else None
            if whole and not self._exponent(before, whole[2]):
                made = self.refs(numbers(whole[2]), index)
                if made is not None:
                    self._unlinked(item, item.text)
                    out.extend([Span(whole[1])] if whole[1] else [])
                    out.extend(made)
                    out.extend([Span(whole[3])] if whole[3] else [])
                    continue
            ending = _ENDING_CALL.fullmatch(item.text) if raised else None
            made = self.refs(numbers(ending[2]), index) if ending else None
            if ending and made is not None:  # `th1`: an ordinal's `th`, then the call
                self._unlinked(item, ending[2])
                out.extend([replace(item, text=ending[1]), *made])
                continue
            out.extend(self._split(item, index))
        return _joined(out)

    @staticmethod
    def _unlinked(item: Span, call: str) -> None:
        """A call typed inside a link's text is no part of the page's name."""
        if item.link is not None and item.link.text.rstrip().endswith(call.strip()):
            item.link.text = item.link.text.rstrip()[: -len(call.strip())].rstrip()

    def _split(self, item: Span, index: int) -> list[Inline]:
        out: list[Inline] = []
        at = 0
        for call in self.style.call.finditer(item.text):
            if self._exponent(item.text[: call.start()], call[1] or call[0]):
                continue
            made = self.refs(numbers(call[1] or call[0]), index)
            if made is None:
                continue
            if call.start() > at:
                out.append(replace(item, text=item.text[at : call.start()]))
            self._unlinked(item, call[0])
            out.extend(made)
            at = call.end()
        if at < len(item.text):
            out.append(replace(item, text=item.text[at:]) if at else item)
        return out

    def _exponent(self, before: str, call: str) -> bool:
        """`400 m²`, `15 km³`: a unit's exponent, not a call."""
        found = _UNIT.search(before) if call.translate(_DIGITS) in ("2", "3") else None
        if found is None:
            return False
        unit = found[0].split()[-1].lstrip("0123456789")
        self.exponents.append(unit + call.translate(_RAISED))
        return True

    def block(self, block: Block, index: int) -> None:
        """Make the typed calls of `block` NoteRefs, in place."""
        if block.kind == "table":
            block.rows = [[self.inlines(cell, index) for cell in row] for row in block.rows]
            block.caption = self.inlines(block.caption, index)
        else:
            block.inlines = self.inlines(block.inlines, index)


def _joined(pieces: list[Inline]) -> list[Inline]:
    """Calls typed one after another with a comma or semicolon between them (`¹,²`) are one
    citation: the separator goes."""
    out: list[Inline] = []
    for index, item in enumerate(pieces):
        after = pieces[index + 1] if index + 1 < len(pieces) else None
        if (
            isinstance(item, Span)
            and item.text.strip() in (",", ";")
            and out
            and isinstance(out[-1], NoteRef)
            and isinstance(after, NoteRef)
        ):
            continue
        out.append(item)
    return out


def _trial(blocks: list[Block], style: _Style, notes: list[_Note]) -> _Calls:
    """How many calls `style` would make (the blocks left as they are)."""
    trial = _Calls(style, _resolver(notes))
    skip = {i for note in notes for i in note.blocks}
    for index, block in enumerate(blocks):
        if index not in skip:
            for cell in [c for row in block.rows for c in row] + [block.inlines, block.caption]:
                trial.inlines(cell, index)
    return trial


def read_typed_notes(blocks: list[Block], report: ImportReport) -> TypedNotes:
    """The notes of a document that typed them (see the module's docstring), and its blocks
    without the note paragraphs; the blocks as they were when it typed none."""
    tried = [(style, _notes(blocks, style)) for style in _STYLES]
    trials = [(_trial(blocks, style, notes), notes) for style, notes in tried if notes]
    trials = [(trial, notes) for trial, notes in trials if trial.count]
    if not trials:
        return TypedNotes(blocks)  # numbers at the start of paragraphs, and no call: no notes
    best, notes = max(trials, key=lambda pair: pair[0].count)
    calls = _Calls(best.style, best.resolve)
    skip = {i for note in notes for i in note.blocks}
    for index, block in enumerate(blocks):
        if index not in skip:
            calls.block(block, index)
    gone = {i for note in notes if note.number in calls.called for i in note.blocks}
    for note in notes:
        if note.number not in calls.called:
            report.add(
                blocks[note.index].place,
                f"starts with note number {note.typed}, which the text never calls: kept as text",
            )
    for number in sorted(calls.stayed):
        report.add(
            "notes", f"note number {number} typed in the text has no note paragraph: kept as text"
        )
    for shown in dict.fromkeys(calls.exponents):
        report.add("notes", f"“{shown}” read as a unit's exponent, not a note: kept as text")
    repeated = any(note.number != note.typed for note in notes)
    report.add(
        "notes",
        f"{len(calls.called)} notes typed as text ({best.style.name} numbers, no Word footnotes)"
        " read as notes"
        + (
            ": their numbers start again, each call read as the next note of its number"
            if repeated
            else ""
        )
        + ": check that each cites what its number called",
    )
    kept = [block for index, block in enumerate(blocks) if index not in gone]
    by_number = {note.number: note.pieces for note in notes}
    return TypedNotes(
        _without_empty_labels(kept, report),
        {number: by_number[number] for number in sorted(calls.called)},
    )


def report_typed_notes(blocks: list[Block], report: ImportReport) -> None:
    """In a document with Word notes, list the paragraphs that look like typed notes: they
    stay text (the two numberings cannot be told apart)."""
    for style in _STYLES:
        for block in blocks:
            note = _note_paragraph(block, style)
            if note is not None:
                report.add(
                    block.place,
                    f"starts with note number {note[0]}, typed as text: kept as text (the "
                    "document has Word notes too); cite its source with [@key] where it is called",
                )


def _without_empty_labels(blocks: list[Block], report: ImportReport) -> list[Block]:
    """Drop a "References" or "Notes" heading (or label) the typed notes were under, now
    left empty: `build` lists the sources itself."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        level = block.level if block.kind == "heading" else 99
        empty = after is None or (after.kind == "heading" and after.level <= level)
        if _is_label(block) and empty:
            report.add(block.place, "the heading the typed notes were under: not imported")
            continue
        kept.append(block)
    return kept

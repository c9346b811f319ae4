"""Notes typed as text, in a briefing made without Word's footnotes.

Such a briefing calls its notes with numbers typed in superscript — Unicode's `¹²³`, digits
formatted superscript, or `^{15,16}` left by a conversion — or in brackets, `[1]`, and
types the notes themselves as paragraphs starting with their number (after a section, or
under "References"), or as a numbered list under a "References" or "Notes" heading. When
the document has no Word footnotes or endnotes, each such paragraph becomes the note of its
number and each number typed where the text calls it a reference to that note, so the rest
of the import (sources, access dates, "As 10") reads them as it reads Word's own notes; the
number stays the one the author typed, which is the one "As 10" means. A typed number with
no note paragraph stays text, as does a note paragraph the text never calls; both are
listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from scopekit.importer.model import Block, ImportReport, Inline, NoteRef, Span

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")
_NUMBERS = r"\d+(?:\s*[,–-]\s*\d+)*"
_WHOLE = re.compile(rf"\s*({_NUMBERS})\s*")
_RANGE = re.compile(r"(\d+)\s*[–-]\s*(\d+)")
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
class TypedNotes:
    """What `read_typed_notes` found: the blocks left, each note's pieces by number."""

    blocks: list[Block]
    notes: dict[int, list[Inline]] = field(default_factory=dict)


def numbers(text: str) -> list[int]:
    """The note numbers a call names: `15,16` → 15, 16; `3–5` → 3, 4, 5."""
    found: list[int] = []
    for part in text.translate(_DIGITS).split(","):
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
    if style.superscript_runs and first.superscript and first.link is None:
        whole = _WHOLE.fullmatch(first.text)
        if whole and whole[1].isdigit() and rest:
            return int(whole[1]), _strip_start(rest)
    if first.superscript and not style.superscript_runs:
        return None
    mark = style.mark.match(first.text)
    if mark is None or first.link is not None:
        return None
    left = first.text[mark.end() :]
    pieces = ([replace(first, text=left)] if left else []) + rest
    return (numbers(mark[1])[0], _strip_start(pieces)) if pieces else None


def _strip_start(pieces: list[Inline]) -> list[Inline]:
    if pieces and isinstance(pieces[0], Span):
        return [replace(pieces[0], text=pieces[0].text.lstrip()), *pieces[1:]]
    return pieces


def _calls(inlines: list[Inline], style: _Style, notes: dict[int, list[Inline]]) -> list[Inline]:
    """`inlines` with every typed call of a known note made a NoteRef."""
    out: list[Inline] = []
    for item in inlines:
        if not isinstance(item, Span) or item.link is not None:
            out.append(item)
            continue
        whole = _WHOLE.fullmatch(item.text) if style.superscript_runs else None
        if item.superscript and whole and all(n in notes for n in numbers(whole[1])):
            out.extend(NoteRef(KIND, str(n), n) for n in numbers(whole[1]))
            continue
        at = 0
        for call in style.call.finditer(item.text):
            called = numbers(call[1] or call[0])
            if not called or not all(n in notes for n in called):
                continue
            if call.start() > at:
                out.append(replace(item, text=item.text[at : call.start()]))
            out.extend(NoteRef(KIND, str(n), n) for n in called)
            at = call.end()
        if at < len(item.text):
            out.append(replace(item, text=item.text[at:]) if at else item)
    return out


def _uncalled(inlines: list[Inline], style: _Style) -> list[int]:
    """The numbers typed as calls that stayed text (no note paragraph has them)."""
    found: list[int] = []
    for item in inlines:
        if isinstance(item, Span) and item.link is None:
            whole = _WHOLE.fullmatch(item.text) if style.superscript_runs else None
            if item.superscript and whole:
                found.extend(numbers(whole[1]))
            else:
                found.extend(
                    n
                    for call in style.call.finditer(item.text)
                    for n in numbers(call[1] or call[0])
                )
    return found


def _listed_notes(blocks: list[Block]) -> list[tuple[int, Block]]:
    """The items of a numbered list (Word's own numbering) right under a "References" or
    "Notes" heading, with the numbers they show."""
    listed: list[tuple[int, Block]] = []
    under = False
    for block in blocks:
        if block.kind == "heading":
            under = block.text.lower().rstrip(":") in _NOTES_HEADINGS
            continue
        if not under or block.kind != "item" or not block.ordered or block.level:
            under = under and block.kind in ("item", "continue")
            continue
        same = [b for _, b in listed if b.list_id == block.list_id]
        listed.append((block.start + len(same), block))
    return listed


def _with_calls(block: Block, style: _Style, notes: dict[int, list[Inline]]) -> list[int]:
    """Make the typed calls of `block` NoteRefs, in place; the numbers it calls."""
    if block.kind == "table":
        block.rows = [[_calls(cell, style, notes) for cell in row] for row in block.rows]
        block.caption = _calls(block.caption, style, notes)
        pieces = [i for row in block.rows for cell in row for i in cell] + block.caption
    else:
        block.inlines = _calls(block.inlines, style, notes)
        pieces = block.inlines
    return [item.number for item in pieces if isinstance(item, NoteRef)]


def read_typed_notes(blocks: list[Block], report: ImportReport) -> TypedNotes:
    """The notes of a document that typed them (see the module's docstring), and its blocks
    without the note paragraphs; the blocks as they were when it typed none."""
    for style in _STYLES:
        found: dict[int, tuple[Block, list[Inline]]] = {}
        for block in blocks:
            note = _note_paragraph(block, style)
            if note is not None and note[0] not in found:
                found[note[0]] = (block, note[1])
        for number, block in _listed_notes(blocks):
            found.setdefault(number, (block, block.inlines))
        if not found:
            continue
        notes = {number: pieces for number, (_, pieces) in found.items()}
        numbered = {id(block): number for number, (block, _) in found.items()}
        called = {
            n
            for block in blocks
            if id(block) not in numbered
            for n in _with_calls(block, style, notes)
        }
        if not called:
            continue  # paragraphs that start with a number, and no call: not notes
        kept: list[Block] = []
        for block in blocks:
            number = numbered.get(id(block))
            if number in called:
                continue  # it is the note now
            if number is not None:
                report.add(
                    block.place,
                    f"starts with note number {number}, which the text never calls: kept as text",
                )
            kept.append(block)
        for number in sorted(
            {n for block in kept if id(block) not in numbered for n in _stayed(block, style)}
        ):
            report.add(
                "notes",
                f"note number {number} typed in the text has no note paragraph: kept as text",
            )
        kept = _without_empty_notes_heading(kept, report)
        report.add(
            "notes",
            f"{len(called)} notes typed as text ({style.name} numbers, no Word footnotes) read as "
            "notes: check that each cites what its number called",
        )
        return TypedNotes(kept, {number: notes[number] for number in sorted(called)})
    return TypedNotes(blocks)


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


_NOTES_HEADINGS = frozenset({"endnotes", "footnotes", "notes", "references", "sources"})


def _without_empty_notes_heading(blocks: list[Block], report: ImportReport) -> list[Block]:
    """Drop a "References" or "Notes" heading the typed notes were under, now left empty:
    `build` lists the sources itself."""
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        after = blocks[index + 1] if index + 1 < len(blocks) else None
        empty = after is None or (after.kind == "heading" and after.level <= block.level)
        if block.kind == "heading" and empty and block.text.lower() in _NOTES_HEADINGS:
            report.add(block.place, "the heading the typed notes were under: not imported")
            continue
        kept.append(block)
    return kept


def _stayed(block: Block, style: _Style) -> list[int]:
    cells = (
        [cell for row in block.rows for cell in row] if block.kind == "table" else [block.inlines]
    )
    return [n for cell in cells for n in _uncalled(cell, style)]

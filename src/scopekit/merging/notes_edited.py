"""Notes whose text a colleague edited in Word.

A note that cites a source is generated from sources.yaml: the merge says which line to
change (its access date's, where that is what changed). A note of the author's own
(`[^label]: …` or `^[…]` in a section file) is the analyst's Markdown: its edit is merged
when its Markdown is the text the note printed (no markup in it); when the Markdown was
changed since the build too, both versions are kept as a conflict, as for a paragraph; and
otherwise the merge names the file, line and note to change by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from scopekit.merging.align import Edit, escape
from scopekit.merging.footnotes import access_change
from scopekit.merging.places import short
from scopekit.review import Review
from scopekit.review.critic import accepted
from scopekit.wordtext import is_note

_DEFINITION = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:[ \t]*(?P<body>.*)$", re.MULTILINE)
_INLINE = re.compile(r"\^\[(?P<body>[^\[\]\n]*)\]")
LIKE = 0.8  # how like the printed text a note's Markdown must be to name it


@dataclass
class OwnNote:
    """Where an author's own note is written: file, 1-based line, body span, how it is named."""

    file: str
    line: int
    start: int
    end: int
    body: str
    name: str  # `[^label]`, or `^[…]` for an inline note


@dataclass
class NoteConflict:
    """An own note changed in its Markdown and in the DOCX since the build: the definition
    line's span in `file`, and the two versions of it."""

    file: str
    line: int
    start: int
    end: int
    markdown: str
    docx: str


def own_notes(texts: dict[str, str]) -> Iterator[OwnNote]:
    """Every one-line note definition and inline note of the section files."""
    for file, text in texts.items():
        for found in _DEFINITION.finditer(text):
            line = text.count("\n", 0, found.start()) + 1
            start, end = found.span("body")
            yield OwnNote(file, line, start, end, found["body"], f"[^{found['label']}]")
        for found in _INLINE.finditer(text):
            line = text.count("\n", 0, found.start()) + 1
            start, end = found.span("body")
            yield OwnNote(file, line, start, end, found["body"], "^[…]")


def _plain(text: str) -> str:
    return " ".join(text.split())


def note_edit(
    review: Review, texts: dict[str, str], number: int, recorded: dict, now: str
) -> tuple[str, Edit] | NoteConflict | str | None:
    """What to do with note `number` edited to read `now`: (file, the edit of its Markdown)
    for an own note written as plain text, None if its Markdown reads so already, a conflict
    when its Markdown changed since the build too, else the message saying where to change
    it."""
    was = str(recorded.get("text", ""))
    key = recorded.get("key")
    if key:
        dated = access_change(review, key, was, now)
        if dated:
            return f"edited in the DOCX: {dated}"
        return f"edited in the DOCX (“{short(now)}”): change its source '{key}' in sources.yaml"
    notes = list(own_notes(texts))
    if any(_plain(_printed(n.body)) == _plain(now) for n in notes):
        return None  # merged before (or suggested): this DOCX merged again
    exact = [n for n in notes if _plain(n.body) == _plain(was)]
    if len(exact) == 1 and exact[0].body.strip() == was.strip():
        note = exact[0]
        return note.file, Edit(note.start, note.end, escape(now.strip()), note.body)
    first = _plain(was.split("\n\n")[0])  # a note of paragraphs: its definition's line
    like = _like(notes, first)
    if (
        len(like) == 1
        and like[0].name != "^[…]"
        and "\n\n" not in was
        and _plain(_printed(like[0].body)) != first
    ):
        return _conflict(texts[like[0].file], like[0], now)
    return f"edited in the DOCX (“{_quoted(now)}”): change {_where(like)}"


def restyled_note(texts: dict[str, str], recorded: dict) -> str | None:
    """The message for an own note whose bold or italic alone was changed (tracked) in the
    DOCX: not merged, where to make it; None for a note that cites a source."""
    if recorded.get("key"):
        return None
    first = _plain(str(recorded.get("text", "")).split("\n\n")[0])
    return (
        f"bold or italic changed in the DOCX: make it in {_where(_like(own_notes(texts), first))}"
    )


def _like(notes: Iterable[OwnNote], printed: str) -> list[OwnNote]:
    """The own notes whose Markdown, as printed, is like the text `printed` (its first
    paragraph: a definition's line holds only that)."""
    return [
        n for n in notes if SequenceMatcher(None, _plain(_printed(n.body)), printed).ratio() >= LIKE
    ]


def _where(like: list[OwnNote]) -> str:
    if len(like) == 1:
        return f"{like[0].name} on {like[0].file} line {like[0].line}"
    return "the note in its section"


def _conflict(text: str, note: OwnNote, now: str) -> NoteConflict:
    """Both versions of the definition line of `note`, changed on both sides."""
    start = text.rfind("\n", 0, note.start) + 1
    end = text.find("\n", note.end)
    end = len(text) if end < 0 else end
    current = text[start:end]
    theirs = current[: note.start - start] + escape(now.strip())
    return NoteConflict(note.file, note.line, start, end, current, theirs)


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(?<!\\)[*_`]")


def _printed(body: str) -> str:
    """A note's Markdown as the briefing prints its words: suggestions accepted, a link's
    text without its target, no emphasis marks."""
    return _MARKUP.sub("", _LINK.sub(r"\1", accepted(body)))


def _quoted(text: str, most: int = 160) -> str:
    """A note's whole text for a message (notes are short), cut at `most` characters."""
    words = " ".join("".join(c for c in text if not is_note(c)).split())
    return words if len(words) <= most else words[: most - 1].rstrip() + "…"

"""Where things are: line starts and the ends of paragraphs and tables in a section file,
a comment's span in an edited paragraph, and a position of edited text in the built text."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from scopekit.wordtext import Paragraph, is_note

_CAPTION = re.compile(r"(?:Table)?:\s")


def table_end(text: str, at: int) -> tuple[int, int]:
    """(at, end) where `end` is the end of the pipe table whose row ends at `at`, and of a
    caption paragraph right after it (`Table: …`, with or without a blank line between)."""
    end = paragraph_end(text, at)
    rest = text[end:].lstrip("\n")
    if _CAPTION.match(rest):
        end = paragraph_end(text, len(text) - len(rest))
    return at, end


def paragraph_end(text: str, at: int) -> int:
    """The end of the last line before the first blank line at or after `at`."""
    blank = re.compile(r"\n[ \t]*(?:\n|$)").search(text, at)
    return blank.start() if blank else len(text.rstrip("\n"))


def line_starts(text: str) -> list[int]:
    """The offset of each line's start (line N starts at index N - 1)."""
    starts = [0]
    for found in re.finditer("\n", text):
        starts.append(found.end())
    return starts


def comment_range(paragraph: Paragraph, comment: str) -> tuple[int, int]:
    """The span of the after-text a comment covers in this paragraph."""
    at, start, end = 0, None, None
    for piece in paragraph.pieces:
        if piece.change is not None and piece.change.kind == "del":
            continue
        if comment in piece.comments:
            start = at if start is None else start
            end = at + len(piece.text)
        at += len(piece.text)
    if start is None:
        return at, at
    return start, end or start


def to_built(built: str, edited: str, position: int) -> int:
    """A position of the edited text carried back to the built text."""
    matcher = SequenceMatcher(None, built, edited, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if b1 <= position < b2 or (position == b2 and op == "equal"):
            return a1 + min(position - b1, a2 - a1) if op == "equal" else a1
    return len(built)


def short(text: str) -> str:
    """The first eight words of a text (notes left out), for a message."""
    words = "".join(c for c in text if not is_note(c)).split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")

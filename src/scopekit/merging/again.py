"""A merge run again: what of a DOCX's new text its section file holds already (as merged,
or merged and edited by hand since)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_COMMENT = re.compile(r"\{==|==\}|\{>>.*?<<\}", re.S)  # a comment's CriticMarkup


def already_there(text: str, at: int, markdown: str) -> int | None:
    """Where `markdown` ends if the file's text at `at` is it already (this DOCX merged
    before), followed by the end of the file or a line break; else None."""
    if not markdown.strip() or not text.startswith(markdown, at):
        return None
    end = at + len(markdown)
    return end if end == len(text) or text[end] == "\n" else None


def edited_place(text: str, theirs: str) -> tuple[int, int] | None:
    """The (start, end) of a block's DOCX version in the file, if it is there once (the
    block's edits merged before), the comments merged into it aside (its end after them)."""
    if not theirs.strip():
        return None
    if text.count(theirs) == 1:
        start = text.find(theirs)
        return start, start + len(theirs)
    offsets, at = [], 0  # the offset of each character outside a comment's markup
    for found in _COMMENT.finditer(text):
        offsets.extend(range(at, found.start()))
        at = found.end()
    offsets.extend(range(at, len(text)))
    plain = "".join(text[k] for k in offsets)
    if plain.count(theirs) != 1:
        return None
    first = plain.find(theirs)
    end = offsets[first + len(theirs) - 1] + 1
    while found := _COMMENT.match(text, end):
        end = found.end()
    return offsets[first], end


@dataclass
class Found:
    """A paragraph in the file where a new paragraph goes, not in the build record: the
    new one merged before and edited since (sure), or perhaps (not sure: said)."""

    end: int
    line: int
    sure: bool
    text: str

    def said(self, shown: str, file: str) -> list[str]:
        """What to say of the new paragraph `shown`: nothing if sure."""
        if self.sure:
            return []
        words = self.text.split()
        short = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
        return [
            f"new paragraph {shown} not added: it may be merged already, as “{short}” at "
            f"{file}:{self.line}; add it by hand if it is new"
        ]


SURE, LIKELY = 0.6, 0.3  # word similarity: the same paragraph edited; perhaps it


def edited_there(text: str, at: int, markdown: str, recorded: set[int]) -> Found | None:
    """The paragraph right after `at` if it is not a recorded block's source (starts in
    `recorded`) and is like `markdown` (its prefix, a blank line or `- `, aside)."""
    item = markdown.startswith("\n") and not markdown.startswith("\n\n")
    gap = len(text[at:]) - len(text[at:].lstrip("\n"))
    start = at + gap
    if not gap or start >= len(text) or start in recorded:
        return None
    stop = text.find("\n" if item else "\n\n", start)
    end = len(text) if stop == -1 else stop
    ratio = SequenceMatcher(None, _words(text[start:end]), _words(markdown), False).ratio()
    if ratio < LIKELY:
        return None
    return Found(end, text.count("\n", 0, start) + 1, ratio >= SURE, text[start:end])


def _words(text: str) -> list[str]:
    return re.sub(r"[*_\[\](){}>#@=+~-]", " ", text).casefold().split()

"""A merge run again: what of a DOCX's new text its section file holds already."""

from __future__ import annotations


def already_there(text: str, at: int, markdown: str) -> int | None:
    """Where `markdown` ends if the file's text at `at` is it already (this DOCX merged
    before), followed by the end of the file or a line break; else None."""
    if not markdown.strip() or not text.startswith(markdown, at):
        return None
    end = at + len(markdown)
    return end if end == len(text) or text[end] == "\n" else None


def edited_place(text: str, theirs: str) -> tuple[int, int] | None:
    """The (start, end) of a block's DOCX version in the file, if it is there once (the
    block's edits merged before)."""
    if not theirs.strip() or text.count(theirs) != 1:
        return None
    start = text.find(theirs)
    return start, start + len(theirs)

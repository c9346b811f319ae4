"""A merge run again: what of a DOCX's new text its section file holds already."""

from __future__ import annotations


def already_there(text: str, at: int, markdown: str) -> int | None:
    """Where `markdown` ends if the file's text at `at` is it already (this DOCX merged
    before), followed by the end of the file or a line break; else None."""
    if not markdown.strip() or not text.startswith(markdown, at):
        return None
    end = at + len(markdown)
    return end if end == len(text) or text[end] == "\n" else None

"""A paragraph typed in Word, written as Markdown: its bold and italic as `**…**` and `*…*`,
its links as `[text](@key)` (a URL the review cites) or `[text](URL)`, and its footnote
references as the citations they stand for (a recorded note by its key, a footnote added in
Word by the citation `AddedNotes` made for it). What cannot be written is said."""

from __future__ import annotations

from itertools import groupby

from scopekit.merging.align import escape
from scopekit.review import Review
from scopekit.urls import normalise
from scopekit.wordtext import NEW_NOTE, Paragraph, Piece, note_number

MARKER = {"b": "**", "i": "*", "bi": "***"}


def new_markdown(
    paragraph: Paragraph,
    review: Review,
    notes: dict[int, dict],
    added: dict[str, str],
    links: dict[str, str],
) -> tuple[str, list[str]]:
    """The paragraph's after-text as Markdown, and what of it could not be kept."""
    pieces = [p for p in paragraph.pieces if p.change is None or p.change.kind != "del"]
    lost: list[str] = []
    sources = {normalise(s.url): s.id for s in review.sources if s.url}
    out = []
    for link, group in groupby(pieces, key=lambda p: p.link):
        inner = _emphasised(list(group), notes, added, lost)
        url = links.get(link, "") if link and not link.startswith("#") else ""
        if url and inner.strip():
            key = sources.get(normalise(url))
            out.append(f"[{inner}]({'@' + key if key else url})")
        else:
            out.append(inner)
    return "".join(out).strip(), lost


def _emphasised(
    pieces: list[Piece], notes: dict[int, dict], added: dict[str, str], lost: list[str]
) -> str:
    out = []
    for marks, group in groupby(pieces, key=lambda p: p.marks):
        text = "".join(_piece(p, notes, added, lost) for p in group)
        marker = MARKER.get(marks, "")
        core = text.strip()
        if marker and core:
            lead, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            text = f"{lead}{marker}{core}{marker}{tail}"
        out.append(text)
    return "".join(out)


def _piece(piece: Piece, notes: dict[int, dict], added: dict[str, str], lost: list[str]) -> str:
    if not piece.note_id:
        return escape(piece.text)
    if piece.text in added:
        return added[piece.text]
    number = note_number(piece.text)
    key = notes.get(number, {}).get("key") if number is not None else None
    if key:
        return f"[@{key}]"
    if piece.text == NEW_NOTE:
        lost.append("a footnote added in Word cites no URL: add its source with scopekit add")
    else:
        lost.append(f"a copy of note {number} (not a citation): add it by hand")
    return ""

"""Bold and italic made or unmade in Word, carried to the Markdown as `**…**` and `*…*`.

The build record keeps each block's bold and italic stretches (Strong and Emphasis, as the
renderer writes `**` and `*`); the edited paragraph's are read from its runs (a character
style or Word's own bold and italic). Where the text is the same on both sides and a
stretch gained bold or italic, markers go around its source; where it lost them, the
markers around its source go (and the parts of that stretch that kept them get their own).
New text typed all in bold or italic is written inside them.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from scopekit.merging.align import Aligned, Edit
from scopekit.wordtext import Change, Paragraph

MARKERS = {"b": ("**", "__"), "i": ("*", "_")}


def built_marks(spans: list | None, length: int) -> list[str]:
    """Each built character's marks from the record's [start, end, marks] stretches."""
    marks = [""] * length
    for start, end, found in spans or ():
        for k in range(max(0, start), min(end, length)):
            marks[k] = found
    return marks


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for k, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = k
        elif not flag and start is not None:
            runs.append((start, k))
            start = None
    return runs


def _restyled(paragraph: Paragraph, first: int, last: int) -> list[Change]:
    """The tracked formatting changes over after-text [first, last)."""
    at, found = 0, []
    for piece in paragraph.pieces:
        if piece.change is not None and piece.change.kind == "del":
            continue
        end = at + len(piece.text)
        if piece.restyled is not None and at < last and end > first:
            found.append(piece.restyled)
        at = end
    return found


def emphasis_edits(
    aligned: Aligned, built: str, before: list[str], paragraph: Paragraph
) -> list[tuple[Edit, list[Change]]]:
    """Source edits for bold and italic gained or lost on text both sides share."""
    after = paragraph.text()
    now = paragraph.char_marks()
    out: list[tuple[Edit, list[Change]]] = []
    matcher = SequenceMatcher(None, built, after, autojunk=False)
    pairs = [(a + k, b + k) for a, b, size in matcher.get_matching_blocks() for k in range(size)]
    for letter, (marker, other) in MARKERS.items():
        lost: dict[tuple[int, int], list[tuple[int, int, list[Change]]]] = {}
        for gained in (True, False):
            flags = [False] * len(built)
            to_after = {}
            for a, b in pairs:
                to_after[a] = b
                flags[a] = (letter in now[b]) != (letter in before[a]) and (
                    letter in now[b]
                ) is gained
            for b1, b2 in _runs(flags):
                while b1 < b2 and built[b1].isspace():
                    b1 += 1
                while b2 > b1 and built[b2 - 1].isspace():
                    b2 -= 1
                if b1 == b2:
                    continue
                who = _restyled(paragraph, to_after[b1], to_after[b2 - 1] + 1)
                if gained:
                    s1, s2 = aligned.span(b1, b2)
                    out.append((Edit(s1, s1, marker, raw=True), who))
                    out.append((Edit(s2, s2, marker, raw=True), who))
                    continue
                lost.setdefault(_stretch(before, letter, b1, b2), []).append((b1, b2, who))
        for (first, last), parts in lost.items():
            out.extend(_unmarked(aligned, built, (first, last), parts, (marker, other)))
    return out


def _stretch(before: list[str], letter: str, b1: int, b2: int) -> tuple[int, int]:
    """The built stretch with `letter` that holds built characters [b1, b2)."""
    while b1 > 0 and letter in before[b1 - 1]:
        b1 -= 1
    while b2 < len(before) and letter in before[b2]:
        b2 += 1
    return b1, b2


def _unmarked(
    aligned: Aligned,
    built: str,
    stretch: tuple[int, int],
    lost: list[tuple[int, int, list[Change]]],
    markers: tuple[str, str],
) -> list[tuple[Edit, list[Change]]]:
    """Edits unmarking the `lost` parts of one bold (or italic) stretch of the built text:
    its markers go, and the parts that kept the mark get their own (`**a b c**` less b is
    `**a** b **c**`)."""
    source = aligned.source
    s1, s2 = aligned.span(*stretch)
    written = next(
        (m for m in markers if source[s1 - len(m) : s1] == m and source[s2 : s2 + len(m)] == m),
        None,
    )
    if written is None:
        return []
    who = list({(c.author, c.date): c for *_, changes in lost for c in changes}.values())
    kept, at = [], stretch[0]
    for b1, b2, _ in sorted(lost):
        kept.append((at, b1))
        at = b2
    kept.append((at, stretch[1]))
    segments = []
    for k1, k2 in kept:
        while k1 < k2 and built[k1].isspace():
            k1 += 1
        while k2 > k1 and built[k2 - 1].isspace():
            k2 -= 1
        if k2 > k1:
            segments.append(aligned.span(k1, k2))
    size = len(written)
    out = []
    if not segments or segments[0][0] != s1:
        out.append((Edit(s1 - size, s1, "", written, raw=True), who))
    for k, (start, end) in enumerate(segments):
        if start != s1 or k:
            out.append((Edit(start, start, written, raw=True), who))
        if end != s2 or k < len(segments) - 1:
            out.append((Edit(end, end, written, raw=True), who))
    if not segments or segments[-1][1] != s2:
        out.append((Edit(s2, s2 + size, "", written, raw=True), who))
    return out


def inserted_marks(edit: Edit, paragraph: Paragraph) -> Edit:
    """A text edit whose new text was typed all bold (or all italic) written inside its
    markers."""
    first, last = edit.edited
    now = paragraph.char_marks()[first:last]
    text = paragraph.text()[first:last]
    letters = [m for c, m in zip(text, now) if not c.isspace()]
    new = edit.new
    if not letters or not new.strip():
        return edit
    for letter in ("b", "i"):
        if all(letter in m for m in letters):
            marker = MARKERS[letter][0]
            core = new.strip()
            lead = new[: len(new) - len(new.lstrip())]
            tail = new[len(new.rstrip()) :]
            new = f"{lead}{marker}{core}{marker}{tail}"
    return Edit(edit.start, edit.end, new, edit.old, edit.raw, edit.edited)

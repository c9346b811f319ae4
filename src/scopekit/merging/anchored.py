"""Blocks matched by anchor, and those whose anchor LibreOffice dropped.

Each edited paragraph holding a `_skN` bookmark is that built block (a second paragraph
with the same anchor, a copy, is not). LibreOffice removes a bookmark whose text is
replaced, so an edit made with track changes off at a paragraph's start leaves the paragraph
without one. Paragraphs without an anchor between two anchored ones are matched to the built
blocks between those two that the DOCX lacks: cells to cells in order when there are as many
of each, else each to the one of its kind (a table cell or not) its text is most like.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from scopekit.merging.edited import EditedBlock
from scopekit.merging.moves import SIMILAR
from scopekit.merging.record import Built, Record


def match_by_anchor(blocks: list[EditedBlock], record: Record) -> list[Built | None]:
    """Each edited block's built block by its anchor, else by its place and text (None: a
    paragraph added in Word)."""
    seen: set[int] = set()
    matched: list[Built | None] = []
    for block in blocks:
        number = block.paragraph.anchor
        matched.append(record.block(number) if number and number not in seen else None)
        if number:
            seen.add(number)
    found = {b.n for b in matched if b is not None}
    last = max((b.n for b in record.blocks), default=0) + 1
    start = 0
    while start < len(matched):
        if matched[start] is not None:
            start += 1
            continue
        end = start
        while end < len(matched) and matched[end] is None:
            end += 1
        before = matched[start - 1].n if start else 0
        after = matched[end].n if end < len(matched) else last
        lacking = [b for b in record.blocks if before < b.n < after and b.n not in found]
        for offset, built in _paired(blocks[start:end], lacking).items():
            matched[start + offset] = built
        start = end
    return matched


def _fits(block: EditedBlock, built: Built) -> bool:
    """Whether a paragraph can be the built block: a table cell for a cell, not for the rest
    (generated text, which the record does not place in or out of a table, either)."""
    return built.kind == "generated" or block.in_table == (built.kind == "cell")


def _paired(blocks: list[EditedBlock], lacking: list[Built]) -> dict[int, Built]:
    """Unanchored paragraphs (by index) matched to the built blocks lacking between the same
    two anchors."""
    if not lacking:
        return {}
    if len(blocks) == len(lacking) and all(
        b.in_table and built.kind == "cell" for b, built in zip(blocks, lacking)
    ):
        return dict(enumerate(lacking))
    scored = []
    for i, block in enumerate(blocks):
        text = block.paragraph.text()
        for j, built in enumerate(lacking):
            if text.strip() and _fits(block, built):
                ratio = SequenceMatcher(None, built.text, text, autojunk=False).ratio()
                if ratio >= SIMILAR:
                    scored.append((ratio, i, j))
    pairs: dict[int, int] = {}
    for _ratio, i, j in sorted(scored, reverse=True):
        if i in pairs or j in pairs.values():
            continue
        if all((i < k) == (j < m) for k, m in pairs.items()):  # in order, never crossing
            pairs[i] = j
    return {i: lacking[j] for i, j in pairs.items()}

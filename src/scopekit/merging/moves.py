"""Blocks matched by text, blocks moved in Word, and a block's DOCX version as Markdown.

Without anchors, each paragraph is matched to the most similar built block not yet matched.

With anchors, a paragraph or list item cut and pasted elsewhere keeps its `_skN` bookmark:
the blocks whose record numbers are out of order (not on the longest run in order) moved.
A paragraph moved with track changes on (`w:moveFrom`/`w:moveTo`) reads as a deleted block
and a new one with its text: the new one is that block, moved. A moved block's Markdown is
its source with its edits made, so its citations, emphasis and links come along.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from difflib import SequenceMatcher
from itertools import pairwise

from scopekit.merging.align import Aligned, apply, escape
from scopekit.merging.edited import EditedBlock
from scopekit.merging.record import Built, Record
from scopekit.wordtext import is_note, note_number

SIMILAR = 0.6  # the least similarity for a paragraph matched by its text
MOVED = 0.9  # the least similarity of a new paragraph to a deleted one it was moved from


_PIPE = re.compile(r"(?<!\\)\|")


def cell_span(row: str, column: int) -> tuple[int, int] | None:
    """The span of cell `column` in a pipe-table row, spaces around it left out."""
    pipes = [m.start() for m in _PIPE.finditer(row)]
    bounds = [-1, *pipes, len(row)]
    cells = [(a + 1, b) for a, b in pairwise(bounds)]
    if row.lstrip().startswith("|"):
        cells = cells[1:]
    if row.rstrip().endswith("|"):
        cells = cells[:-1]
    if column >= len(cells):
        return None
    start, end = cells[column]
    while start < end and row[start] == " ":
        start += 1
    while end > start and row[end - 1] == " ":
        end -= 1
    return start, end


def docx_version(built: Built, after: str, added: dict[str, str]) -> str:
    """The DOCX's version of a block as Markdown: its edits made to the recorded source, so
    its citations, emphasis and links stay as they were written."""
    source = built.source
    if source is None:
        return escape("".join(c for c in after if not is_note(c)))
    start, end = 0, len(source)
    if built.kind == "cell":
        span = cell_span(source, built.cell or 0)
        if span is None:
            return escape("".join(c for c in after if not is_note(c)))
        start, end = span
    notes = [n for n in (note_number(c) for c in built.text) if n is not None]
    aligned = Aligned(source[start:end], built.text, notes)
    aligned.extra = added
    return source[:start] + apply(source[start:end], aligned.edits(after)) + source[end:]


def out_of_order(numbers: list[int]) -> set[int]:
    """The record numbers not on a longest increasing run of `numbers` (those moved)."""
    tails: list[int] = []
    index_at: list[int] = []
    parent: list[int] = [-1] * len(numbers)
    for k, number in enumerate(numbers):
        at = bisect_left(tails, number)
        if at == len(tails):
            tails.append(number)
            index_at.append(k)
        else:
            tails[at] = number
            index_at[at] = k
        parent[k] = index_at[at - 1] if at else -1
    keep: set[int] = set()
    k = index_at[-1] if index_at else -1
    while k >= 0:
        keep.add(numbers[k])
        k = parent[k]
    return set(numbers) - keep


def moved_from(text: str, deleted: list[tuple[Built, str]]) -> Built | None:
    """The deleted block (its built block and its text before the deletion) a new
    paragraph's text was moved from, if one is that similar."""
    plain = "".join(c for c in text if not is_note(c)).strip()
    best, score = None, MOVED
    for built, before in deleted:
        other = "".join(c for c in before if not is_note(c)).strip()
        ratio = SequenceMatcher(None, other, plain, autojunk=False).ratio()
        if ratio >= score:
            best, score = built, ratio
    return best


def match_by_text(blocks: list[EditedBlock], record: Record) -> list[Built | None]:
    """Each edited block's built block by text similarity, in order (None: no match)."""
    candidates = [b for b in record.blocks if b.text.strip()]
    used: set[int] = set()
    found: list[Built | None] = []
    for block in blocks:
        text = block.paragraph.text()
        best, score = None, SIMILAR
        if text.strip():
            for built in candidates:
                if built.n in used:
                    continue
                matcher = SequenceMatcher(None, built.text, text, autojunk=False)
                if matcher.real_quick_ratio() < score or matcher.quick_ratio() < score:
                    continue
                ratio = matcher.ratio()
                if ratio > score or (ratio == 1.0 and best is None):
                    best, score = built, ratio
                    if ratio == 1.0:
                        break
        if best is not None:
            used.add(best.n)
        found.append(best)
    return found

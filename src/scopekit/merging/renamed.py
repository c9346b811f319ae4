"""Headings renamed in the DOCX, and the cross-references to them the colleague retyped.

A cross-reference `@sec-x` shows its section's title. A colleague who renames the heading
in Word, and then types the new title where the text showed the old one, changed nothing
the Markdown says: `@sec-x` shows the new title once the heading is merged. `as_built`
gives such a block's edited text back its old title there, so no words are added after
the `@sec-x`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scopekit.merging.edited import EditedBlock
from scopekit.merging.record import Built


def renamed_headings(
    blocks: Sequence[EditedBlock], matched: Sequence[Built | None]
) -> dict[str, tuple[str, str]]:
    """Each heading with an id the DOCX renamed: id → (title built, title now)."""
    from scopekit.review.pandoc import CROSSREF, trailing_attrs  # markdown-it: when needed

    renamed = {}
    for block, built in zip(blocks, matched):
        if built is None or built.kind != "heading" or not built.source:
            continue
        now = block.paragraph.text().strip()
        attrs = trailing_attrs(built.source.strip())
        key = str(attrs[1].get("id", "")) if attrs else ""
        if now and now != built.text and CROSSREF.match(key):
            renamed[key] = (built.text, now)
    return renamed


def as_built(edited: str, built: str, source: str, renamed: dict[str, tuple[str, str]]) -> str:
    """`edited` with a renamed heading's new title, where it stands for a cross-reference
    of `source` to that heading, put back to the title the build showed."""
    for key, (old, new) in renamed.items():
        count = len(re.findall(rf"@{re.escape(key)}(?![\w-])", source))
        if count and new in edited and new not in built and old in built:
            edited = edited.replace(new, old, count)
    return edited

"""Figure ids and the cross-references that name them (`{#fig-x}`, `@fig-x`).

A figure (a picture with a caption) gets back the id it had: the `{#fig-x}` of its Markdown
in a scopekit build record (found by the block's anchor `_skN`), else a bookmark named
`fig-x` around it (as pandoc writes one). A REF field or a link to a place in the document
that points at a bookmark of a figure (Word's `_Ref…` on its caption, `fig-x`, `_skN`) and
shows its label, "Figure 1", becomes `@fig-x`; a figure that has no id yet is then given
one from its file name. In a block a build record says was written with `@fig-x`, the
label that cross-reference showed ("Figure 1") becomes `@fig-x` again, and `@fig-x` left
as text (pandoc writes it so) is a cross-reference when a figure has that id.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

from scopekit.importer.model import Block, CrossRef, Inline, Picture, Span
from scopekit.importer.sources import slug_words, unique
from scopekit.wordtext import ANCHOR

if TYPE_CHECKING:
    from scopekit.merging.record import Record

_ANCHOR = re.compile(re.escape(ANCHOR) + r"(\d+)\Z")
_SHOWN = re.compile(r"(?:figure|fig\.?)\s*\d+[a-z]?\Z", re.IGNORECASE)


class FigureIds:
    """The figures of a document by bookmark name, their ids given or made when named."""

    def __init__(self, blocks: list[Block], record: Record | None) -> None:
        self.record = record
        self.by_bookmark: dict[str, Picture] = {}
        self.figures: list[Picture] = []
        for block in blocks:
            found = [i for i in block.inlines if isinstance(i, Picture) and i.caption]
            if len(found) != 1:
                continue
            figure = found[0]
            self.figures.append(figure)
            figure.id = figure.id or self._given_id(block)
            for name in block.bookmarks:
                self.by_bookmark.setdefault(name, figure)
        self.used = {figure.id for figure in self.figures if figure.id}

    def _given_id(self, block: Block) -> str:
        """The id the record's Markdown gave the block, else a bookmark named `fig-x`."""
        from scopekit.review.pandoc import CROSSREF, trailing_attrs  # markdown-it: when needed

        for name in block.bookmarks:
            found = _ANCHOR.match(name)
            built = self.record.block(int(found[1])) if found and self.record else None
            attrs = trailing_attrs((built.source or "").strip()) if built else None
            key = str(attrs[1].get("id", "")) if attrs else ""
            if key.startswith("fig-") and CROSSREF.match(key):
                return key
        return next((n for n in block.bookmarks if n.startswith("fig-") and CROSSREF.match(n)), "")

    def key(self, bookmark: str, shown: str) -> str | None:
        """The id of the figure a cross-reference showing `shown` points at (made when the
        figure has none), else None: no figure there, or it shows more than the label."""
        figure = self.by_bookmark.get(bookmark)
        if figure is None or not _SHOWN.match(" ".join(shown.split())):
            return None
        if not figure.id:
            stem = posixpath.splitext(figure.name or posixpath.basename(figure.part))[0]
            figure.id = unique("fig-" + ("-".join(slug_words(stem)[:6]) or "figure"), self.used)
        return figure.id

    def restore(self, block: Block) -> None:
        """In a block the record says was written with `@fig-x`, the label it showed made a
        cross-reference again; `@fig-x` typed as text (pandoc leaves it so) one too."""
        sources = []
        for name in block.bookmarks if self.record else ():
            found = _ANCHOR.match(name)
            built = self.record.block(int(found[1])) if found else None
            if built is not None and built.source:
                sources.append(built.source)
        typed = {f"@{figure.id}": figure.id for figure in self.figures if figure.id}
        labels = typed | {
            figure.label: figure.id
            for figure in self.figures
            if figure.id
            and figure.label
            and any(re.search(rf"@{re.escape(figure.id)}(?![\w-])", s) for s in sources)
        }
        if labels:
            block.inlines = _split(block.inlines, labels)


def _split(inlines: list[Inline], labels: dict[str, str]) -> list[Inline]:
    """Inline pieces with each label (`Figure 1`, not `Figure 12`) in their unlinked text
    made the cross-reference it stands for."""
    names = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{names})(?![\w-])")
    out: list[Inline] = []
    for item in inlines:
        if not isinstance(item, Span) or item.link is not None:
            out.append(item)
            continue
        at = 0
        for found in pattern.finditer(item.text):
            if found.start() > at:
                out.append(_part(item, item.text[at : found.start()]))
            out.append(CrossRef("", found[0], labels[found[0]]))
            at = found.end()
        if at < len(item.text):
            out.append(_part(item, item.text[at:]) if at else item)
    return out


def _part(span: Span, text: str) -> Span:
    return Span(text, span.bold, span.italic, span.superscript, span.link)

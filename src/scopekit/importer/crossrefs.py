"""Figure, table and section ids, and the cross-references that name them (`{#fig-x}`,
`{#tbl-x}`, `{#sec-x}`; `@fig-x`, `@tbl-x`, `@sec-x`).

A figure (a picture with a caption), a table with a caption and a heading get back the id
they had: the `{#…}` of their Markdown in a scopekit build record (found by the block's
anchor `_skN`), else a bookmark named `fig-x`, `tbl-x` or `sec-x` around them (as pandoc
writes one). A REF field or a link to a place in the document that points at a bookmark of
a figure or table (Word's `_Ref…` on its caption, `fig-x`, `_skN`) and shows its label,
"Figure 1" or "Table 2", becomes `@fig-x` or `@tbl-x`; one that has no id yet is then given
one from its image's file name or its caption. In a block a build record says was written
with `@fig-x`, `@tbl-x` or `@sec-x`, what that cross-reference showed ("Figure 1",
"Table 2", the section's title) becomes the cross-reference again, and `@fig-x` left as
text (pandoc writes it so) is a cross-reference when something has that id.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scopekit.importer.model import Block, CrossRef, Inline, Picture, Span, plain
from scopekit.importer.sources import slug_words, unique
from scopekit.wordtext import ANCHOR

if TYPE_CHECKING:
    from scopekit.merging.record import Record

_ANCHOR = re.compile(re.escape(ANCHOR) + r"(\d+)\Z")
_SHOWN = {
    "fig": re.compile(r"(?:figure|fig\.?)\s*\d+[a-z]?\Z", re.IGNORECASE),
    "tbl": re.compile(r"table\s*\d+[a-z]?\Z", re.IGNORECASE),
}

_MADE = {"fig": "figure", "tbl": "table"}  # an id's words when its stem has none


@dataclass
class Target:
    """Something a cross-reference may name: a figure, a captioned table or a heading."""

    kind: str  # fig, tbl, sec
    holder: Picture | Block  # where its id is kept
    shown: str  # what a cross-reference to it shows: "Figure 1", "Table 2", the title
    stem: str  # what an id made for it is made from

    @property
    def id(self) -> str:
        return self.holder.id

    @id.setter
    def id(self, value: str) -> None:
        self.holder.id = value


class Targets:
    """The figures, tables and headings of a document by bookmark name, their ids given or
    made when named."""

    def __init__(self, blocks: list[Block], record: Record | None) -> None:
        self.record = record
        self.by_bookmark: dict[str, Target] = {}
        self.targets: list[Target] = []
        for block in blocks:
            target = _target(block)
            if target is None:
                continue
            self.targets.append(target)
            target.id = target.id or self._given_id(block, target.kind)
            for name in block.bookmarks:
                self.by_bookmark.setdefault(name, target)
        self.used = {target.id for target in self.targets if target.id}

    def _given_id(self, block: Block, kind: str) -> str:
        """The id the record's Markdown gave the block, else a bookmark named `fig-x` (or
        `tbl-x`, `sec-x`, by its kind)."""
        from scopekit.review.pandoc import CROSSREF, trailing_attrs  # markdown-it: when needed

        for name in block.bookmarks:
            found = _ANCHOR.match(name)
            built = self.record.block(int(found[1])) if found and self.record else None
            attrs = trailing_attrs((built.source or "").strip()) if built else None
            key = str(attrs[1].get("id", "")) if attrs else ""
            if key.startswith(f"{kind}-") and CROSSREF.match(key):
                return key
        prefix = f"{kind}-"
        return next((n for n in block.bookmarks if n.startswith(prefix) and CROSSREF.match(n)), "")

    def key(self, bookmark: str, shown: str) -> str | None:
        """The id of the figure or table a cross-reference showing `shown` points at (made
        when it has none), else None: nothing there, or it shows more than the label."""
        target = self.by_bookmark.get(bookmark)
        pattern = _SHOWN.get(target.kind) if target is not None else None
        if target is None or pattern is None or not pattern.match(" ".join(shown.split())):
            return None
        if not target.id:
            made = "-".join(slug_words(target.stem)[:6]) or _MADE[target.kind]
            target.id = unique(f"{target.kind}-{made}", self.used)
        return target.id

    def restore(self, block: Block) -> None:
        """In a block the record says was written with `@fig-x` (or `@tbl-x`, `@sec-x`),
        what it showed made a cross-reference again; `@fig-x` typed as text one too."""
        sources = []
        for name in block.bookmarks if self.record else ():
            found = _ANCHOR.match(name)
            built = self.record.block(int(found[1])) if found else None
            if built is not None and built.source:
                sources.append(built.source)
        named = [target for target in self.targets if target.id]
        labels = {f"@{target.id}": target.id for target in named} | {
            target.shown: target.id
            for target in named
            if target.shown
            and any(re.search(rf"@{re.escape(target.id)}(?![\w-])", s) for s in sources)
        }
        if labels:
            which = {label: _which(label, labels[label], sources) for label in labels}
            block.inlines = _split(block.inlines, labels, which)


def _target(block: Block) -> Target | None:
    """What in a block a cross-reference may name, if anything."""
    if block.kind == "heading":
        return Target("sec", block, block.text, block.text)
    if block.kind == "table":
        return Target("tbl", block, block.label, plain(block.caption)) if block.caption else None
    found = [i for i in block.inlines if isinstance(i, Picture) and i.caption]
    if len(found) != 1:
        return None
    figure = found[0]
    stem = posixpath.splitext(figure.name or posixpath.basename(figure.part))[0]
    return Target("fig", figure, figure.label, stem)


def _which(label: str, key: str, sources: list[str]) -> list[bool] | None:
    """For a label a cross-reference shows ("Table 1", a section's title), which of its
    occurrences in the block's Markdown, in order, were the cross-reference (`@key`) and
    which the words typed; None for `@key` itself, which always is one."""
    if label.startswith("@"):
        return None
    pattern = re.compile(rf"@{re.escape(key)}(?![\w-])|(?<![\w@])({re.escape(label)})(?![\w-])")
    return [found[1] is None for s in sources for found in pattern.finditer(s)]


def _split(
    inlines: list[Inline], labels: dict[str, str], which: dict[str, list[bool] | None]
) -> list[Inline]:
    """Inline pieces with each label (`Figure 1`, not `Figure 12`) in their unlinked text
    made the cross-reference it stands for: every occurrence, or, where the label occurs
    as often as in the Markdown (`which`), those that were the cross-reference there (a
    section's title also typed as words stays words)."""
    names = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{names})(?![\w-])")
    spans = [i for i in inlines if isinstance(i, Span) and i.link is None]
    seen = [found[0] for item in spans for found in pattern.finditer(item.text)]
    count = {label: seen.count(label) for label in labels}
    at_label = dict.fromkeys(labels, 0)
    out: list[Inline] = []
    for item in inlines:
        if not isinstance(item, Span) or item.link is not None:
            out.append(item)
            continue
        at = 0
        for found in pattern.finditer(item.text):
            label, mask = found[0], which.get(found[0])
            index, at_label[label] = at_label[label], at_label[label] + 1
            if mask is not None and len(mask) == count[label] and not mask[index]:
                continue
            if found.start() > at:
                out.append(_part(item, item.text[at : found.start()]))
            out.append(CrossRef("", label, labels[label]))
            at = found.end()
        if at < len(item.text):
            out.append(_part(item, item.text[at:]) if at else item)
    return out


def _part(span: Span, text: str) -> Span:
    return Span(text, span.bold, span.italic, span.superscript, span.link)

"""Patches for WeasyPrint and pydyf, installed only while scopekit renders a PDF.

One is a fix. WeasyPrint 70 loses footnotes at page breaks: when the second line of a
paragraph overflows the page, `orphans` forbid breaking before it, and WeasyPrint keeps the
line on the page by moving earlier footnotes to the next page, it leaves the line's loop
before laying out the footnotes called in that very line (`_linebox_layout` in
weasyprint/layout/block.py). Their calls are drawn; their text never reaches any page (6 of
1,500 notes in a long review). `_keep_line_footnotes` adds the missing step to WeasyPrint's
own function: those footnotes are laid out and moved to the next page after the earlier
ones, as WeasyPrint does for any footnote once it has started moving footnotes on. And in
that same place WeasyPrint moves footnotes away from their calls whatever their
`footnote-policy`; here only `auto` footnotes are moved, so with `line` (the house style's)
the lines go to the next page and every note stays at the foot of its call's page.

Another is a fix too. WeasyPrint 70 measures a text that ends in a collapsible space (the
text before a link, a note call or any inline element: `… and pick-up <span>`) with that
space, though the space hangs at the end of a line and is removed there. When the text fits
only without its space, `split_first_line` (weasyprint/text/line_break.py) takes it for a
line that cannot be broken earlier and breaks after its first word: the line shows "A" and
the rest of the sentence starts on the next line. `_hanging_space_split_first_line` makes
that step measure the text without its trailing spaces, as Pango does when it wraps; the
text (space included) is kept, so the inline layout breaks before the element that follows,
as it does for a text that fits.

The others are speed. WeasyPrint 70 lays out the whole footnote area again every time a
footnote joins a page (`LayoutContext._update_footnote_area`), and looks each footnote call
up in a list of every footnote still to place (`descendant.footnote in context.footnotes`).
Both are quadratic: on a review with 3,000 notes they were most of the PDF's time. Here:

- the footnote area's height is the sum of each footnote's own height, each laid out once
  (alone, in the same area) and remembered for the rest of the render. That is exactly what
  laying out the whole area gives when footnotes are blocks with no vertical margins and the
  area has no min/max height, which `eligible` checks every time; anything else falls back
  to WeasyPrint's own method.
- the list of footnotes to place keeps an index of its members, so `in` is a lookup.
- pydyf's `PDF.page_references`, which WeasyPrint reads for every tagged element, builds a
  tuple of every page each time it is read; here it is built again only when a page is
  added.

The page's footnote area is still laid out in full by WeasyPrint when the page is finished,
so what is drawn is WeasyPrint's own layout; only the running height comes from the sums.
The patches apply to the WeasyPrint and pydyf versions they were written and tested for
(TESTED; they replace private methods); with any other version the PDF is the same, just
slower. tests/test_pdf_patches.py renders with and without them and compares the bytes.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from math import inf
from typing import Any

TESTED = {"weasyprint": ("70.",), "pydyf": ("0.13.",)}


class FootnoteList(list):
    """A list of footnote boxes whose `in` is a dictionary lookup, not a scan."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._count: dict[int, int] = {}
        for item in self:
            self._add(item)

    def _add(self, item: Any) -> None:
        self._count[id(item)] = self._count.get(id(item), 0) + 1

    def _drop(self, item: Any) -> None:
        left = self._count.get(id(item), 0) - 1
        if left > 0:
            self._count[id(item)] = left
        else:
            self._count.pop(id(item), None)

    def __contains__(self, item: object) -> bool:
        return id(item) in self._count

    def append(self, item: Any) -> None:
        super().append(item)
        self._add(item)

    def extend(self, items: Iterable[Any]) -> None:
        for item in items:
            self.append(item)

    def insert(self, index: Any, item: Any) -> None:
        super().insert(index, item)
        self._add(item)

    def remove(self, item: Any) -> None:
        for index, member in enumerate(self):
            if member is item:
                super().__delitem__(index)
                self._drop(item)
                return
        raise ValueError("FootnoteList.remove(x): x not in list")

    def pop(self, index: Any = -1) -> Any:
        item = super().pop(index)
        self._drop(item)
        return item

    def clear(self) -> None:
        super().clear()
        self._count.clear()

    def copy(self) -> FootnoteList:
        return FootnoteList(self)

    def _rebuild(self) -> None:
        self._count = {}
        for item in self:
            self._add(item)

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self._rebuild()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._rebuild()

    def __iadd__(self, items: Iterable[Any]) -> FootnoteList:
        self.extend(items)
        return self


def _zero(length: Any) -> bool:
    return getattr(length, "value", length) == 0


def eligible(area: Any, footnotes: list[Any]) -> bool:
    """Whether the area's height is exactly the sum of its footnotes' own heights."""
    if area.min_height not in (0, "auto") or area.max_height != inf:
        return False
    for footnote in footnotes:
        style = footnote.style
        if style["footnote_display"] != "block":
            return False
        if not (_zero(style["margin_top"]) and _zero(style["margin_bottom"])):
            return False
    return True


def _measure(context: Any, footnote: Any) -> tuple[float, float]:
    """(height of `footnote` alone in the current area, the area's own vertical extras)."""
    from weasyprint.formatting_structure.build import create_anonymous_boxes
    from weasyprint.layout.block import block_level_layout

    area = context.current_footnote_area
    cache = context.__dict__.setdefault("_scopekit_footnote_heights", {})
    key = (id(footnote), id(area.style), area.page.width)
    known = cache.get(key)
    if known is not None and known[0] is footnote:
        return known[1], known[2]
    children = area.children
    area.children = [footnote]
    try:
        probe = create_anonymous_boxes(area.deepcopy())
    finally:
        area.children = children
    laid = block_level_layout(context, probe, -inf, None, area.page)[0]
    height, extras = laid.height, laid.margin_height() - laid.height
    cache[key] = (footnote, height, extras)
    return height, extras


def _update_footnote_area(original):
    """WeasyPrint's `_update_footnote_area`, summing cached heights where that is exact."""

    def update(self) -> bool:
        area = self.current_footnote_area
        footnotes = self.current_page_footnotes
        if not footnotes or not eligible(area, footnotes):
            return original(self)
        if area.height != "auto" and not self.in_column:
            self.page_bottom += area.margin_height()
        area.children = footnotes
        height = extras = 0.0
        for footnote in footnotes:
            own, extras = _measure(self, footnote)
            height += own
        area.height = height
        if not self.in_column:
            self.page_bottom -= height + extras
        return False

    return update


def _init_with_index(original):
    def init(self, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.footnotes = FootnoteList(self.footnotes)

    return init


def _page_references(pdf: Any) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, rebuilt only when the page list has changed."""
    kids = pdf.pages["Kids"]
    key = (id(kids), len(kids), kids[-3] if kids else None)
    cached = pdf.__dict__.get("_scopekit_page_references")
    if cached is None or cached[0] != key:
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = pdf.__dict__["_scopekit_page_references"] = (key, references)
    return cached[1]


# In weasyprint/layout/block.py (70.0), `_linebox_layout`, the end of the `if overflow:` branch.
_KEPT_LINE = """\
            if reported_footnotes >= 2:
                extra = context.reported_footnotes[-1:-reported_footnotes-1:-1]
                context.reported_footnotes[-reported_footnotes:] = extra

            break
"""
_KEPT_LINE_FOOTNOTES = """\
            if reported_footnotes >= 2:
                extra = context.reported_footnotes[-1:-reported_footnotes-1:-1]
                context.reported_footnotes[-reported_footnotes:] = extra

            if new_children and new_children[-1] is line:
                for descendant in line.descendants():
                    if descendant.footnote in context.footnotes:
                        context.layout_footnote(descendant.footnote)
                        context.report_footnote(descendant.footnote)
                        new_footnotes.append(descendant.footnote)

            break
"""


# The same function, where it decides to move the page's footnotes on to keep a line that
# orphans would not let it push: only footnotes of `footnote-policy: auto` may be moved; for
# `line` and `block` the footnote stays with its call and the lines go to the next page.
_REPORT = """\
            report = not context.in_column and can_break_now and not could_break_before
"""
_REPORT_AUTO_ONLY = """\
            report = (
                not context.in_column and can_break_now and not could_break_before and
                all(footnote.style['footnote_policy'] == 'auto'
                    for footnote in context.current_page_footnotes))
"""
_EDITS = ((_KEPT_LINE, _KEPT_LINE_FOOTNOTES), (_REPORT, _REPORT_AUTO_ONLY))


@cache
def _fixed_linebox_layout(original: Any) -> Any:
    """WeasyPrint's `_linebox_layout` with the footnotes of a kept line laid out, or None
    when its source is not the one the fix was written for."""
    from weasyprint.layout import block

    return _recompiled(original, block, _EDITS)


# In weasyprint/text/line_break.py (70.0), `split_first_line`, step 2: the whole text is
# kept when it fits, measured without the spaces at its end when they collapse (they hang).
_FITS = """\
    first_line_width, _ = line_size(first_line, style)
    if resume_index is None and first_line_width <= max_width:
"""
_FITS_WITHOUT_HANGING_SPACES = """\
    first_line_width, _ = line_size(first_line, style)
    fits = first_line_width <= max_width
    if (resume_index is None and not fits and space_collapse and
            text.rstrip(' ') and text.endswith(' ')):
        hanging = create_layout(
            text.rstrip(' '), style, context, max_width, justification_spacing)
        trimmed_line, trimmed_resume_index = hanging.get_first_line()
        fits = (
            trimmed_resume_index is None and
            line_size(trimmed_line, style)[0] <= max_width)
        hanging.deactivate()
    if resume_index is None and fits:
"""


def _recompiled(original: Any, module: Any, edits: Iterable[tuple[str, str]]) -> Any:
    """`original` with each anchor of `edits` replaced, compiled in `module`'s namespace,
    or None when its source is not the one the edits were written for."""
    try:
        source = textwrap.dedent(inspect.getsource(original))
        filename = inspect.getsourcefile(original) or "<weasyprint>"
    except (OSError, TypeError):
        return None
    for anchor, replacement in edits:
        if source.count(anchor) != 1:
            return None
        source = source.replace(anchor, replacement)
    padding = "\n" * (original.__code__.co_firstlineno - 1)  # tracebacks keep line numbers
    code = compile(padding + source, filename, "exec")
    namespace: dict[str, Any] = {}
    exec(code, module.__dict__, namespace)
    return namespace[original.__name__]


@cache
def _hanging_space_split_first_line(original: Any) -> Any:
    """WeasyPrint's `split_first_line` that keeps a text which fits but for its trailing
    spaces on the line, or None when its source is not the one the fix was written for."""
    from weasyprint.text import line_break

    return _recompiled(original, line_break, [(_FITS, _FITS_WITHOUT_HANGING_SPACES)])


def applies(package: str) -> bool:
    """Whether the installed `package` is a version these patches were written for."""
    from importlib import import_module

    return import_module(package).__version__.startswith(TESTED[package])


@contextmanager
def patched(fixes: bool = True, speed: bool = True) -> Iterator[bool]:
    """While inside, no footnote is lost and a text before an inline element wraps as it
    would alone (`fixes`), and footnote layout and PDF tagging take
    linear time (`speed`); yields whether any patch is in.

    Each patch is installed only for the version of its package it was written for.
    """
    patches: list[tuple[Any, str, Any]] = []
    if (fixes or speed) and applies("weasyprint"):
        from weasyprint.layout import LayoutContext, block

        if fixes and _fixed_linebox_layout(block._linebox_layout) is not None:
            patches.append((block, "_linebox_layout", _fixed_linebox_layout))
        if fixes:
            from weasyprint.layout import inline, preferred
            from weasyprint.text import line_break

            split = line_break.__dict__["split_first_line"]
            if _hanging_space_split_first_line(split) is not None:
                # the function itself, and the names it was imported under
                for module in (line_break, inline, preferred):
                    if module.__dict__.get("split_first_line") is split:
                        patches.append(
                            (module, "split_first_line", _hanging_space_split_first_line)
                        )
        if speed:
            patches.append((LayoutContext, "__init__", _init_with_index))
            patches.append((LayoutContext, "_update_footnote_area", _update_footnote_area))
    if speed and applies("pydyf"):
        import pydyf

        patches.append((pydyf.PDF, "page_references", lambda _: property(_page_references)))
    saved = [(owner, name, owner.__dict__[name]) for owner, name, _ in patches]
    for owner, name, make in patches:
        setattr(owner, name, make(owner.__dict__[name]))
    try:
        yield bool(patches)
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)

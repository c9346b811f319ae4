"""What the briefing shows of how the review was done, for every format: the "How this review
was done" box (eligibility, shortcuts, limitations) and the flow diagram, from the
reporting fields of review.yaml (`scopekit.reporting.flow` has the counts).

Both come after the Methods section: the box after its text, the diagram after the Search
log. The diagram is drawn as SVG with real text (HTML, and vector in the PDF); DOCX writes
the same boxes as a table (render/docx/reporting.py).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scopekit.render.markdown_html import esc
from scopekit.reporting.flow import Flow, flow_of

if TYPE_CHECKING:
    from scopekit.render import Document
    from scopekit.theme import Theme

FLOW_TITLE = "Flow of records through the review"


@dataclass(frozen=True)
class HowDone:
    """The box's parts, each a heading and its items, in reading order."""

    parts: list[tuple[str, list[str]]]


def how_done(doc: Document) -> HowDone | None:
    """The "How this review was done" box, or None when review.yaml gives none of its fields."""
    meta = doc.review.meta
    eligibility = meta.eligibility
    parts = []
    if eligibility:
        parts += [("Included", eligibility.include), ("Excluded", eligibility.exclude)]
        parts.append(("Languages", [eligibility.language] if eligibility.language else []))
    parts += [("Shortcuts taken", meta.shortcuts), ("Limitations", meta.limitations)]
    shown = [(title, items) for title, items in parts if items]
    return HowDone(shown) if shown else None


def reporting_after(doc: Document) -> int | None:
    """The index of the section the box and the diagram follow: Methods, else the section
    the Search log follows, else the last."""
    for index, section in enumerate(doc.sections):
        if section.is_methods:
            return index
    if doc.search_log_after is not None:
        return doc.search_log_after
    return len(doc.sections) - 1 if doc.sections else None


@dataclass(frozen=True)
class Box:
    """One box of the diagram: a label with its number, and lines of detail below."""

    label: str
    n: str
    details: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The box as one line of text: `Records screened: 186`."""
        return f"{self.label}: {self.n}" + "".join(f"; {d}" for d in self.details)


@dataclass(frozen=True)
class Stage:
    """A row of the diagram: the main box, and the box of what left the flow there."""

    main: Box
    side: Box | None = None


def number(n: int | None, approximate: bool = False) -> str:
    """`17,300`, `~17,300`, or `not recorded`."""
    return "not recorded" if n is None else ("~" if approximate else "") + f"{n:,}"


def flow_stages(doc: Document) -> list[Stage] | None:
    """The diagram's rows, top to bottom, or None without `screening: counts`."""
    flow = flow_of(doc.review)
    return stages(flow) if flow else None


def stages(flow: Flow) -> list[Stage]:
    """The rows of a flow: identified (per search) and duplicates, screened and excluded,
    read in full and excluded with reasons, included; a row only when its count is given."""
    about = flow.approximate and not flow.identified_given
    details = (
        []
        if flow.identified_given
        else [f"{s.where}: {number(s.results, s.approximate)}" for s in flow.searches]
    )
    first_side = (
        Box("Duplicates removed", number(flow.duplicates)) if flow.duplicates is not None else None
    )
    rows = [Stage(Box("Records identified", number(flow.identified, about), details), first_side)]
    if flow.screened is not None:
        side = (
            Box("Excluded at screening", number(flow.excluded))
            if flow.excluded is not None
            else None
        )
        rows.append(Stage(Box("Records screened", number(flow.screened)), side))
    if flow.assessed is not None:
        reasons = [f"{reason}: {n:,}" for reason, n in flow.reasons.items()]
        side = (
            Box("Excluded after reading", number(sum(flow.reasons.values())), reasons)
            if reasons
            else None
        )
        rows.append(Stage(Box("Read in full", number(flow.assessed)), side))
    rows.append(Stage(Box("Sources included", number(flow.included))))
    return rows


def flow_description(rows: list[Stage]) -> str:
    """The diagram as sentences, for its text alternative."""
    parts = []
    for row in rows:
        parts.append(row.main.text + ".")
        if row.side:
            parts.append(row.side.text + ".")
    return " ".join(parts)


# ------------------------------------------------------------------------------ the SVG

_WIDTH, _MAIN, _SIDE, _GAP = 640, 360, 230, 50
_LINE, _PAD, _FONT = 18, 10, 13


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=max(10, width // 7)) or [""]


def _box(x: int, y: int, w: int, box: Box, theme: Theme, side: bool) -> tuple[str, int]:
    """One box as SVG at (x, y), `w` wide: its label and number in bold, details below."""
    lines = [(line, True) for line in _wrap(f"{box.label}: {box.n}", w - 2 * _PAD)]
    for detail in box.details:
        lines += [(line, False) for line in _wrap(detail, w - 2 * _PAD)]
    height = len(lines) * _LINE + 2 * _PAD
    fill = "#ffffff" if side else theme.colours.tint
    parts = [
        f'<rect x="{x}" y="{y}" width="{w}" height="{height}" rx="4" fill="{esc(fill)}" '
        f'stroke="{esc(theme.colours.primary)}" stroke-width="1.5"/>'
    ]
    for index, (line, bold) in enumerate(lines):
        weight = ' font-weight="700"' if bold else ""
        baseline = y + _PAD + (index + 1) * _LINE - 5
        parts.append(f'<text x="{x + _PAD}" y="{baseline}"{weight}>{esc(line)}</text>')
    return "".join(parts), height


def flow_svg(rows: list[Stage], theme: Theme) -> str:
    """The flow diagram as an SVG element with real text, boxes joined by arrows, its title
    and description its text alternative."""
    colour = esc(theme.colours.primary)
    body, y, previous_bottom = [], 0, None
    for row in rows:
        main, main_h = _box(0, y, _MAIN, row.main, theme, False)
        side_h = 0
        if row.side:
            side, side_h = _box(_MAIN + _GAP, y, _SIDE, row.side, theme, True)
            middle = y + main_h // 2
            body.append(
                f'<line x1="{_MAIN}" y1="{middle}" x2="{_MAIN + _GAP - 4}" y2="{middle}" '
                f'stroke="{colour}" stroke-width="1.5" marker-end="url(#flow-arrow)"/>'
            )
            body.append(side)
        if previous_bottom is not None:
            body.append(
                f'<line x1="{_MAIN // 2}" y1="{previous_bottom}" x2="{_MAIN // 2}" y2="{y - 4}" '
                f'stroke="{colour}" stroke-width="1.5" marker-end="url(#flow-arrow)"/>'
            )
        body.append(main)
        previous_bottom = y + main_h
        y += max(main_h, side_h) + 30
    height = y - 30
    return (
        f'<svg class="flow-svg" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
        f'aria-labelledby="flow-svg-title flow-svg-desc" font-size="{_FONT}" '
        f'font-family="Arimo, Arial, sans-serif" fill="#0b0c0c">'
        f'<title id="flow-svg-title">{esc(FLOW_TITLE)}</title>'
        f'<desc id="flow-svg-desc">{esc(flow_description(rows))}</desc>'
        f'<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        f'markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" '
        f'fill="{colour}"/></marker></defs>' + "".join(body) + "</svg>"
    )

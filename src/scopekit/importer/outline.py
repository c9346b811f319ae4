"""The shape of a briefing: its title block, sections, and the parts scopekit generates.

A DOCX that scopekit built carries parts made from review.yaml and sources.yaml, which must
not come back as prose: the type line and title, the "Key messages" box, the "Search log"
table, the "Other sources" list, the "Produced by …" and "Updated …" lines and the funding
paragraph, and those made from the reporting fields (the "How this review was done" part,
the "Flow of records" table, the evidence table appendix). They are recognised here and
turned back into metadata (or left out, and reported).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from scopekit.importer.model import Block, ImportReport, Inline, Span
from scopekit.importer.searchlog import is_search_log
from scopekit.importer.typednotes import SUPERSCRIPTS
from scopekit.isodates import MONTHS, PartialDate, real_date

_MONTH_YEAR = rf"(?P<month>{'|'.join(MONTHS)})\s+(?P<year>\d{{4}})"
_PRODUCED_BY = re.compile(rf"^produced by\s+(?P<who>.+?)(?:,\s*{_MONTH_YEAR})?\.?$", re.I)
_UPDATED = re.compile(rf"^updated\s+(?:(?P<day>\d{{1,2}})\s+)?{_MONTH_YEAR}\.?$", re.I)
_TEAM = re.compile(  # words that name a team or a body, not a person
    r"\b(?:team|health|department|directorate|services?|unit|intelligence|insight|research"
    r"|collaboration|council|office|partnership|group|programme|division|board|centre|center"
    r"|institute|university|nhs|trust|authority|agency)\b",
    re.I,
)
_AND = re.compile(r",\s*|\s+and\s+")


@dataclass
class WordSection:
    """A top-level section: its heading (None for text before the first one) and blocks."""

    title: str
    heading: Block | None
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Outline:
    """The briefing's metadata and sections, with the generated parts taken out."""

    title: str | None = None
    type_line: str | None = None
    key_messages: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    organisation: str | None = None
    published: PartialDate | None = None
    updated: PartialDate | None = None
    closing: list[Block] = field(default_factory=list)
    top: int = 1
    sections: list[WordSection] = field(default_factory=list)
    other_sources: list[Block] = field(default_factory=list)
    search_log: Block | None = None


def _is_heading(block: Block, text: str) -> bool:
    """Whether the block is a heading saying `text` (any case)."""
    return block.kind == "heading" and block.text.lower() == text


# Section titles a briefing typed in plain paragraphs is read with (no heading styles).
_SECTION_NAMES = frozenset(
    {
        "aims",
        "background",
        "conclusion",
        "conclusions",
        "context",
        "discussion",
        "findings",
        "introduction",
        "key findings",
        "key messages",
        "limitations",
        "method",
        "methodology",
        "methods",
        "next steps",
        "other sources",
        "recommendations",
        "references",
        "results",
        "search log",
        "summary",
    }
)


def outline(blocks: list[Block], report: ImportReport) -> Outline:
    """Split the body into the title block, sections and the generated parts."""
    result = Outline()
    blocks = plain_headings(blocks, report)
    rest = _title_block(blocks, result)
    rest = _reporting_parts(rest, report)
    rest = _produced_by(rest, result, report)
    headings = [b.level for b in rest if b.kind == "heading"]
    result.top = min(headings) if headings else 1
    rest = _key_messages(rest, result)
    rest = _search_log(rest, result, report)
    rest = _other_sources(rest, result, report)
    if result.title is None:
        rest = _title_from_heading(rest, result, report)
    _sections(rest, result, report)
    return result


def plain_headings(blocks: list[Block], report: ImportReport) -> list[Block]:
    """A document with no heading styles (typed in Normal, or converted from plain text): a
    paragraph saying only a usual section title ("Background", "2. Methods:") is a heading,
    as is a short paragraph all in bold, or a line of a few words before a paragraph (under
    such a heading, a level below it); and with no Title style either, a short first
    paragraph that is no sentence is the title."""
    if any(block.kind == "heading" for block in blocks):
        return blocks
    out: list[Block] = []
    top_seen = False
    titled = any(block.kind == "title" for block in blocks)
    for index, block in enumerate(blocks):
        name = block.text.rstrip(":").strip()
        known = _NUMBERED.sub("", name).lower() in _SECTION_NAMES
        first = index == 0 and not titled
        line = top_seen and _title_line(blocks, index)  # a subsection's title, typed plain
        if block.kind == "paragraph" and (known or line or (_all_bold(block) and not first)):
            level = 1 if known or not top_seen else 2
            top_seen = top_seen or level == 1
            block = replace(block, kind="heading", level=level, inlines=_plain_title(block))
            report.add(block.place, f"no heading styles: “{name}” read as a heading")
        out.append(block)
    if titled or not top_seen:
        return out
    if out and _MARKING.match(out[0].text):
        report.add(out[0].place, "a protective marking: not imported (it is no part of the text)")
        out = out[1:]
    candidate = out[0] if out else None
    if (
        candidate is not None
        and candidate.kind == "paragraph"
        and len(candidate.text.split()) <= 25
        and not candidate.text.endswith(".")
    ):
        out[0] = replace(candidate, kind="title")
        report.add(candidate.place, "no Title style: read as the title")
    return out


_NUMBERED = re.compile(r"^\d+(?:\.\d+)*\.?\s+")  # `2. Methods`, `2.1 Methods`
_MARKING = re.compile(  # a protective marking (the UK's classifications)
    r"^(?:OFFICIAL(?:\s*[-–]?\s*SENSITIVE)?|NOT PROTECTIVELY MARKED|PROTECT|RESTRICTED"
    r"|UNCLASSIFIED)$"
)


def _title_line(blocks: list[Block], index: int) -> bool:
    """A line of a few words, no sentence, before a paragraph (or before another such line):
    "Sandwell", "Results from health-focused organisations" typed plain under a section;
    never a note typed as text (`¹⁵As 10`, `[3] …`) nor an address."""
    block = blocks[index]
    text = block.text.strip()
    after = blocks[index + 1] if index + 1 < len(blocks) else None
    if (
        block.kind != "paragraph"
        or after is None
        or after.kind != "paragraph"
        or not 0 < len(text.split()) <= 8
        or text.endswith((".", ",", ";", ":", "!", "?", "…", '"', "”", ")"))
        or not text[:1].isupper()
        or _NOTE_MARK.match(text)
        or any(c in SUPERSCRIPTS for c in text)
        or any(isinstance(i, Span) and i.superscript for i in block.inlines)
        or "http" in text
        or "www." in text
    ):
        return False
    return len(after.text.split()) > len(text.split()) or _title_line(blocks, index + 1)


_NOTE_MARK = re.compile(r"\[\d+\]|\d+[.)\t ]")


def _all_bold(block: Block) -> bool:
    """A short line all in bold, not a sentence: a heading typed as a bold paragraph."""
    spans = [i for i in block.inlines if isinstance(i, Span) and i.text.strip()]
    return (
        bool(spans)
        and all(span.bold for span in spans)
        and len(block.text.split()) <= 10
        and not block.text.rstrip().endswith((".", ","))
    )


def _plain_title(block: Block) -> list[Inline]:
    """A heading's pieces without the bold it was typed in and the colon after it."""
    pieces: list[Inline] = [
        replace(i, bold=False) if isinstance(i, Span) else i for i in block.inlines
    ]
    if pieces and isinstance(pieces[-1], Span):
        pieces[-1] = replace(pieces[-1], text=pieces[-1].text.rstrip().rstrip(":"))
    return pieces


def _title_block(blocks: list[Block], result: Outline) -> list[Block]:
    """Take the Title (and Subtitle, the type line) that come before the first heading."""
    first_heading = next((i for i, b in enumerate(blocks) if b.kind == "heading"), len(blocks))
    rest = []
    for index, block in enumerate(blocks):
        if index < first_heading and block.kind == "title" and result.title is None:
            result.title = block.text
        elif index < first_heading and block.kind == "subtitle" and result.type_line is None:
            result.type_line = block.text
        else:
            rest.append(block)
    return rest


def _produced_by(blocks: list[Block], result: Outline, report: ImportReport) -> list[Block]:
    """Read the last "Produced by NAME, ORGANISATION, Month YYYY." line; the plain paragraphs
    after it are the closing (funding) text."""
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        match = _PRODUCED_BY.match(block.text) if block.kind == "paragraph" else None
        if match is None:
            continue
        parts = [p.strip() for p in match["who"].split(",")]
        if len(parts) > 1:  # names, then the organisation (a team, then its body)
            first = next((i for i, p in enumerate(parts) if i and _TEAM.search(p)), -1)
            first = first if first > 0 else len(parts) - 1
            result.organisation = ", ".join(parts[first:])
            parts = parts[:first]
        result.authors = [n for n in _AND.split(", ".join(parts)) if n]
        if match["month"]:
            result.published = _date(match)
        after = blocks[index + 1 :]
        result.closing = [b for b in after if b.kind == "paragraph"]
        updated = _UPDATED.match(result.closing[0].text) if result.closing else None
        if updated:
            result.updated, result.closing = _date(updated), result.closing[1:]
        report.add(block.place, "read as authors, organisation and dates (review.yaml)")
        return blocks[:index] + [b for b in after if b.kind != "paragraph"]
    return blocks


def _date(match: re.Match[str]) -> PartialDate:
    """The date a match's `day` (if any), `month` and `year` groups name."""
    year = int(match["year"])
    month = next(i for i, m in enumerate(MONTHS, 1) if m.lower() == match["month"].lower())
    day = match.groupdict().get("day")
    if day and real_date(int(day), month, year):
        return PartialDate(year, month, int(day))
    return PartialDate(year, month)


def _key_messages(blocks: list[Block], result: Outline) -> list[Block]:
    """The "Key messages" heading first in the body, and the list items after it."""
    if not blocks or not _is_heading(blocks[0], "key messages"):
        return blocks
    index = 1
    while index < len(blocks) and blocks[index].kind == "item":
        result.key_messages.append(blocks[index].text)
        index += 1
    return blocks[index:]


_REPORTING_PARTS = {
    "how this review was done": "review.yaml's eligibility, shortcuts and limitations",
    "flow of records": "review.yaml's screening: counts",
    "appendix: evidence table": "the charting: cells of sources.yaml",
}


def _reporting_parts(blocks: list[Block], report: ImportReport) -> list[Block]:
    """Drop the parts scopekit makes from the reporting fields: a heading of
    `_REPORTING_PARTS` and what belongs to it (lower headings, bullets, a table, and the
    counts written under the evidence table), up to the next heading of its level."""
    kept: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        made_from = _REPORTING_PARTS.get(block.text.lower()) if block.kind == "heading" else None
        if made_from is None:
            kept.append(block)
            index += 1
            continue
        end = index + 1
        while end < len(blocks) and not (
            blocks[end].kind == "heading" and blocks[end].level <= block.level
        ):
            if blocks[end].kind == "paragraph" and not block.text.lower().startswith("appendix"):
                break  # the author's own text after the box or the diagram
            end += 1
        report.add(block.place, f"“{block.text}” not imported: scopekit builds it from {made_from}")
        index = end
    return kept


def _search_log(blocks: list[Block], result: Outline, report: ImportReport) -> list[Block]:
    """Take the "Search log" heading and the table after it out of the text: scopekit makes
    them from searches.yaml. A table with scopekit's columns is read back into it."""
    for index, block in enumerate(blocks[:-1]):
        table = blocks[index + 1]
        if _is_heading(block, "search log") and table.kind == "table":
            rows = len(table.rows) - 1
            if is_search_log(table):
                result.search_log = table
                report.add(block.place, f"Search log table ({rows} searches) read as searches")
            else:
                report.add(
                    block.place,
                    f"Search log table ({rows} searches) not imported: its columns are not "
                    "scopekit's (Where, Query, … Results); record them in searches.yaml",
                )
            return blocks[:index] + blocks[index + 2 :]
    return blocks


def _other_sources(blocks: list[Block], result: Outline, report: ImportReport) -> list[Block]:
    """The "Other sources" list scopekit writes after the text: read as sources."""
    for index, block in enumerate(blocks):
        if _is_heading(block, "other sources"):
            end = index + 1
            while end < len(blocks) and blocks[end].kind == "item":
                end += 1
            if end > index + 1:
                result.other_sources = blocks[index + 1 : end]
                report.add(
                    block.place,
                    f"the Other sources list ({end - index - 1} items) read as sources; "
                    "the text links to those without a URL nowhere, so check reports them unused",
                )
                return blocks[:index] + blocks[end:]
    return blocks


def _title_from_heading(blocks: list[Block], result: Outline, report: ImportReport) -> list[Block]:
    """No Title style: the first heading is the title (and, if text follows it, a section)."""
    first = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
    if first is None:
        return blocks
    heading = blocks[first]
    if _NUMBERED.sub("", heading.text.rstrip(":")).lower() in _SECTION_NAMES:
        report.add(heading.place, "no Title style and no title before it: the title is a TODO")
        return blocks  # "Background" is a section, not the review's title
    result.title = heading.text
    following = blocks[first + 1] if first + 1 < len(blocks) else None
    alone = following is None or (following.kind == "heading" and following.level <= heading.level)
    report.add(heading.place, "no Title style in the document: this heading is the title")
    return blocks[:first] + blocks[first + 1 :] if alone else blocks


def _sections(blocks: list[Block], result: Outline, report: ImportReport) -> None:
    for block in blocks:
        if block.kind == "heading" and block.level <= result.top:
            result.sections.append(WordSection(block.text, block))
            continue
        if not result.sections:
            result.sections.append(WordSection("Introduction", None))
            report.add(
                block.place,
                "text before the first heading: put in a section headed “Introduction”",
            )
        result.sections[-1].blocks.append(block)
    if not result.sections:
        result.sections.append(WordSection("Background", None))
        report.add("the document", "no text to import: an empty section “Background” made")

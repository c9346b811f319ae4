"""Wording: section headings, date typos, ranges that disagree with the search log, vague link
text, raw HTML and TODOs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from scopekit.checks.registry import Context, rule
from scopekit.isodates import real_date
from scopekit.linktext import vague
from scopekit.problems import Problem, warning
from scopekit.review.markdown import strip_comments
from scopekit.review.model import REVIEW_FILE, SEARCHES_FILE, SOURCES_FILE
from scopekit.review.yaml_reader import YamlList, YamlMap

_DMY = re.compile(r"(?<![\d./])(\d{1,2})([/.])(\d{1,2})\2(\d+)(?![\d/]|\.\d)")
_D = r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"
_RANGE = re.compile(rf"(?<![\d./]){_D}\s*[-–]\s*{_D}(?![\d/])")
_TODO = re.compile(r"\bTODO\b")


@rule
def missing_headings(ctx: Context) -> Iterator[Problem]:
    """A section file with no `#` heading: the briefing would show its text untitled."""
    for section in ctx.review.sections:
        if section.markdown.title is None:
            yield warning(
                "missing-heading",
                section.file,
                1,
                f"{section.file} has no '#' heading: the briefing shows its text with no "
                "section title",
                f"add '# {section.title}' as its first line",
            )


@rule
def date_typos(ctx: Context) -> Iterator[Problem]:
    """A D/M/Y date in prose whose year is not 4 digits, or that is not a real date."""
    for section in ctx.review.texts:
        for text in section.markdown.texts:
            for match in _DMY.finditer(text.text):
                day, month, year = int(match[1]), int(match[3]), match[4]
                if match[2] == "." and len(year) == 1:
                    continue  # 3.2.1 is a version number, not a date
                if len(year) != 4:
                    why = f"its year has {len(year)} digit{'' if len(year) == 1 else 's'}"
                elif not real_date(day, month, int(year)):
                    why = "it is not a real date"
                else:
                    continue
                yield warning(
                    "date-typo-in-prose",
                    section.file,
                    text.line,
                    f"'{match[0]}' looks like a typo: {why}",
                    "write dates as DD/MM/YYYY with a four-digit year",
                )


@rule
def prose_search_ranges(ctx: Context) -> Iterator[Problem]:
    """A D/M/Y – D/M/Y range in Methods that matches no search's from–to (not said while a
    search's dates cannot be read: the invalid-date error comes first)."""
    if any(
        search.raw.get(name) not in (None, "") and getattr(search, attribute) is None
        for search in ctx.review.searches
        for name, attribute in (("from", "date_from"), ("to", "date_to"))
    ):
        return
    ranges = {
        (s.date_from.first_day, s.date_to.first_day)
        for s in ctx.review.searches
        if s.date_from and s.date_to and s.date_from.day and s.date_to.day
    }
    for section in ctx.review.sections:
        if not section.is_methods:
            continue
        for text in section.markdown.texts:
            for match in _RANGE.finditer(text.text):
                d1, m1, y1, d2, m2, y2 = map(int, match.groups())
                if not (real_date(d1, m1, y1) and real_date(d2, m2, y2)):
                    continue
                if (date(y1, m1, d1), date(y2, m2, d2)) not in ranges:
                    yield warning(
                        "prose-search-mismatch",
                        section.file,
                        text.line,
                        f"the range {match[0]} matches no search in {SEARCHES_FILE}",
                        "record the search with these 'from' and 'to' dates in searches.yaml, "
                        "or correct the dates in the text",
                    )


@rule
def link_texts(ctx: Context) -> Iterator[Problem]:
    """Link text that says nothing of where it goes."""
    for section in ctx.review.texts:
        for link in section.markdown.links:
            if not link.autolink and vague(link.text):
                yield warning(
                    "vague-link-text",
                    section.file,
                    link.line,
                    f"link text '{link.text}' does not say where it goes",
                    "make the link text name the page it opens, "
                    "e.g. [Social value policy](@key) rather than [here](@key)",
                )


@rule
def unread_markdown(ctx: Context) -> Iterator[Problem]:
    """Pandoc habits scopekit does not read: YAML front matter in a section file, and an
    image path with a bare space, a grid table and bullets pasted from Word as "•" lines (not
    read: they would print as typed)."""
    for section in ctx.review.texts:
        habits = section.markdown.habits
        if habits.front_matter is not None:
            yield warning(
                "unread-markdown",
                section.file,
                habits.front_matter,
                "YAML front matter ('---' block) is not read: the briefing leaves it out",
                "remove it: the section's title is its '# ' heading, and the briefing's "
                f"title, authors and date are in {REVIEW_FILE}",
            )
        for path, line in habits.spaced_images:
            yield warning(
                "unread-markdown",
                section.file,
                line,
                f"image path '{path}' has a space: it is not read as an image and would "
                "print as typed",
                f"write the path in angle brackets: ![alt](<{path}>), or rename the file",
            )
        for address, line in habits.spaced_links:
            yield warning(
                "unread-markdown",
                section.file,
                line,
                f"link address '{address}' has a space: it is not read as a link and would "
                "print as typed",
                "write each space as %20, or the address in angle brackets: [text](<address>)",
            )
        for line in habits.grid_tables:
            yield warning(
                "unread-markdown",
                section.file,
                line,
                "grid table ('+---+' borders) is not read: it would print as typed",
                "write it as a pipe table: '| Where | Notes |', then '|---|---|', then one "
                "line per row, each cell's text on that line",
            )
        for bullet, line in habits.pasted_bullets:
            yield warning(
                "unread-markdown",
                section.file,
                line,
                f"a line starting '{bullet}' is not a list item: the lines run together as one "
                "paragraph",
                f"start each list item with '- ' (a hyphen and a space) instead of '{bullet}'",
            )


@rule
def raw_html(ctx: Context) -> Iterator[Problem]:
    """Raw HTML in Markdown, which is shown as text."""
    for section in ctx.review.texts:
        for html in section.markdown.raw_html:
            if "<!--" in strip_comments(html.text):
                yield warning(
                    "raw-html",
                    section.file,
                    html.line,
                    f"unclosed comment {html.text[:40]!r}: it and the text after it will be "
                    "shown as raw text",
                    "end the comment with -->",
                )
                continue
            yield warning(
                "raw-html",
                section.file,
                html.line,
                f"raw HTML {html.text[:40]!r} will be shown as text",
                "use Markdown instead (**bold**, lists, tables); comments <!-- --> are fine",
            )


def _yaml_values(data: object, line: int | None) -> Iterator[tuple[str, int | None]]:
    """Every text value in a YAML tree, with its line."""
    stack = [(data, line)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, YamlMap):
            stack.extend((v, value.lines.get(k, at)) for k, v in value.items())
        elif isinstance(value, YamlList):
            stack.extend(zip(value, value.lines))
        elif isinstance(value, str):
            yield value, at


@rule
def todos(ctx: Context) -> Iterator[Problem]:
    """TODO left in prose or in YAML values."""
    hint = "fill in what the TODO asks for, then delete the marker"
    for section in ctx.review.sections:
        for text in section.markdown.texts:
            if _TODO.search(text.text):
                yield warning("todo", section.file, text.line, "TODO left in the text", hint)
    entries = [(REVIEW_FILE, REVIEW_FILE, ctx.review.meta.raw, None)]
    for file, what, records in (
        (SEARCHES_FILE, "search", ctx.review.searches),
        (SOURCES_FILE, "source", ctx.review.sources),
    ):
        entries += [
            (file, f"{what} '{r.id}'" if r.id else f"a {what}", r.raw, r.line) for r in records
        ]
    for file, where, data, start in entries:
        for value, line in _yaml_values(data, start):
            if _TODO.search(value):
                message = f"TODO left in {where}: {value[:60]!r}"
                yield warning("todo", file, line, message, hint)

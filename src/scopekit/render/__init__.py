"""Renderers: one per output format, all working from one `Document`.

`Document` holds everything a briefing shows, computed once from the review and its notes;
each renderer only decides how it looks in its format.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from scopekit.images import IMAGE_TYPES
from scopekit.links.versions import Version, version_of
from scopekit.notes import Notes, Run, build_notes
from scopekit.paths import inside, is_file, local_file
from scopekit.review import Review, Search, Section, Source
from scopekit.theme import Theme, review_theme
from scopekit.urls import normalise

if TYPE_CHECKING:
    from pathlib import Path

    from markdown_it.token import Token


def outline_level(wanted: int, last: int, deepest: int) -> int:
    """The level a heading is shown at: as written, but never more than one below the
    heading before it (`last`, 0 at the start of a section file), nor below `deepest`."""
    return max(1, min(wanted, last + 1, deepest))


@dataclass(frozen=True)
class SearchRow:
    """One row of the Search log table, as text."""

    where: str
    query: str
    dates: str
    run: str
    results: str


@dataclass
class Document:
    """A briefing ready to render: metadata, sections, search log, notes and closing lines."""

    review: Review
    notes: Notes
    theme: Theme
    earlier: dict | None = None  # an earlier DOCX's build record: its changes are tracked

    def __post_init__(self) -> None:
        self.sources: dict[str, Source] = self.review.source_index()
        self.captions = number_captions(self.review.texts)
        self.targets = crossref_targets(self.review.texts, self.captions)
        self.versions: dict[str, Version] = {}
        for source in self.sources.values():
            version = version_of(source)
            if version is not None and source.url:
                self.versions.setdefault(normalise(source.url), version)

    def version(self, href: str) -> Version | None:
        """The archived copy of the source whose page `href` is, if it records one."""
        return self.versions.get(normalise(href)) if self.versions else None

    def caption_label(self, file: str, token: Token) -> str:
        """The label of a figure's or table's caption (`figcaption_open`, `caption_open`):
        "Figure 2", "Table 1", numbered through the briefing in reading order."""
        return self.captions.get((file, token.meta.get("caption")), "")

    def crossref(self, key: str) -> str | None:
        """What a Quarto cross-reference `@fig-x`, `@tbl-x`, `@sec-x` shows: "Figure 1",
        "Table 2", the section's title; None when nothing has that id (check warns)."""
        return self.targets.get(key)

    def link_target(self, href: str) -> str:
        """Where a link in the text goes (`@key`: its source's URL, "" when it has none)."""
        return self.review.link_target(href, self.sources)

    def image_file(self, src: str) -> Path | None:
        """The image file `src` names, if it is an image inside the review folder."""
        path = inside(self.review.root, local_file(src))
        if path is None or path.suffix.lower() not in IMAGE_TYPES or not is_file(path):
            return None
        return path

    @property
    def title(self) -> str:
        """The briefing's title (the review question)."""
        return self.review.meta.title or "Untitled review"

    @property
    def short_title(self) -> str:
        """The running header."""
        return self.review.meta.short_title or self.title

    @property
    def type_line(self) -> str:
        """The line above the title."""
        return self.review.meta.type

    @property
    def language(self) -> str:
        """The language tag of the text."""
        return self.review.meta.language

    @property
    def sections(self) -> list[Section]:
        """The sections in reading order."""
        return self.review.sections

    @property
    def search_log_after(self) -> int | None:
        """Index of the section the Search log follows (Methods, else the last), or None."""
        if not self.review.searches:
            return None
        for index, section in enumerate(self.sections):
            if section.is_methods:
                return index
        return len(self.sections) - 1 if self.sections else None

    @property
    def search_rows(self) -> list[SearchRow]:
        """The search log as table rows."""
        return [search_row(search) for search in self.review.searches]

    @property
    def other_sources(self) -> list[tuple[str, tuple[Run, ...]]]:
        """Sources only linked in the text, with their reference text."""
        return [(key, self.notes.references[key]) for key in self.notes.other_sources]

    @property
    def authors(self) -> list[str]:
        """Author names."""
        return [a.name for a in self.review.meta.authors if a.name]

    @property
    def published(self) -> str:
        """Publication month as words (`June 2024`)."""
        published = self.review.meta.published
        return published.month_year() if published else ""

    @property
    def moment(self) -> datetime:
        """The build moment a format stamps its dates with (UTC): SOURCE_DATE_EPOCH when it
        is set to whole seconds since 1970, as reproducible builds define it, else midnight
        on the first day of `published`, else 1 January 2000. Equal input, equal bytes."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
        if epoch.isdigit():
            try:
                return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
            except (OverflowError, OSError, ValueError):
                pass  # beyond the dates Python can hold: the published date instead
        published = self.review.meta.published
        day = published.first_day if published else datetime(2000, 1, 1).date()
        return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)

    @property
    def produced_by(self) -> str:
        """`Produced by NAME, ORGANISATION, Month YYYY.`"""
        names = self.authors
        who = (
            names[0]
            if len(names) == 1
            else ", ".join(names[:-1]) + " and " + names[-1]
            if names
            else ""
        )
        parts = [p for p in (who, self.review.meta.organisation, self.published) if p]
        return f"Produced by {', '.join(parts)}." if parts else ""

    @property
    def updated(self) -> str:
        """`Updated 25 November 2026.` for a revised briefing, else empty."""
        updated = self.review.meta.updated
        if not updated:
            return ""
        day = f"{updated.day} " if updated.day else ""
        return f"Updated {day}{updated.month_year()}."

    @property
    def funding(self) -> str:
        """Funding and disclaimer: review.yaml's `funding` (`""` for none), else the house
        style's."""
        if self.review.meta.raw.get("funding") == "":
            return ""
        return self.review.meta.funding or self.theme.funding

    @property
    def subject(self) -> str:
        """A one-line description (PDF subject, HTML description): the questions."""
        questions = self.review.meta.questions
        return f"{self.type_line}: {' '.join(questions)}" if questions else self.type_line


def number_captions(texts: list[Section]) -> dict[tuple[str, tuple[str, int]], str]:
    """Each caption's label by (file, its `meta["caption"]`): figures and tables numbered
    apart, 1, 2, 3 … through the texts in reading order."""
    counts = {"figure": 0, "table": 0}
    labels = {}
    for section in texts:
        for token in section.markdown.tokens:
            found = token.meta.get("caption") if token.meta else None
            if found is not None:
                counts[found[0]] += 1
                labels[(section.file, found)] = f"{found[0].title()} {counts[found[0]]}"
    return labels


def crossref_targets(texts: list[Section], captions: dict) -> dict[str, str]:
    """Each id given to a heading, figure or table (`{#sec-x}`, `{#fig-x}`, `{#tbl-x}`) and
    what a cross-reference to it shows; the first of two equal ids wins."""
    targets: dict[str, str] = {}
    for section in texts:
        habits = section.markdown.habits
        for key, title in habits.sections.items():
            targets.setdefault(key, title)
        for key, caption in habits.captions.items():
            if (section.file, caption) in captions:
                targets.setdefault(key, captions[(section.file, caption)])
    return targets


def search_row(search: Search) -> SearchRow:
    """A search as table text: DD/MM/YYYY dates, `~17,300` results."""
    dates = " – ".join(d.uk() for d in (search.date_from, search.date_to) if d)
    if search.date_from and not search.date_to:
        dates = f"from {search.date_from.uk()}"
    elif search.date_to and not search.date_from:
        dates = f"to {search.date_to.uk()}"
    results = ""
    if search.results is not None:
        results = ("~" if search.approximate else "") + f"{search.results:,}"
    return SearchRow(
        where=search.where or "",
        query=search.query or "",
        dates=dates,
        run=search.run.uk() if search.run else "",
        results=results,
    )


def build_document(review: Review, save_cache: bool = True, theme: Theme | None = None) -> Document:
    """Cite and theme a loaded review: the one Document every renderer uses (`theme`: its
    house style, if already loaded).

    `save_cache=False` writes nothing into the review folder (see `build_notes`)."""
    theme = theme or review_theme(review)
    notes = build_notes(review, save_cache, theme.archived_copy)
    return Document(review=review, notes=notes, theme=theme)

"""The review as typed objects. Every entry keeps its file and line; `raw` keeps the YAML.

Loading is lenient: a value of the wrong kind becomes None here and a problem in `check`,
so that one run can report everything that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from scopekit.dates import DateError, PartialDate, parse_iso
from scopekit.markdown import ParsedMarkdown
from scopekit.yamlfile import YamlList, YamlMap

REVIEW_FILE = "review.yaml"
SEARCHES_FILE = "searches.yaml"
SOURCES_FILE = "sources.yaml"


def text_or_none(value: object) -> str | None:
    """A scalar as text (numbers too), or None for missing values, lists and mappings."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def date_or_none(value: object) -> PartialDate | None:
    """A valid ISO date, or None when missing or invalid (`check` reports invalid ones)."""
    try:
        return parse_iso(value) if value is not None else None
    except DateError:
        return None


@dataclass
class Author:
    """An author of the review."""

    name: str | None
    affiliation: str | None
    line: int | None
    raw: YamlMap = field(default_factory=YamlMap)


@dataclass
class SectionRef:
    """One entry of review.yaml's `sections` list."""

    path: str
    line: int | None


@dataclass
class Metadata:
    """review.yaml: what the briefing is, who wrote it, when, and in what order."""

    raw: YamlMap
    title: str | None
    short_title: str | None
    type: str | None
    questions: list[str]
    authors: list[Author]
    organisation: str | None
    commissioned_by: str | None
    published: PartialDate | None
    updated: PartialDate | None
    key_messages: list[str]
    funding: str | None
    house_style: str
    citation_style: str
    language: str
    sections: list[SectionRef]

    def line_of(self, key: str) -> int | None:
        """The line of a top-level key of review.yaml (None when absent)."""
        return self.raw.lines.get(key)

    @property
    def access_bound(self) -> PartialDate | None:
        """The latest allowed access date: `updated` when present, else `published`."""
        return self.updated or self.published


@dataclass
class Section:
    """A Markdown section file, parsed."""

    file: str
    path: Path
    text: str
    markdown: ParsedMarkdown

    @property
    def title(self) -> str:
        """The first `#` heading, or a title made from the file name."""
        return self.markdown.title or Path(self.file).stem.replace("-", " ").capitalize()

    @property
    def is_methods(self) -> bool:
        """Whether this is the Methods section (its heading or file name says so)."""
        return self.title.lower().startswith("method") or Path(self.file).stem.lower() == "methods"


@dataclass
class Search:
    """One entry of searches.yaml."""

    raw: YamlMap
    line: int | None
    id: str | None
    where: str | None
    query: str | None
    date_from: PartialDate | None
    date_to: PartialDate | None
    run: PartialDate | None
    results: int | None
    approximate: bool
    notes: str | None


@dataclass
class Source:
    """One CSL item of sources.yaml."""

    raw: YamlMap
    line: int | None
    id: str
    type: str | None
    title: str | None
    url: str | None
    accessed: PartialDate | None

    def line_of(self, key: str) -> int | None:
        """The line of one of the source's fields, else of the entry."""
        return self.raw.lines.get(key, self.line)


@dataclass
class Review:
    """A whole review folder, loaded."""

    root: Path
    meta: Metadata
    sections: list[Section]
    searches: list[Search]
    sources: list[Source]
    searches_raw: YamlList = field(default_factory=YamlList)
    sources_raw: YamlList = field(default_factory=YamlList)

    @property
    def name(self) -> str:
        """The folder name, used for output file names."""
        return self.root.resolve().name

    def source_index(self) -> dict[str, Source]:
        """Sources by id (the first of duplicates wins)."""
        index: dict[str, Source] = {}
        for source in self.sources:
            index.setdefault(source.id, source)
        return index

    def link_target(self, href: str, sources: dict[str, Source] | None = None) -> str:
        """Where a Markdown link goes: `@key` is its source's URL ("" when there is none);
        any other target as written. `sources` saves building the index per link."""
        if not href.startswith("@"):
            return href
        source = (self.source_index() if sources is None else sources).get(href[1:])
        return source.url or "" if source else ""

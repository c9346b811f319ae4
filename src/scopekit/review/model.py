"""The review as typed objects, and the table of its fields. Every entry keeps its file and
line; `raw` keeps the YAML.

The records below are the one place a field of review.yaml, an author, searches.yaml or
sources.yaml is declared: name, kind, default and help (the kinds are in
`review/fields.py`). Loading is lenient: a value of the wrong kind becomes the default here
and a problem in `check`, so that one run can report everything that is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from scopekit.isodates import PartialDate
from scopekit.review.fields import (
    Choice,
    Count,
    Date,
    Entries,
    Files,
    Flag,
    Integer,
    Key,
    Language,
    Record,
    Text,
    TextList,
    Url,
    date_or_none,
    text_or_none,
)
from scopekit.review.mappings import Cells, Group, Tally
from scopekit.review.yaml_reader import YamlList
from scopekit.schema import CSL_VARIABLES

if TYPE_CHECKING:
    from scopekit.review.markdown import ParsedMarkdown

__all__ = ["date_or_none", "text_or_none"]  # kept here for the modules that import them here

REVIEW_FILE = "review.yaml"
SEARCHES_FILE = "searches.yaml"
SOURCES_FILE = "sources.yaml"

#: What a search in searches.yaml can be (`kind`), as PRISMA-S counts them.
SEARCH_KINDS = ("database", "website", "search-engine", "registry", "citation", "contact", "other")

#: The format version this scopekit reads and writes.
FORMAT = 1


class Author(Record):
    """An author of the review: a mapping of these fields, or just a name."""

    name = Text("The author's name as it should be printed.", required=True)
    affiliation = Text("The author's organisation.")
    email = Text("A contact address (never printed).")
    orcid = Text("The author's ORCID iD.")


class Eligibility(Record):
    """review.yaml `eligibility`: what a source had to be to be included."""

    include = TextList("What a source had to be or cover to be included.")
    exclude = TextList("What excluded a source.")
    language = Text("The languages accepted, e.g. 'English only'.")
    rationale = Text("Why these criteria and dates were chosen.")


class Counts(Record):
    """review.yaml `screening: counts`: the numbers of the flow diagram."""

    identified = Integer("Records identified in all (default: the searches' results added).")
    duplicates = Integer("Duplicate records removed before screening.")
    screened = Integer("Records screened (titles, snippets or pages).")
    excluded = Integer("Records excluded at screening.")
    assessed = Integer("Documents or pages read in full to decide.")
    reasons = Tally("Documents excluded after reading, by reason: one 'reason: number' each.")
    included = Integer("Sources included (default: the number of sources cited).")


class Screening(Record):
    """review.yaml `screening`: who selected the sources, how it was checked, the counts."""

    reviewers = Text("Who screened and selected sources, e.g. 'One reviewer (JB)'.")
    verification = Text("How a second person checked the selection, or 'none'.")
    counts = Group(Counts, "The flow diagram's numbers, from records identified to included.")


class Charting(Record):
    """review.yaml `charting`: how data were charted, and the evidence table's columns."""

    process = Text("How data were charted: by whom, on what form, checked how.")
    columns = TextList("The evidence table's columns, filled by each source's 'charting:'.")


@dataclass
class SectionRef:
    """One entry of review.yaml's `sections` list."""

    path: str
    line: int | None


class Metadata(Record):
    """review.yaml: what the briefing is, who wrote it, when, and in what order."""

    format = Integer("The format version; 1.")
    title = Text("The review question or title, shown as the briefing's title.", required=True)
    short_title = Text("Running header in PDF and DOCX (default: the title).")
    type = Text(
        "The type line above the title, e.g. 'Rapid scoping review'.",
        default="Rapid scoping review",
    )
    questions = TextList("The review questions, in order.")
    authors = Entries(
        Author,
        "authors",
        "Who wrote the review: name and affiliation.",
        text="name",
        required=True,
    )
    organisation = Text("The organisation named in the 'Produced by' line.")
    commissioned_by = Text("The team the review was written for.")
    published = Date("Publication date, YYYY-MM or YYYY-MM-DD.", required=True)
    updated = Date("Date of a later revision; bounds the access dates.")
    key_messages = TextList("Bullets for the key-messages box.")
    funding = Text("Funding and disclaimer text (default: the house style's).")
    house_style = Text("A folder under templates/, or a path to one.", default="coventry-hdrc")
    citation_style = Text(
        "A CSL file name under templates/csl/, or a path to a .csl.", default="coventry-hdrc"
    )
    language = Language("The language tag of the text, e.g. en-GB.", default="en-GB")
    sections = Files(SectionRef, "The Markdown section files, in reading order.", required=True)
    # How the review was done, for its reporting standards (`check --reporting`).
    protocol = Text("Where the protocol is (an address or a citation), or 'none'.")
    eligibility = Group(Eligibility, "What sources were included and excluded, and why.")
    screening = Group(Screening, "Who selected the sources, how it was checked, the counts.")
    charting = Group(
        Charting, "How data were charted, and the evidence table's columns.", text="process"
    )
    appraisal = Text("Whether and how the sources were critically appraised, or 'none'.")
    shortcuts = TextList("Each step a systematic review would take that this one shortened.")
    limitations = TextList("The limitations of the review and of the evidence it found.")
    peer_review = Text("Who reviewed the briefing before publication, or 'none'.")
    stakeholders = Text("How the people who asked for the review shaped it, or 'none'.")
    acknowledgements = Text("Who helped and is not an author.")

    @property
    def access_bound(self) -> PartialDate | None:
        """The latest allowed access date: `updated` when present, else `published`."""
        return self.updated or self.published


@dataclass
class Section:
    """A Markdown section file, parsed; or the key messages of review.yaml, read as Markdown
    (file `review.yaml`, each message at its line, as a bulleted list)."""

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


class Search(Record):
    """One entry of searches.yaml."""

    id = Text("A short name for the search.")
    kind = Choice("What was searched.", SEARCH_KINDS)
    where = Text("The engine or website searched.")
    platform = Text("The interface a database was searched on, e.g. 'Ovid'.")
    query = Text("The search terms exactly as typed.")
    date_from = Date("Start of the date filter.", name="from")
    date_to = Date("End of the date filter.", name="to")
    run = Date("When the search was run.")
    limits = Text("Filters applied besides the dates: language, domain, type.")
    results = Count("How many hits the search reported.", approximate="approximate")
    approximate = Flag("The results count is approximate ('~17,300').")
    notes = Text("What was done with the results.")


class Source(Record):
    """One CSL item of sources.yaml: scopekit's fields below, and any CSL variable (in `raw`,
    see `scopekit.schema`)."""

    id = Key("The key used to cite the source: [@id].")
    type = Text("The CSL item type: webpage, report, article-journal, video…", required=True)
    title = Text("The title of the page or document.", required=True)
    url = Url("The address, an absolute http(s) URL.", name="URL")
    accessed = Date("When the URL was last seen to work, YYYY-MM-DD.")
    archived = Url("An archived copy of the page (e.g. the Wayback Machine).")
    remark = Text("A note for the review team; never printed.")
    charting = Cells("The source's row of the evidence table: one 'column: text' per column.")


def source_field(key: str) -> str:
    """The source field `key` is read as: `key` itself when it is known, else the CSL
    variable or scopekit field it differs from only by case (`url` is `URL`, `Doi` is `DOI`:
    reference managers write both), else `key` (an unknown field)."""
    return _source_fields().get(key.lower(), key)


def source_key(entry: Mapping[str, object], name: str) -> str:
    """The key an entry of sources.yaml holds the field `name` under, as written (`url` for
    `URL`), or `name` when it has none."""
    if name in entry:
        return name
    return next((key for key in entry if source_field(key) == name), name)


@cache
def _source_fields() -> dict[str, str]:
    """Every known source field (CSL variables and scopekit's own), by its lower case."""
    return {name.lower(): name for name in sorted({*CSL_VARIABLES, *Source.names()})}


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
    key_messages: Section | None = None

    @property
    def texts(self) -> list[Section]:
        """Everything written in Markdown, in reading order: the key messages, then the
        sections. Citations, notes and links are found, numbered and checked in all of it."""
        return ([self.key_messages] if self.key_messages else []) + self.sections

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

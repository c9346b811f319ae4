"""The fields of format v1, as typed, documented specifications.

Checks use these to find missing and unknown fields; the docs and `scopekit new` use them
to describe the format. One place says what a review may contain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """One field of a review file: its name, the kind of value, and what it is for."""

    name: str
    kind: str
    help: str
    required: bool = False


REVIEW_FIELDS: tuple[Field, ...] = (
    Field("format", "integer", "The format version; 1."),
    Field("title", "text", "The review question or title, shown as the briefing's title.", True),
    Field("short_title", "text", "Running header in PDF and DOCX (default: the title)."),
    Field("type", "text", "The type line above the title, e.g. 'Rapid scoping review'."),
    Field("questions", "list of text", "The review questions, in order."),
    Field("authors", "list of authors", "Who wrote the review: name and affiliation.", True),
    Field("organisation", "text", "The organisation named in the 'Produced by' line."),
    Field("commissioned_by", "text", "The team the review was written for."),
    Field("published", "date", "Publication date, YYYY-MM or YYYY-MM-DD.", True),
    Field("updated", "date", "Date of a later revision; bounds the access dates."),
    Field("key_messages", "list of text", "Bullets for the key-messages box."),
    Field("funding", "text", "Funding and disclaimer text (default: the house style's)."),
    Field("house_style", "text", "A folder under templates/, or a path to one."),
    Field("citation_style", "text", "A CSL file name under templates/csl/, or a path to a .csl."),
    Field("language", "text", "The language tag of the text, e.g. en-GB."),
    Field("sections", "list of files", "The Markdown section files, in reading order.", True),
)

AUTHOR_FIELDS: tuple[Field, ...] = (
    Field("name", "text", "The author's name as it should be printed.", True),
    Field("affiliation", "text", "The author's organisation."),
    Field("email", "text", "A contact address (never printed)."),
    Field("orcid", "text", "The author's ORCID iD."),
)

SEARCH_FIELDS: tuple[Field, ...] = (
    Field("id", "text", "A short name for the search."),
    Field("where", "text", "The engine or website searched."),
    Field("query", "text", "The search terms exactly as typed."),
    Field("from", "date", "Start of the date filter."),
    Field("to", "date", "End of the date filter."),
    Field("run", "date", "When the search was run."),
    Field("results", "integer", "How many hits the search reported."),
    Field("approximate", "boolean", "The results count is approximate ('~17,300')."),
    Field("notes", "text", "What was done with the results."),
)

#: Fields scopekit adds to CSL items; every CSL variable is allowed too.
SOURCE_FIELDS: tuple[Field, ...] = (
    Field("id", "text", "The key used to cite the source: [@id].", True),
    Field("type", "text", "The CSL item type: webpage, report, article-journal, video…", True),
    Field("title", "text", "The title of the page or document.", True),
    Field("URL", "url", "The address, an absolute http(s) URL."),
    Field("accessed", "date", "When the URL was last seen to work, YYYY-MM-DD."),
    Field("archived", "url", "An archived copy of the page (e.g. the Wayback Machine)."),
    Field("remark", "text", "A note for the review team; never printed."),
)

#: Web item types that need a URL (a missing one is a placeholder, `missing-url`).
WEB_TYPES = frozenset({"webpage", "post", "post-weblog", "video"})

#: CSL 1.0.2 variables (standard, number, date and name variables), all valid source fields.
CSL_VARIABLES = frozenset(
    """
    abstract annote archive archive_collection archive_location archive-place authority
    call-number chapter-number citation-key citation-label citation-number collection-number
    collection-title container-title container-title-short dimensions division DOI edition
    event event-title event-place first-reference-note-number genre ISBN ISSN issue
    jurisdiction keyword language license locator medium note number number-of-pages
    number-of-volumes original-publisher original-publisher-place original-title page
    page-first part-number part-title PMCID PMID printing-number publisher publisher-place
    references reviewed-genre reviewed-title scale section source status supplement-number
    title title-short URL version volume volume-title volume-title-short year-suffix
    accessed available-date event-date issued original-date submitted
    author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director editor-translator executive-producer guest host
    illustrator interviewer narrator organizer original-author performer producer recipient
    reviewed-author script-writer series-creator translator
    id type categories custom shortTitle journalAbbreviation
    """.split()
)

CSL_DATE_VARIABLES = (
    "accessed",
    "issued",
    "available-date",
    "event-date",
    "original-date",
    "submitted",
)


def names(fields: tuple[Field, ...]) -> list[str]:
    """The names of a field table, in order."""
    return [field.name for field in fields]

"""`scopekit new`: start a review folder that passes `check` at once, its TODOs shown as warnings.

With `from_review`, the new review reuses an earlier one's house style, authors, organisation
and searches (dates and results cleared, so the update search is recorded afresh), never its
text or sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from scopekit.folder_writer import refuse_non_empty, write_folder
from scopekit.isodates import MONTHS
from scopekit.review import Review, load_review, yamltext
from scopekit.review.model import Metadata
from scopekit.review.yamltext import Entry, Todo

SECTION_FILES = ("background.md", "methods.md", "findings.md")

BACKGROUND = """\
# Background

<!--
Why the review was asked for, by whom, and the questions it answers.
Cite a source where the text relies on it: [@source-id] after the punctuation, as in
"...environmental benefits.[@gov-social-value-act]". Several at once: [@one; @two].
Link text to a source's page (no footnote): [Social value toolkit](@lga-toolkit).
The source ids are the `id:` values in sources.yaml.
-->

TODO: say why this review was asked for and what it sets out to find.

It was decided that a rapid scoping review should be conducted to find relevant literature on:

- TODO: the first review question
"""

METHODS = """\
# Methods

<!--
Which searches were run, where, over which dates, and how many results each gave. Record
each search in searches.yaml too: the Search log table is made from it, and `check`
compares date ranges written here (DD/MM/YYYY – DD/MM/YYYY) with the search log.
-->

TODO: describe the searches: where, which terms, which dates, how the results were screened.
"""

FINDINGS = """\
# Findings

<!--
What the searches found, with a citation for every claim from a source. Use ## headings
for groups of findings. Name the page in link text: never "here" or "click this link".
-->

TODO: summarise what the searches found.
"""

SEARCHES_EXAMPLE = """\
# The search log: one entry per search that was run. An example (remove the # to use it):
#
# - id: govuk
#   where: Google advanced search, .gov.uk domains
#   query: '"social value"'
#   from: 2020-01-01
#   to: 2024-05-22
#   run: 2024-05-22
#   results: 17300
#   approximate: true        # the count was shown as "about 17,300"
#   notes: Results scanned for council social value policies.
"""

SOURCES_EXAMPLE = """\
# Every source the review cites or links, as a CSL item. An example (remove the # to use it):
#
# - id: coventry-social-value          # cite it as [@coventry-social-value]
#   type: webpage
#   title: Social value and sustainability
#   publisher: Coventry City Council
#   URL: https://www.coventry.gov.uk/socialvalue
#   accessed: 2024-06-03               # the day you last opened the page
"""


@dataclass
class Carried:
    """What `--from` takes from an earlier review."""

    house_style: str = Metadata.house_style.default
    citation_style: str = Metadata.citation_style.default
    language: str = Metadata.language.default
    organisation: str | None = None
    authors: list[dict] = field(default_factory=list)
    searches: list[dict] = field(default_factory=list)


def carried_from(review: Review) -> Carried:
    """House style, authors, organisation and searches (without dates or results)."""
    meta = review.meta
    authors = [
        {k: str(v) for k, v in author.raw.items() if v is not None} or {"name": author.name}
        for author in meta.authors
    ]
    searches = []
    for search in review.searches:
        entry = {k: search.raw[k] for k in ("id", "where", "query") if search.raw.get(k)}
        entry["notes"] = "TODO: run this search again and record from, to, run and results"
        searches.append(entry)
    return Carried(
        house_style=meta.house_style,
        citation_style=meta.citation_style,
        language=meta.language,
        organisation=meta.organisation,
        authors=authors,
        searches=searches,
    )


def review_yaml(title: str | None, author: str | None, today: date, carried: Carried) -> str:
    """The text of a new review.yaml, with comments saying what each field is for."""
    if author:
        authors: list[dict] = [{"name": author}]
        if carried.organisation:
            authors[0]["affiliation"] = carried.organisation
    elif carried.authors:
        authors = carried.authors
    else:
        authors = [{"name": Todo("your name"), "affiliation": Todo("your organisation")}]
    month = f"{today.year:04d}-{today.month:02d}"
    return yamltext.review_yaml(
        {
            "title": Entry(
                title or Todo("the review question"),
                above="The review question, shown as the briefing's title.",
            ),
            "short_title": Entry(
                "A few words",
                note="running header in PDF and Word (default: the title)",
                commented=True,
            ),
            "type": Metadata.type.default,
            "questions": [title or Todo("the first review question")],
            "authors": authors,
            "organisation": carried.organisation
            or Todo("the organisation named in the closing line"),
            "commissioned_by": Entry("The team the review was written for", commented=True),
            "published": Entry(
                month, note=f"{MONTHS[today.month - 1]} {today.year}; a month means its last day"
            ),
            "updated": Entry("YYYY-MM-DD", note="a later revision", commented=True),
            "key_messages": Entry(
                [], note="bullets for the key-messages box, once the review is written"
            ),
            "house_style": carried.house_style,
            "citation_style": carried.citation_style,
            "language": carried.language,
            "sections": list(SECTION_FILES),
            **REPORTING,
        }
    )


#: The fields that report how the review was done, written commented out by `new`: each
#: with an example and one line of guidance (`scopekit check --reporting` says which a
#: reporting standard asks for).
REPORTING: dict[str, Entry] = {
    "protocol": Entry(
        "none",
        above="How the review was done, for `scopekit check --reporting` (remove the # to use):",
        note="where the protocol is (an address), or none",
        commented=True,
    ),
    "eligibility": Entry(
        {
            "include": Entry(["Council policies on social value"], note="what a source had to be"),
            "exclude": Entry(["Pages behind a log-in"], note="what ruled a source out"),
            "language": Entry("English only", note="the languages read"),
            "rationale": Entry("Question set with the team", note="why these criteria and dates"),
        },
        commented=True,
    ),
    "screening": Entry(
        {
            "reviewers": Entry("One reviewer", note="who selected the sources"),
            "verification": Entry("none", note="how a second person checked, or none"),
            "counts": Entry(
                {
                    "duplicates": Entry(0, note="duplicate records removed"),
                    "screened": Entry(100, note="records screened"),
                    "excluded": Entry(80, note="excluded at screening"),
                    "assessed": Entry(20, note="read in full"),
                    "reasons": Entry({"Not about councils": 5}, note="excluded after reading"),
                    "included": Entry(15, note="default: the sources cited"),
                },
                note="the flow diagram's numbers",
            ),
        },
        commented=True,
    ),
    "charting": Entry(
        {
            "process": Entry("One reviewer noted each source", note="how data were charted"),
            "columns": Entry(["organisation", "approach"], note="the evidence table's columns"),
        },
        commented=True,
    ),
    "appraisal": Entry(
        "none", note="how sources were critically appraised, or none", commented=True
    ),
    "shortcuts": Entry(
        ["One reviewer, no second screening"], note="steps shortened for speed", commented=True
    ),
    "limitations": Entry(
        ["Only the first pages of results were read"],
        note="limits of the review and the evidence",
        commented=True,
    ),
    "peer_review": Entry(
        "none", note="who reviewed the briefing before it went out", commented=True
    ),
    "stakeholders": Entry(
        "The team shaped the questions", note="how the people who asked took part", commented=True
    ),
    "acknowledgements": Entry("Library staff ran the searches", note="who helped", commented=True),
}


def searches_yaml(carried: Carried) -> str:
    """searches.yaml: the carried searches (dates cleared) after a commented example."""
    if not carried.searches:
        return SEARCHES_EXAMPLE
    entries = yaml.safe_dump(
        carried.searches, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
    return SEARCHES_EXAMPLE + "\n# Searches of the earlier review, to run again:\n" + entries


def new_review(
    target: str | Path,
    title: str | None = None,
    author: str | None = None,
    from_review: str | Path | None = None,
    today: date | None = None,
) -> list[Path]:
    """Create a review folder at `target`; return the files written.

    Refuses (UsageError) a target that exists and is not an empty folder.
    """
    folder = Path(target)
    refuse_non_empty(folder, "new", "scopekit new reviews/my-next-review")
    carried = carried_from(load_review(from_review)) if from_review else Carried()
    files = {
        "review.yaml": review_yaml(title, author, today or date.today(), carried),
        "background.md": BACKGROUND,
        "methods.md": METHODS,
        "findings.md": FINDINGS,
        "searches.yaml": searches_yaml(carried),
        "sources.yaml": SOURCES_EXAMPLE,
    }
    return write_folder(folder, files)

"""CSL's side of sources.yaml: the variables a source may hold besides scopekit's own
fields (declared with the other fields of format v1 in `review/model.py`), its item types
(and those that are web pages), its name and date variables.
"""

from __future__ import annotations

#: Web item types that need a URL (a missing one is a placeholder, `missing-url`).
WEB_TYPES = frozenset({"webpage", "post", "post-weblog", "video"})

#: CSL 1.0.2 item types, the values `type` may take.
CSL_TYPES = frozenset(
    """article article-journal article-magazine article-newspaper bill book broadcast chapter
    classic collection dataset document entry entry-dictionary entry-encyclopedia event figure
    graphic hearing interview legal_case legislation manuscript map motion_picture
    musical_score pamphlet paper-conference patent performance periodical
    personal_communication post post-weblog regulation report review review-book software
    song speech standard thesis treaty video webpage""".split()
)

#: CSL 1.0.2 name variables: each a list of names (`family` and `given`, or `literal`).
CSL_NAME_VARIABLES = frozenset(
    """
    author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director editor-translator executive-producer guest host
    illustrator interviewer narrator organizer original-author performer producer recipient
    reviewed-author script-writer series-creator translator
    """.split()
)

#: CSL 1.0.2 variables (standard, number, date and name variables), all valid source fields.
CSL_VARIABLES = (
    frozenset(
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
    id type categories custom shortTitle journalAbbreviation
    """.split()
    )
    | CSL_NAME_VARIABLES
)

CSL_DATE_VARIABLES = (
    "accessed",
    "issued",
    "available-date",
    "event-date",
    "original-date",
    "submitted",
)


#: The parts of a CSL name.
CSL_NAME_PARTS = (
    "family",
    "given",
    "literal",
    "non-dropping-particle",
    "dropping-particle",
    "suffix",
    "comma-suffix",
    "static-ordering",
    "parse-names",
)


def csl_names(value: object) -> list[dict[str, str]]:
    """A name variable's value as CSL names. A plain name (`author: Sam Analyst`, alone or
    in a list) is `{literal: Sam Analyst}`, as review.yaml reads a plain author's name; a
    mapping keeps its text parts that are CSL name parts (one with none, `{name: Sam
    Analyst}`, is its text as a literal name); anything else is left out."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict):
            texts = {str(k): str(v) for k, v in item.items() if isinstance(v, (str, int))}
            name = {k: v for k, v in texts.items() if k in CSL_NAME_PARTS}
            if not name and len(texts) == 1:
                name = {"literal": next(iter(texts.values()))}
        elif isinstance(item, str) and item.strip():
            name = {"literal": item.strip()}
        else:
            continue
        if name:
            names.append(name)
    return names

"""CSL's side of sources.yaml: the variables a source may hold besides scopekit's own
fields (declared with the other fields of format v1 in `review/model.py`), its date
variables, and the item types that are web pages.
"""

from __future__ import annotations

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

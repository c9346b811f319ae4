"""Highwire Press `citation_*` meta tags: what journals, repositories and Google Scholar use."""

from __future__ import annotations

from scopekit.metadata.html import HtmlDoc
from scopekit.metadata.model import Fields, clean_text, clean_title, iso_date, names, person, put

_TYPES = (
    ("citation_journal_title", "article-journal"),
    ("citation_technical_report_institution", "report"),
    ("citation_dissertation_institution", "thesis"),
    ("citation_conference_title", "paper-conference"),
    ("citation_book_title", "chapter"),
)


def read(doc: HtmlDoc) -> Fields:
    """The CSL variables a page's `citation_*` tags give."""
    fields: Fields = {}
    if not any(name.startswith("citation_") for name, _ in doc.meta):
        return fields
    for tag, kind in _TYPES:
        if doc.values(tag):
            put(fields, "type", kind, tag)
            break
    found = doc.first("citation_title")
    if found:
        put(fields, "title", clean_title(found[1]), found[0])
    authors = names(person(a) for a in doc.values("citation_author"))
    put(fields, "author", authors, "citation_author")
    for tag in (
        "citation_publisher",
        "citation_technical_report_institution",
        "citation_dissertation_institution",
    ):
        for value in doc.values(tag):
            put(fields, "publisher", clean_text(value), tag)
    for tag in ("citation_publication_date", "citation_date", "citation_online_date"):
        for value in doc.values(tag):
            put(fields, "issued", iso_date(value), tag)
    for tag, key in (
        ("citation_journal_title", "container-title"),
        ("citation_conference_title", "container-title"),
        ("citation_book_title", "container-title"),
        ("citation_volume", "volume"),
        ("citation_issue", "issue"),
    ):
        for value in doc.values(tag):
            put(fields, key, clean_text(value), tag)
    first, last = doc.values("citation_firstpage"), doc.values("citation_lastpage")
    if first:
        pages = clean_text(first[0] + (f"-{last[0]}" if last else ""))
        put(fields, "page", pages, "citation_firstpage")
    for value in doc.values("citation_doi"):
        put(fields, "DOI", clean_text(value.removeprefix("doi:")), "citation_doi")
    for tag in ("citation_public_url", "citation_abstract_html_url", "citation_fulltext_html_url"):
        for value in doc.values(tag):
            put(fields, "URL", clean_text(value), tag)
    return fields

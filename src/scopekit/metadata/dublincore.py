"""Dublin Core and DCMI terms meta tags (`DC.title`, `dcterms.issued`…), as CMSs write them."""

from __future__ import annotations

from scopekit.metadata.html import HtmlDoc
from scopekit.metadata.model import (
    Fields,
    clean_text,
    clean_title,
    iso_date,
    names,
    organisation,
    put,
)

_DATES = (
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "dcterms.created",
    "dc.date.created",
    "dcterms.available",
    "dcterms.modified",
    "dc.date.modified",
)


def read(doc: HtmlDoc) -> Fields:
    """The CSL variables a page's Dublin Core tags give. `DC.creator` is kept as written (a
    literal name): pages put people and organisations there alike."""
    fields: Fields = {}
    found = doc.first("dcterms.title", "dc.title")
    if found:
        put(fields, "title", clean_title(found[1]), found[0])
    creators = doc.values("dcterms.creator", "dc.creator")
    put(fields, "author", names(organisation(c) for c in creators), "DC.creator")
    found = doc.first("dcterms.publisher", "dc.publisher")
    if found:
        put(fields, "publisher", clean_text(found[1]), found[0])
    for tag in _DATES:
        for value in doc.values(tag):
            put(fields, "issued", iso_date(value), tag)
    for value in doc.values("dc.identifier", "dcterms.identifier"):
        text = (clean_text(value) or "").removeprefix("doi:").removeprefix("https://doi.org/")
        if text.startswith("10.") and "/" in text:
            put(fields, "DOI", text, "DC.identifier")
    return fields

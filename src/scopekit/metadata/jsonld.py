"""schema.org JSON-LD (`<script type="application/ld+json">`): the page's main item."""

from __future__ import annotations

import json
from collections.abc import Iterator

from scopekit.metadata.html import HtmlDoc
from scopekit.metadata.model import (
    Fields,
    clean_text,
    clean_title,
    iso_date,
    names,
    organisation,
    person,
    put,
)
from scopekit.urls import is_web_url

#: schema.org types, most telling first, and the CSL type each is.
TYPES = {
    "ScholarlyArticle": "article-journal",
    "MedicalScholarlyArticle": "article-journal",
    "Report": "report",
    "Thesis": "thesis",
    "Book": "book",
    "Chapter": "chapter",
    "Dataset": "dataset",
    "NewsArticle": "article-newspaper",
    "BlogPosting": "post-weblog",
    "VideoObject": "video",
    "Legislation": "legislation",
    "Article": "webpage",
    "WebPage": "webpage",
    "AboutPage": "webpage",
    "CollectionPage": "webpage",
    "FAQPage": "webpage",
    "MedicalWebPage": "webpage",
    "GovernmentService": "webpage",
}
_ORGANISATIONS = {
    "Organization",
    "GovernmentOrganization",
    "NGO",
    "Corporation",
    "EducationalOrganization",
    "MedicalOrganization",
    "LocalBusiness",
}
MAX_ITEMS = 500


def _types(item: dict) -> list[str]:
    kind = item.get("@type")
    return [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]


def _items(value: object, depth: int = 0) -> Iterator[dict]:
    """Every mapping at the top of a JSON-LD block or in its `@graph`."""
    if depth > 3:
        return
    if isinstance(value, list):
        for entry in value[:MAX_ITEMS]:
            yield from _items(entry, depth + 1)
    elif isinstance(value, dict):
        yield value
        if "@graph" in value:
            yield from _items(value["@graph"], depth + 1)


def items(doc: HtmlDoc) -> tuple[list[dict], int]:
    """The page's JSON-LD items, and how many blocks were not JSON (skipped)."""
    found: list[dict] = []
    bad = 0
    for block in doc.jsonld:
        try:
            found.extend(_items(json.loads(block)))
        except (ValueError, RecursionError):
            bad += 1
    return found, bad


def main_item(found: list[dict]) -> dict | None:
    """The item the page is about: the first of the most telling type."""
    ranked = list(TYPES)
    best: tuple[int, dict] | None = None
    for item in found:
        ranks = [ranked.index(k) for k in _types(item) if k in TYPES]
        if ranks and (best is None or min(ranks) < best[0]):
            best = (min(ranks), item)
    return best[1] if best else None


def _name(value: object) -> dict[str, str] | None:
    if isinstance(value, str):
        return person(value)
    if not isinstance(value, dict):
        return None
    if set(_types(value)) & _ORGANISATIONS:
        return organisation(value.get("name"))
    family, given = clean_text(value.get("familyName")), clean_text(value.get("givenName"))
    if family:
        return {"family": family, "given": given} if given else {"family": family}
    return person(value.get("name"))


def _listed(value: object) -> list:
    return value if isinstance(value, list) else [value]


def read(doc: HtmlDoc) -> Fields:
    """The CSL variables of the page's main schema.org item."""
    fields: Fields = {}
    item = main_item(items(doc)[0])
    if item is None:
        return fields
    kind = next((k for k in _types(item) if k in TYPES), None)
    where = f"JSON-LD {kind}"
    if kind:
        put(fields, "type", TYPES[kind], f"{where} @type")
    for key in ("headline", "name"):
        put(fields, "title", clean_title(item.get(key)), f"{where} {key}")
    put(
        fields,
        "author",
        names(_name(a) for a in _listed(item.get("author"))[:50]),
        f"{where} author",
    )
    publisher = item.get("publisher")
    publisher = publisher.get("name") if isinstance(publisher, dict) else publisher
    put(fields, "publisher", clean_text(publisher), f"{where} publisher")
    for key in ("datePublished", "dateCreated", "dateModified"):
        put(fields, "issued", iso_date(item.get(key)), f"{where} {key}")
    url = item.get("url")
    if isinstance(url, str) and is_web_url(url.strip()):
        put(fields, "URL", url.strip(), f"{where} url")
    return fields

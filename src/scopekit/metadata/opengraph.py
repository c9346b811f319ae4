"""Open Graph meta tags (`og:title`, `og:site_name`, `article:published_time`)."""

from __future__ import annotations

from scopekit.metadata.html import HtmlDoc
from scopekit.metadata.model import Fields, clean_text, clean_title, iso_date, put
from scopekit.urls import is_web_url


def read(doc: HtmlDoc) -> Fields:
    """The CSL variables a page's Open Graph tags give."""
    fields: Fields = {}
    kind = (doc.values("og:type") or [""])[0].strip().lower()
    if kind.startswith("video"):
        put(fields, "type", "video", "og:type")
    for value in doc.values("og:title"):
        put(fields, "title", clean_title(value), "og:title")
    for value in doc.values("og:site_name"):
        put(fields, "publisher", clean_text(value), "og:site_name")
    for tag in (
        "article:published_time",
        "og:published_time",
        "article:modified_time",
        "og:updated_time",
    ):
        for value in doc.values(tag):
            put(fields, "issued", iso_date(value), tag)
    for value in doc.values("og:url"):
        url = clean_text(value)
        if is_web_url(url):
            put(fields, "URL", url, "og:url")
    return fields

"""What every HTML page has: `<link rel=canonical>` and `<title>` (without the site's name)."""

from __future__ import annotations

import re

from scopekit.metadata.html import HtmlDoc
from scopekit.metadata.model import Fields, clean_text, clean_title, is_organisation, put
from scopekit.urls import is_web_url

#: Site names that titles end with, as " - GOV.UK" (the separator and the name).
SUFFIXES = (
    " - GOV.UK",
    " | Coventry City Council",
    " | The King's Fund",
    " | The King’s Fund",
    " | The Health Foundation",
    " | Local Government Association",
    " | NHS England",
    " - NHS",
)
_SEPARATOR = re.compile(r"\s+[|\-–—:·•]\s+")
_SEPARATOR_START = re.compile(r"^\s*[|\-–—:·•]\s*")


def without_site(title: str, site: str | None = None) -> str:
    """`title` without a known site's name at its end, or the `site` name given (the
    publisher another reader found), when something is left before it."""
    for suffix in SUFFIXES:
        if title.endswith(suffix) and len(title) > len(suffix):
            return title[: -len(suffix)].rstrip()
    if site:
        separators = list(_SEPARATOR.finditer(title))
        if separators:
            last = separators[-1]
            if last.start() > 0 and title[last.end() :].strip().lower() == site.strip().lower():
                return title[: last.start()].rstrip()
    return title


def read(doc: HtmlDoc, site: str | None = None) -> Fields:
    """The canonical URL and the `<title>` (its site name cut, `Home` ignored)."""
    fields: Fields = {}
    canonical = doc.link("canonical")
    if canonical and is_web_url(canonical):
        put(fields, "URL", canonical, "rel=canonical")
    title = clean_title(doc.title)
    if not title:
        return fields
    cut = without_site(title, site)
    if site is None:
        owner: str | None = None
        if cut == title:
            cut, owner = site_suffix(title)
        elif is_organisation(known := _SEPARATOR_START.sub("", title[len(cut) :])):
            owner = known  # " | Coventry City Council": the site's name, an organisation's
        if owner:
            put(fields, "publisher", owner, "the <title>'s last part")
    put(fields, "title", clean_title(cut), "<title>")
    return fields


def site_suffix(title: str) -> tuple[str, str | None]:
    """A title split before its last part when that part names an organisation
    (`Our role - University Hospitals Coventry and Warwickshire NHS Trust`)."""
    separators = list(_SEPARATOR.finditer(title))
    if separators and separators[-1].start() > 0:
        tail = clean_text(title[separators[-1].end() :])
        if tail and is_organisation(tail):
            return title[: separators[-1].start()].rstrip(), tail
    return title, None

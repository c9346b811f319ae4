"""The YAML files of an imported review: review.yaml, sources.yaml and searches.yaml.

Written as text (not dumped), with comments that say where each value came from, so the
review team can see at a glance what the importer guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scopekit.dates import PartialDate
from scopekit.importer.sources import Source
from scopekit.newfolder import quoted

HOUSE_STYLE = "coventry-hdrc"
_PLAIN_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"]*[^\s:'\"]")

SEARCHES = """\
# The search log: one entry per search that was run. Searches cannot be recovered from the
# prose of a Word document: record here each search that Methods describes.
- id: search-1
  where: TODO the search engine or website searched
  query: TODO the search terms
  notes: TODO from, to, run and results of this search (see Methods)
"""


@dataclass
class Metadata:
    """What review.yaml will say."""

    docx: str
    title: str | None
    type_line: str | None
    authors: list[str]
    organisation: str | None
    published: PartialDate | None
    published_guessed: bool
    updated: PartialDate | None
    language: str
    sections: list[str]
    key_messages: list[str] = field(default_factory=list)
    funding: str | None = None


def _url(url: str) -> str:
    return url if _PLAIN_URL.fullmatch(url) else quoted(url)


def review_yaml(meta: Metadata) -> str:
    """review.yaml for an imported briefing; TODO where the document did not say."""
    title = quoted(meta.title) if meta.title else "TODO the review question"
    lines = [
        "format: 1",
        f"# Imported from {meta.docx} by scopekit import: check the values marked TODO.",
        f"title: {title}",
        f"type: {quoted(meta.type_line or 'Rapid scoping review')}",
        "questions:",
        f"  - {title}",
        "authors:",
    ]
    organisation = meta.organisation
    for name in meta.authors or ["TODO your name"]:
        lines.append(f"  - name: {quoted(name) if meta.authors else name}")
        if organisation:
            lines.append(f"    affiliation: {quoted(organisation)}")
    lines.append(
        f"organisation: {quoted(organisation)}"
        if organisation
        else "organisation: TODO the organisation named in the closing line"
    )
    if meta.published is None:
        lines.append("published: TODO YYYY-MM           # the document gives no date")
    else:
        why = "  # guessed from the file's properties" if meta.published_guessed else ""
        lines.append(f"published: {meta.published}{why}")
    if meta.updated:
        lines.append(f"updated: {meta.updated}")
    lines.append("key_messages:" if meta.key_messages else "key_messages: []")
    lines += [f"  - {quoted(message)}" for message in meta.key_messages]
    if meta.funding:
        lines.append(f"funding: {quoted(meta.funding)}")
    lines += [
        f"house_style: {HOUSE_STYLE}",
        f"citation_style: {HOUSE_STYLE}",
        f"language: {meta.language}",
        "sections:",
        *(f"  - {name}" for name in meta.sections),
    ]
    return "\n".join(lines) + "\n"


def sources_yaml(docx: str, sources: list[Source]) -> str:
    """sources.yaml: each source as a CSL item, with where the document used it."""
    lines = [
        f"# Sources imported from {docx}, in the order the text first uses them.",
        "# Titles made from a URL and publishers guessed from a domain are marked: check them.",
    ]
    for source in sources:
        lines += ["", f"- id: {source.id}   # {', '.join(_places(source.places))}"]
        lines.append(f"  type: {source.type}")
        mark = "   # made from the URL" if "title" in source.guesses else ""
        lines.append(f"  title: {quoted(source.title or source.id)}{mark}")
        if source.publisher:
            mark = "   # guessed from the domain" if "publisher" in source.guesses else ""
            lines.append(f"  publisher: {quoted(source.publisher)}{mark}")
        if source.url:
            lines.append(f"  URL: {_url(source.url)}")
        if source.accessed:
            lines.append(f"  accessed: {source.accessed}")
        if source.remarks:
            lines.append(f"  remark: {quoted('; '.join(source.remarks))}")
    return "\n".join(lines) + "\n"


def _places(places: list[str]) -> list[str]:
    """Places without their quoted first words, each once."""
    short = [place.split(" (", 1)[0] for place in places]
    return list(dict.fromkeys(short))

"""The YAML files of an imported review: review.yaml, sources.yaml and searches.yaml.

Written as text (not dumped), with comments that say where each value came from, so the
review team can see at a glance what the importer guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scopekit.folder_writer import quoted
from scopekit.importer.sources import FoundSource
from scopekit.isodates import PartialDate

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
class FoundMetadata:
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


def review_yaml(meta: FoundMetadata) -> str:
    """review.yaml for an imported briefing; TODO where the document did not say."""
    from scopekit.review.model import Metadata as Fields  # imported when used: it loads yaml
    from scopekit.review.yamltext import Entry, Todo, review_yaml

    title = meta.title or Todo("the review question")
    authors = [
        {"name": name, **({"affiliation": meta.organisation} if meta.organisation else {})}
        for name in meta.authors or [Todo("your name")]
    ]
    if meta.published is None:
        published = Entry(Todo("YYYY-MM"), note="the document gives no date")
    else:
        guessed = "guessed (no “Produced by …” date): check it" if meta.published_guessed else ""
        published = Entry(meta.published, note=guessed)
    entries: dict[str, object] = {
        "title": Entry(
            title,
            above=f"Imported from {meta.docx} by scopekit import: check the values marked TODO.",
        ),
        "type": meta.type_line or Fields.type.default,
        "questions": [title],
        "authors": authors,
        "organisation": meta.organisation or Todo("the organisation named in the closing line"),
        "published": published,
        "key_messages": meta.key_messages,
        "house_style": Fields.house_style.default,
        "citation_style": Fields.citation_style.default,
        "language": meta.language,
        "sections": meta.sections,
    }
    if meta.updated:
        entries["updated"] = meta.updated
    if meta.funding:
        entries["funding"] = meta.funding
    return review_yaml(entries)


def sources_yaml(docx: str, sources: list[FoundSource]) -> str:
    """sources.yaml: each source as a CSL item, with where the document used it."""
    lines = [
        f"# Sources imported from {docx}, in the order the text first uses them.",
        "# Titles made from a URL and publishers guessed from a domain are marked: check them.",
    ]
    for source in sources:
        lines += ["", *source_lines(source)]
    return "\n".join(lines) + "\n"


def source_lines(source: FoundSource) -> list[str]:
    """One source as the lines of its sources.yaml entry, with where it is used."""
    lines = [f"- id: {source.id}   # {', '.join(_places(source.places))}"]
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
    return lines


def _places(places: list[str]) -> list[str]:
    """Places without their quoted first words, each once."""
    short = [place.split(" (", 1)[0] for place in places]
    return list(dict.fromkeys(short))

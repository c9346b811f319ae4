"""An HTML page as the metadata readers see it: its meta tags, links, `<title>`, JSON-LD.

Parsed with the standard library's forgiving HTMLParser (no network, no scripts run, no
entity expansion beyond HTML's own). Only the parts readers use are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


@dataclass
class HtmlDoc:
    """What a page declares: `meta` as (lower-case name or property, content) pairs in
    order, `links` as (rel, absolute href), the `<title>` text, JSON-LD blocks as text."""

    url: str
    meta: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    title: str | None = None
    jsonld: list[str] = field(default_factory=list)

    def values(self, *names: str) -> list[str]:
        """The contents of the meta tags with any of `names`, in the page's order."""
        wanted = {name.lower() for name in names}
        return [content for name, content in self.meta if name in wanted and content.strip()]

    def first(self, *names: str) -> tuple[str, str] | None:
        """The first meta tag with one of `names` (in the order of `names`): (name, content)."""
        for name in names:
            found = self.values(name)
            if found:
                return name, found[0]
        return None

    def link(self, rel: str) -> str | None:
        """The first `<link rel=…>` href with that rel."""
        return next((href for rels, href in self.links if rel in rels.lower().split()), None)


class _Parser(HTMLParser):
    def __init__(self, doc: HtmlDoc) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = doc
        self.in_title = False
        self.title_parts: list[str] = []
        self.script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "meta":
            key = values.get("name") or values.get("property") or values.get("itemprop")
            if key and "content" in values:
                self.doc.meta.append((key.strip().lower(), values["content"]))
        elif tag == "link" and values.get("rel") and values.get("href"):
            try:
                href = urljoin(self.doc.url, values["href"].strip())
            except ValueError:
                return
            self.doc.links.append((values["rel"], href))
        elif tag == "title" and self.doc.title is None:
            self.in_title = True
        elif tag == "script" and "ld+json" in values.get("type", "").lower():
            self.script = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.in_title:
            self.in_title = False
            self.doc.title = "".join(self.title_parts)
        elif tag == "script" and self.script is not None:
            self.doc.jsonld.append("".join(self.script))
            self.script = None

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif self.script is not None:
            self.script.append(data)


def decode(body: bytes, charset: str | None) -> str:
    """A page's text: in the charset its header or `<meta charset>` names, else UTF-8
    (characters that cannot be read are replaced, never an error)."""
    names = [charset] if charset else []
    found = _META_CHARSET.search(body[:4096])
    if found:
        names.append(found.group(1).decode("ascii"))
    for name in [*names, "utf-8"]:
        try:
            return body.decode(name, errors="replace")
        except LookupError:
            continue
    return body.decode("utf-8", errors="replace")


def parse_html(text: str, url: str) -> HtmlDoc:
    """The parts of a page that say what it is (`url` resolves relative links)."""
    doc = HtmlDoc(url)
    parser = _Parser(doc)
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError):  # markup HTMLParser gives up on: keep what was read
        pass
    if parser.in_title and doc.title is None:
        doc.title = "".join(parser.title_parts)
    return doc

"""The main text of an HTML page, light on boilerplate: what a reader came to the page for.

Menus, banners, footers, forms, scripts and cookie notices change with every redesign and
say nothing of the page, so they are left out; when the page marks its main content
(`<main>`, `role=main`, else `<article>`), only that is read. The standard library's
forgiving HTMLParser reads the markup; nothing is fetched or run.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

#: Elements whose text is never main text.
SKIPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "select",
        "button",
        "iframe",
        "head",
        "title",
    }
)
_SKIPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "dialog"})
_NOISE = re.compile(r"cookie|consent|breadcrumb|skip-link|share", re.I)
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_BLOCKS = frozenset({"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "br"})


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.main_depth: list[str] = []
        self.kind: str | None = None
        self.all: list[str] = []
        self.main: list[str] = []
        self.articles: list[str] = []

    def _skip(self, tag: str, values: dict[str, str]) -> bool:
        if tag in SKIPPED or values.get("role", "").lower() in _SKIPPED_ROLES:
            return True
        if values.get("hidden") is not None or values.get("aria-hidden") == "true":
            return True
        return bool(_NOISE.search(values.get("id", "") + " " + values.get("class", "")))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self._space(tag)
            return
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.append(tag)
            return
        values = {name.lower(): value or "" for name, value in attrs}
        if self._skip(tag, values):
            self.skipping.append(tag)
            return
        if not self.main_depth:
            if tag == "main" or values.get("role", "").lower() == "main":
                self.main_depth.append(tag)
                self.kind = "main"
            elif tag == "article":
                self.main_depth.append(tag)
                self.kind = "article"
        elif tag == self.main_depth[0]:
            self.main_depth.append(tag)
        self._space(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        self._space(tag)
        if self.main_depth and tag == self.main_depth[0]:
            self.main_depth.pop()

    def _space(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._put(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._put(data)

    def _put(self, text: str) -> None:
        self.all.append(text)
        if self.main_depth:
            (self.main if self.kind == "main" else self.articles).append(text)


def main_text(html: str) -> str:
    """The page's main text, its whitespace collapsed (empty when it has none)."""
    parser = _Parser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # markup HTMLParser gives up on: keep what was read
        pass
    for parts in (parser.main, parser.articles, parser.all):
        text = " ".join("".join(parts).split())
        if text:
            return text
    return ""

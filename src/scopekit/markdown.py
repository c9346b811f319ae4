"""Markdown for review sections: CommonMark, pipe tables and the citation syntax.

`[@key]` and `[@a; @b]` become `citation` tokens; `[text](@key)` stays a link whose target
names a source. `parse` returns the tokens and what the checks and renderers need from them,
each with its 1-based line in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

KEY = r"[\w][\w:.#$%&+?<>~/-]*"
_KEY_END = re.compile(r"[.:#$%&+?<>~/-]+$")
_CITATION = re.compile(rf"\[\s*@{KEY}(?:\s*;\s*@{KEY})*\s*\]")
_ONE_KEY = re.compile(rf"@({KEY})")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def strip_comments(html: str) -> str:
    """Raw HTML without its comments, which are never shown. An unclosed `<!--` is not a
    comment: it and what follows stay (shown as text, and reported by check)."""
    return _COMMENT.sub("", html)


@dataclass(frozen=True)
class Citation:
    """One cited key at one place; `group` counts the `[@…]` brackets of a file."""

    key: str
    line: int
    group: int


@dataclass(frozen=True)
class Link:
    """A Markdown link: text, target as written, and whether it was an `<autolink>`."""

    text: str
    href: str
    line: int
    autolink: bool = False

    @property
    def source_key(self) -> str | None:
        """The source id for `[text](@key)`, else None."""
        return self.href[1:] if self.href.startswith("@") else None


@dataclass(frozen=True)
class Image:
    """A Markdown image: its path as written and alt text."""

    src: str
    alt: str
    line: int


@dataclass(frozen=True)
class Text:
    """A run of prose text (no markup), with its line."""

    text: str
    line: int


@dataclass
class ParsedMarkdown:
    """A parsed section file: tokens for the renderers, extracts for the checks."""

    tokens: list[Token]
    title: str | None = None
    title_line: int | None = None
    citations: list[Citation] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    raw_html: list[Text] = field(default_factory=list)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: `[@key]` or `[@a; @b]`, not followed by a link target."""
    if state.src[state.pos] != "[":
        return False
    match = _CITATION.match(state.src, state.pos)
    if not match or state.src.startswith(("(", "[", ":"), match.end()):
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.markup = match.group(0)
        token.meta = {"keys": [_clean_key(k) for k in _ONE_KEY.findall(match.group(0))]}
    state.pos = match.end()
    return True


def _clean_key(key: str) -> str:
    """A key without trailing punctuation, as pandoc reads `@key.`"""
    return _KEY_END.sub("", key) or key


def make_parser() -> MarkdownIt:
    """The markdown-it parser for review sections (HTML recognised so it can be escaped)."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table")
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.validateLink = lambda url: True  # every target is kept; the checks judge it
    return md


_PARSER: MarkdownIt | None = None


def parse(text: str) -> ParsedMarkdown:
    """Parse one section file's text."""
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    tokens = _PARSER.parse(text)
    doc = ParsedMarkdown(tokens)
    group = 0
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        if token.type == "heading_open" and token.tag == "h1" and doc.title is None:
            doc.title = tokens[index + 1].content.strip()
            doc.title_line = line
        elif token.type == "html_block":
            _note_html(doc, token.content, line or 1)
        elif token.type == "inline" and token.children:
            group = _walk_inline(doc, token.children, line or 1, group)
    return doc


def _walk_inline(doc: ParsedMarkdown, children: list[Token], line: int, group: int) -> int:
    """Collect citations, links, images and text from one inline token; return the group count."""
    link_stack: list[tuple[str, int, bool, list[str]]] = []
    for child in children:
        kind = child.type
        if kind in ("softbreak", "hardbreak"):
            line += 1
            continue
        if kind == "citation":
            group += 1
            doc.citations.extend(Citation(key, line, group) for key in child.meta["keys"])
        elif kind == "link_open":
            href = child.attrGet("href") or ""
            link_stack.append((str(href), line, child.markup == "autolink", []))
        elif kind == "link_close" and link_stack:
            href, start, auto, words = link_stack.pop()
            doc.links.append(Link("".join(words), href, start, auto))
        elif kind == "image":
            doc.images.append(Image(str(child.attrGet("src") or ""), child.content, line))
            _add_text(link_stack, child.content)
        elif kind == "text":
            if not (link_stack and link_stack[-1][2]):  # an <autolink>'s text is its URL
                doc.texts.append(Text(child.content, line))
            _add_text(link_stack, child.content)
        elif kind == "code_inline":
            _add_text(link_stack, child.content)
        elif kind == "html_inline":
            _note_html(doc, child.content, line)
            line += child.content.count("\n")
    return group


def _add_text(link_stack: list[tuple[str, int, bool, list[str]]], text: str) -> None:
    if link_stack:
        link_stack[-1][3].append(text)


def _note_html(doc: ParsedMarkdown, html: str, line: int) -> None:
    """Record raw HTML that is not just comments (comments are never shown, so never reported)."""
    if strip_comments(html).strip():
        doc.raw_html.append(Text(html.strip(), line))

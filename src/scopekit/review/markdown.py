"""Markdown for review sections: CommonMark, pipe tables, citations and footnotes.

Pandoc's citation syntax (`[@key]`, `[see @a, p. 4; @b]`, `[-@key]`, narrative `@key`)
becomes `citation` tokens whose `meta["items"]` are `CiteItem`s; the author's own notes
(`[^id]` with `[^id]: text`, inline `^[text]`) become `footnote_ref` tokens, their text kept
in `ParsedMarkdown.footnotes`. Every citation and note reference gets `meta["call"]`, its
place in the file (1, 2, …), by which the cite step's notes are looked up. `[text](@key)`
stays a link whose target names a source. Figures and table captions are pandoc's (see
`captions.py`). `parse` returns the tokens and what the checks
and renderers need from them, each with its 1-based line in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from scopekit.citation_syntax import (
    CiteItem,
    follows_as_link_target,
    narrative_key,
    narrative_locator,
    parse_bracketed,
)
from scopekit.paths import local_file
from scopekit.review import pandoc
from scopekit.review.captions import captions
from scopekit.review.critic import accepted
from scopekit.review.parsed import Citation, Footnote, Image, Link, ParsedMarkdown, Text

_COMMENT = re.compile(r"<!--.*?-->", re.S)


def strip_comments(html: str) -> str:
    """Raw HTML without its comments, which are never shown. An unclosed `<!--` is not a
    comment: it and what follows stay (shown as text, and reported by check)."""
    return _COMMENT.sub("", html)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: a bracketed citation `[see @a, p. 4; @b]`, not a link's text."""
    src, pos = state.src, state.pos
    if src[pos] != "[" or "@" not in src[pos : pos + 200]:
        return False
    end = _closing_bracket(src, pos)
    if end is None or follows_as_link_target(src[end + 1 : end + 2000]):
        return False
    items = parse_bracketed(src[pos + 1 : end])
    if items is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.markup = src[pos : end + 1]
        token.meta = {"items": items, "narrative": False}
    state.pos = end + 1
    return True


def _closing_bracket(src: str, pos: int) -> int | None:
    """The index of the `]` closing the `[` at `pos` (no nested brackets, one paragraph)."""
    index = pos + 1
    while index < min(len(src), pos + 2000):
        char = src[index]
        if char == "\\":  # an escaped character closes nothing
            index += 2
            continue
        if char == "]":
            return index
        if char == "[" or (char == "\n" and src.startswith("\n", index + 1)):
            return None
        index += 1
    return None


def _narrative_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: a narrative citation `@key`, or `@key [p. 33]` with a locator."""
    if state.src[state.pos] != "@":
        return False
    found = narrative_key(state.src, state.pos)
    if found is None:
        return False
    key, end = found
    locator = narrative_locator(state.src, end)
    item = CiteItem(key)
    if locator:
        item = CiteItem(key, locator=locator[0], label=locator[1], suffix=locator[2])
        end = locator[3]
    if not silent:
        token = state.push("citation", "", 0)
        token.markup = state.src[state.pos : end]
        token.meta = {"items": [item], "narrative": True}
    state.pos = end
    return True


def _no_citation_references(rule):
    """markdown-it's reference rule, refusing labels with `@`: `[@key]: text` is a citation."""

    def reference(state, start_line: int, end_line: int, silent: bool) -> bool:
        begin = state.bMarks[start_line] + state.tShift[start_line]
        line = state.src[begin : state.eMarks[start_line]]
        if line.startswith("[") and "@" in line[: line.find("]") + 1 or None]:
            return False
        return rule(state, start_line, end_line, silent)

    return reference


_PUNCTUATION = re.compile(r"^[.,;:!?]+")


def _notes_after_punctuation(state) -> None:
    """Core rule: a citation's note call goes after the punctuation that follows it, and the
    space before it goes (`the following [@key]:` → `the following:¹`), as pandoc places
    notes for a note style. The house style puts every note call after the punctuation."""
    in_note = 0  # inside a note, a citation is printed in the sentence: nothing moves
    for token in state.tokens:
        in_note += {"footnote_reference_open": 1, "footnote_reference_close": -1}.get(token.type, 0)
        children = token.children
        if token.type != "inline" or not children or in_note:
            continue
        index = 0
        while index < len(children):
            if children[index].type != "citation" or children[index].meta["narrative"]:
                index += 1
                continue
            start = index
            while (
                index < len(children)
                and children[index].type == "citation"
                and not children[index].meta["narrative"]
            ):
                index += 1
            before = children[start - 1] if start else None
            if before is not None and before.type == "text":
                before.content = before.content.rstrip(" \t")
            after = children[index] if index < len(children) else None
            moved = _PUNCTUATION.match(after.content) if after and after.type == "text" else None
            if moved and (before is None or _PUNCTUATION.match(before.content[-1:])):
                moved = None  # `says. [@key].`, or a line that opens with it: as written
            if moved and before is not None:
                after.content = after.content[moved.end() :]
                if before.type == "text":
                    before.content += moved[0]
                else:  # after emphasis or a link: the punctuation as a text of its own
                    punctuation = Token("text", "", 0)
                    punctuation.content = moved[0]
                    children.insert(start, punctuation)
                    index += 1


def make_parser() -> MarkdownIt:
    """The markdown-it parser for review sections (HTML recognised so it can be escaped),
    with the pandoc habits of `pandoc.py`."""
    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": True})
    md.enable("table")
    md.use(footnote_plugin, move_to_end=False)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.inline.ruler.before("emphasis", "narrative_citation", _narrative_rule)
    reference = next(r for r in md.block.ruler.__rules__ if r.name == "reference")
    md.block.ruler.at("reference", _no_citation_references(reference.fn), {"alt": reference.alt})
    pandoc.use_habits(md, captions)
    md.core.ruler.push("notes_after_punctuation", _notes_after_punctuation)
    md.core.ruler.push("inline_habits", pandoc.inline_habits)
    md.validateLink = lambda url: True  # every target is kept; the checks judge it
    return md


_PARSER: MarkdownIt | None = None


_Parses = dict[str, "ParsedMarkdown"]
_KEPT: ContextVar[tuple[_Parses, _Parses] | None] = ContextVar("kept_parses", default=None)


@contextmanager
def keeping_parses(kept: dict[str, ParsedMarkdown]) -> Iterator[None]:
    """Within the block (in this thread), a text parsed before is not parsed again: `kept`
    maps texts to their parses and is left holding those of the texts parsed in the block.
    For `serve`, which rebuilds after one file changed. A parse is never changed after
    `parse` returns it (the cite and render steps only read it), so it can be shared."""
    used: dict[str, ParsedMarkdown] = {}
    token = _KEPT.set((kept, used))
    try:
        yield
    finally:
        _KEPT.reset(token)
        kept.clear()
        kept.update(used)


def parse(text: str) -> ParsedMarkdown:
    """Parse one section file's text, as the briefing shows it: CriticMarkup comments left
    out and pending changes accepted (`critic.accepted`; check reports both)."""
    state = _KEPT.get()
    if state is None:
        return _parse(text)
    kept, used = state
    found = used.get(text) or kept.get(text) or _parse(text)
    used[text] = found
    return found


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = make_parser()
    return _PARSER


def inline_tokens(text: str) -> list[Token]:
    """The inline tokens of a piece of Markdown: a citation's prefix or suffix."""
    tokens = _parser().parseInline(text)
    return (tokens[0].children or []) if tokens else []


def plain_inline(text: str) -> str:
    """What a piece of inline Markdown shows, as text: `*cf.*` → `cf.` (raw HTML as text)."""
    parts = []
    for token in inline_tokens(text):
        if token.type in ("text", "code_inline", "image"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type == "html_inline":
            parts.append(strip_comments(token.content))
    return "".join(parts)


def _parse(text: str) -> ParsedMarkdown:
    """Parse a text (never cached: `parse` decides)."""
    text = accepted(text)
    env: dict = {}
    tokens, habits = pandoc.collect(_take_footnotes(_parser().parse(text, env), env))
    doc = ParsedMarkdown(tokens, habits=habits)
    _take_notes(doc, env)
    _nested_notes_as_text(doc)
    walker = _Walker(doc)
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        if token.type == "heading_open" and token.tag == "h1" and doc.title is None:
            doc.title = inline_text(tokens[index + 1]).strip()
            doc.title_line = line
        elif token.type == "html_block":
            _note_html(doc, token.content, line or 1)
        elif token.type == "inline" and token.children:
            walker.walk(token.children, line or 1)
    for footnote in list(doc.footnotes.values()):
        if footnote.inline:
            walker.walk(footnote.tokens, footnote.line, footnote.position)
            continue
        for token in footnote.tokens:
            if token.type == "inline" and token.children:
                walker.walk(token.children, token.map[0] + 1 if token.map else footnote.line)
    return doc


def inline_text(token: Token) -> str:
    """The words of an inline token: its text and code, without citations or markup."""
    if not token.children:
        return token.content
    return "".join(c.content for c in token.children if c.type in ("text", "code_inline"))


def _take_footnotes(tokens: list[Token], env: dict) -> list[Token]:
    """The tokens without the `[^id]: …` definitions, which go to `env["definitions"]`."""
    kept: list[Token] = []
    definitions: dict[str, tuple[list[Token], int]] = {}
    inside: list[Token] | None = None
    for token in tokens:
        if token.type == "footnote_reference_open":
            inside = []
            line = token.map[0] + 1 if token.map else 1
            definitions.setdefault(token.meta["label"], (inside, line))
        elif token.type == "footnote_reference_close":
            inside = None
        elif inside is not None:
            inside.append(token)
        else:
            kept.append(token)
    env["definitions"] = definitions
    return kept


def _take_notes(doc: ParsedMarkdown, env: dict) -> None:
    """Fill `doc.footnotes` (by footnote id) and the definitions nothing references."""
    data = env.get("footnotes", {})
    definitions = env["definitions"]
    doc.note_definitions = {label: line for label, (_, line) in definitions.items()}
    doc.empty_notes = [label for label, (body, _) in definitions.items() if not body]
    for number, entry in data.get("list", {}).items():
        if "tokens" in entry:
            doc.footnotes[number] = Footnote(None, _text_joined(entry["tokens"]), 1, inline=True)
        elif entry.get("label") in definitions:
            body, line = definitions[entry["label"]]
            doc.footnotes[number] = Footnote(entry["label"], body, line)


def _text_joined(tokens: list[Token]) -> list[Token]:
    """An inline note's pieces as a paragraph's are after markdown-it's `text_join` rule
    (which its inline parse skips): an escaped character (`\\[`) is text, joined to the text
    beside it."""
    out: list[Token] = []
    for token in tokens:
        if token.type == "text_special":
            token.type = "text"
        if token.type == "text" and out and out[-1].type == "text":
            out[-1].content += token.content
        else:
            out.append(token)
    return out


def _nested_notes_as_text(doc: ParsedMarkdown) -> None:
    """A note reference inside a note stays as typed (`[^b]`, `^[…]`), as pandoc leaves it:
    a note holds no note. A definition referenced only from inside a note is unused."""
    nested: set[int] = set()

    def flat(children: list[Token]) -> list[Token]:
        kept: list[Token] = []
        for child in children:
            note = doc.footnotes.get(child.meta.get("id", -1)) if child.meta else None
            if child.type != "footnote_ref":
                kept.append(child)
            elif note is not None and note.inline:
                nested.add(child.meta["id"])
                kept += [_text("^[", True), *flat(note.tokens), _text("]", True)]
            else:
                kept.append(_text(f"[^{child.meta.get('label', '')}]", True))
        return kept

    for note in doc.footnotes.values():
        if note.inline:
            note.tokens = flat(note.tokens)
            continue
        for token in note.tokens:
            if token.children:
                token.children = flat(token.children)
    for number in nested:
        doc.footnotes.pop(number, None)
    used = {
        child.meta.get("label")
        for token in doc.tokens
        for child in token.children or ()
        if child.type == "footnote_ref"
    }
    doc.unused_notes = [label for label in doc.note_definitions if label not in used]


def _text(content: str, nested: bool = False) -> Token:
    """A text token; `nested`: a note reference inside a note, kept as typed."""
    token = Token("text", "", 0, info="nested-note" if nested else "")
    token.content = content
    return token


class _Walker:
    """Collects citations, links, images and text from inline tokens; numbers the calls."""

    def __init__(self, doc: ParsedMarkdown) -> None:
        self.doc = doc
        self.calls = 0
        self.count = 0

    def walk(self, children: list[Token], line: int, base: tuple[int, ...] = ()) -> None:
        """One inline token's children, starting at `line`; each gets a position that
        orders what is on one line (`base`: an inline note's place in its sentence)."""
        doc = self.doc
        link_stack: list[tuple[str, int, bool, list[str], tuple[int, ...]]] = []
        for child in children:
            kind = child.type
            self.count += 1
            position = (*base, self.count)
            if kind in ("softbreak", "hardbreak"):
                line += 1
                continue
            if kind in ("citation", "footnote_ref"):
                self.calls += 1
                child.meta["call"] = self.calls
                if kind == "citation":
                    narrative = child.meta["narrative"]
                    doc.citations.extend(
                        Citation(item.key, line, self.calls, narrative, position)
                        for item in child.meta["items"]
                    )
                elif (footnote := doc.footnotes.get(child.meta["id"])) and footnote.inline:
                    footnote.line, footnote.position = line, position
            elif kind == "link_open":
                href = child.attrGet("href") or ""
                link_stack.append((str(href), line, child.markup == "autolink", [], position))
            elif kind == "link_close" and link_stack:
                href, start, auto, words, at = link_stack.pop()
                doc.links.append(Link("".join(words), href, start, auto, at))
            elif kind == "image":
                src = local_file(str(child.attrGet("src") or ""))
                doc.images.append(Image(src, child.content, line))
                _add_text(link_stack, child.content)
            elif kind == "text":
                if not (link_stack and link_stack[-1][2]):  # an <autolink>'s text is its URL
                    nested = child.info == "nested-note"
                    doc.texts.append(Text(child.content, line, position, nested))
                _add_text(link_stack, child.content)
            elif kind == "code_inline":
                _add_text(link_stack, child.content)
            elif kind == "html_inline":
                _note_html(doc, child.content, line)
                line += child.content.count("\n")


def _add_text(link_stack: list, text: str) -> None:
    if link_stack:
        link_stack[-1][3].append(text)


def _note_html(doc: ParsedMarkdown, html: str, line: int) -> None:
    """Record raw HTML that is not just comments (comments are never shown, so never reported)."""
    if strip_comments(html).strip():
        doc.raw_html.append(Text(html.strip(), line))

"""Citations and the author's own notes, numbered in reading order into one list of notes.

Every citation item gives one note at its place: the source's full reference the first time
(with its prefix, locator and suffix), "As N" (", p. 4" when the locator differs) after.
An author's note (`[^id]`, `^[…]`) is a note of its own, with its Markdown as styled runs;
a citation inside it is rendered inside it. The result, `Notes`, is computed once per build
and shared by every renderer, so the HTML, PDF and DOCX notes cannot disagree. Renderers
find the notes of a citation or note reference with `Notes.call(file, token)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from markdown_it.token import Token

from scopekit.citation_syntax import CiteItem
from scopekit.cite import format_texts, resolve_style, save_later
from scopekit.links.versions import Version, archived_shown, version_of
from scopekit.review import Review, Source
from scopekit.review.markdown import inline_tokens, plain_inline, strip_comments
from scopekit.review.parsed import Footnote, ParsedMarkdown
from scopekit.schema import csl_names
from scopekit.theme import Theme
from scopekit.urls import archive_date

if TYPE_CHECKING:
    from pathlib import Path

#: How a note shows an archived copy, unless the house style words it (`archived_copy`).
ARCHIVED_COPY = Theme.archived_copy
_DOUBLE_STOP = re.compile(r"([?!.])\.(?=\s|$)")
_MARKS = {"em_open": "em", "strong_open": "strong"}


@dataclass(frozen=True)
class Run:
    """A piece of note text: `href` makes it a link, `note` a reference to note N,
    `marks` its emphasis ("em", "strong", "code"). `block` "break" is the end of a paragraph
    of a note (its text "\n\n"), "code" a code block (its text the code, lines kept)."""

    text: str
    href: str | None = None
    marks: tuple[str, ...] = ()
    note: int | None = None
    block: str = ""
    version: Version | None = None
    """For a source's URL with an archived copy: the copy and the day cited (Robust Links)."""


PARAGRAPH_BREAK = Run("\n\n", block="break")


def paragraphs(runs: tuple[Run, ...]) -> list[tuple[str, tuple[Run, ...]]]:
    """A note's runs as its blocks, ("text" | "code", runs): most notes are one "text"."""
    blocks: list[tuple[str, tuple[Run, ...]]] = []
    current: list[Run] = []
    for run in (*runs, PARAGRAPH_BREAK):
        if run.block and current:
            blocks.append(("text", tuple(current)))
            current = []
        if run.block == "code":
            blocks.append(("code", (run,)))
        elif not run.block:
            current.append(run)
    return blocks


@dataclass(frozen=True)
class Note:
    """One numbered note: a citation of `source_id`, or the author's own note (None)."""

    number: int
    source_id: str | None
    runs: tuple[Run, ...]
    first: int | None = None

    @property
    def text(self) -> str:
        """The note as plain text (paragraphs apart by a blank line)."""
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Call:
    """What one citation or note reference shows: narrative text, then its note numbers."""

    numbers: tuple[int, ...] = ()
    text: tuple[Run, ...] = ()


@dataclass
class Notes:
    """Every note of a briefing, the reference of every source, and the sources only linked."""

    notes: list[Note] = field(default_factory=list)
    references: dict[str, tuple[Run, ...]] = field(default_factory=dict)
    other_sources: list[str] = field(default_factory=list)
    calls: dict[tuple[str, int], Call] = field(default_factory=dict)

    def call(self, file: str, token: Token) -> Call:
        """The notes of a `citation` or `footnote_ref` token of section `file`."""
        return self.calls.get((file, token.meta.get("call", 0)), Call())


def reference_runs(text: str, url: str | None, version: Version | None = None) -> tuple[Run, ...]:
    """Split reference text into runs, making the URL (where it appears) a link."""
    text = _DOUBLE_STOP.sub(r"\1", text)
    if url and url in text:
        before, after = text.split(url, 1)
        runs = (Run(before), Run(url, url, version=version), Run(after))
        return tuple(run for run in runs if run.text)
    return (Run(text),)


def archived_runs(words: str, version: Version) -> tuple[Run, ...]:
    """The house style's words for an archived copy (`{url}`, `{date}` DD/MM/YYYY), the
    copy's address a link; without a date, the part of the words that names it is left out."""
    url = version.url or ""
    made = archive_date(url)
    if made is None:
        words = re.sub(r"\s*\([^()]*\{date\}[^()]*\)|\s*\{date\}", "", words)
    words = words.replace("{date}", made.strftime("%d/%m/%Y") if made else "")
    before, _, after = words.partition("{url}")
    runs = (Run(before), Run(url, url), Run(after)) if _ else (Run(words),)
    return tuple(run for run in runs if run.text)


def with_archived(runs: tuple[Run, ...], words: str, version: Version) -> tuple[Run, ...]:
    """A reference followed by its archived copy, as a new sentence."""
    last = runs[-1].text.rstrip() if runs else ""
    joint = " " if last.endswith((".", "!", "?")) else ". "
    return (*runs, Run(joint), *archived_runs(words, version))


def narrative_name(source: Source) -> str:
    """Who a narrative citation names in the text: authors, else publisher, else title."""
    names = []
    for author in csl_names(source.raw.get("author")):
        name = author.get("family") or author.get("literal") or author.get("given")
        if name:
            names.append(name)
    if len(names) > 2:
        return f"{names[0]} et al."
    if names:
        return " and ".join(names)
    return source.raw.get("publisher") or source.title or source.id


def cite_items(review: Review) -> Iterator[CiteItem]:
    """Every citation item of the review: in the text and inside the author's notes."""
    for section in review.texts:
        for token in _inline_children(section.markdown):
            if token.type == "citation":
                yield from token.meta["items"]


def _inline_children(markdown: ParsedMarkdown) -> Iterator[Token]:
    bodies = [markdown.tokens] + [f.tokens for f in markdown.footnotes.values() if not f.inline]
    for tokens in bodies:
        for token in tokens:
            if token.children:
                yield from token.children
    for footnote in markdown.footnotes.values():
        if footnote.inline:
            yield from footnote.tokens


def _cache_file(review: Review) -> Path:
    return review.root / ".scopekit" / "references.json"


def save_cache(review: Review) -> None:
    """Write the reference cache a `build_notes(review, save_cache=False)` left unwritten."""
    save_later(_cache_file(review))


def build_notes(
    review: Review, save_cache: bool = True, archived_words: str = ARCHIVED_COPY
) -> Notes:
    """Number the citations and notes of every section in reading order.

    A source whose live URL the last check-links found broken or blocked shows its archived
    copy in `archived_words` (the house style's). The reference texts are cached in the
    review's `.scopekit/references.json`; with `save_cache=False` that file is only read,
    and written only by a later `save_cache`."""
    index = review.source_index()
    unique = list(index.values())
    style = resolve_style(review.meta.citation_style, review.root)
    cache = _cache_file(review)
    texts = format_texts(
        unique, list(cite_items(review)), style, review.meta.language, cache, save_cache
    )
    references = {
        s.id: reference_runs(texts.references.get(s.id, s.title or s.id), s.url, version_of(s))
        for s in unique
    }
    shown = archived_shown(review)
    for source_id, version in shown.items():
        if source_id in references:
            references[source_id] = with_archived(references[source_id], archived_words, version)
    numbering = _Numbering(review, Notes(references=references), index, texts)
    numbering.shown, numbering.words = shown, archived_words
    linked: list[str] = []
    for section in review.texts:
        numbering.section(section.file, section.markdown)
        linked.extend(link.source_key for link in section.markdown.links if link.source_key)
    notes = numbering.notes
    seen = set(numbering.first_note)
    for key in linked:
        if key in index and key not in seen:
            seen.add(key)
            notes.other_sources.append(key)
    return notes


class _Numbering:
    """Walks the sections in reading order, giving each call its notes."""

    def __init__(self, review: Review, notes: Notes, sources: dict[str, Source], texts) -> None:
        self.review = review
        self.notes = notes
        self.sources = sources
        self.texts = texts
        self.first_note: dict[str, int] = {}
        self.first_footnote: dict[tuple[str, int], int] = {}
        self.shown: dict[str, Version] = {}
        self.words = ARCHIVED_COPY

    def section(self, file: str, markdown: ParsedMarkdown) -> None:
        """Number every call of one section file."""
        for token in markdown.tokens:
            for child in token.children or ():
                call = child.meta.get("call")
                if child.type == "citation":
                    self.notes.calls[(file, call)] = self.citation(child)
                elif child.type == "footnote_ref":
                    self.notes.calls[(file, call)] = self.footnote(file, markdown, child)

    def citation(self, token: Token) -> Call:
        """One note per item; a narrative citation also names its source in the text."""
        items: list[CiteItem] = token.meta["items"]
        if token.meta["narrative"]:
            source = self.sources.get(items[0].key)
            if source is None:  # `@handle` in prose: not a source, shown as typed
                return Call(text=(Run(token.markup),))
            text = (Run(narrative_name(source)),)
        else:
            text = ()
        numbers = []
        for item in items:
            number = len(self.notes.notes) + 1
            runs, first = self.item_runs(item, number)
            self.notes.notes.append(Note(number, item.key, _capitalised(runs, item), first))
            numbers.append(number)
        return Call(tuple(numbers), text)

    def item_runs(
        self, item: CiteItem, number: int, inside: bool = False
    ) -> tuple[tuple[Run, ...], int | None]:
        """A citation item's text in note `number`, and the note it repeats (or None).

        A repeat is "As N" as a note of its own, "note N" inside an author's sentence or
        after a prefix ("See note 1", not "See As 1")."""
        first = self.first_note.get(item.key)
        prefix = self.markdown_runs(item.prefix, number)
        suffix = self.markdown_runs(item.suffix, number)
        if first is not None:
            runs = [Run("note " if inside or prefix else "As "), Run(str(first), note=first)]
            if item.locator:
                locator = self.texts.locators.get((item.label, item.locator), item.locator)
                runs.append(Run(f", {locator}"))
            if prefix:
                runs[:0] = [*prefix, Run(" ")]
            return (*runs, *suffix), first
        self.first_note[item.key] = number
        source = self.sources.get(item.key)
        if source is None:
            return (Run(f"[unknown source: {item.key}]"),), None
        if item.plain:
            return self.notes.references[item.key], None
        text = self.texts.citations.get(item, item.key)
        head, tail = plain_inline(item.prefix), plain_inline(item.suffix)
        version = version_of(source)
        if not (text.startswith(head) and text.endswith(tail)):  # the style moved them
            return self.with_copy(item.key, reference_runs(text, source.url, version)), None
        middle = text[len(head) : len(text) - len(tail)]
        runs = (*prefix, *reference_runs(middle, source.url, version), *suffix)
        return self.with_copy(item.key, runs), None

    def with_copy(self, key: str, runs: tuple[Run, ...]) -> tuple[Run, ...]:
        """A first citation, with the source's archived copy when its live URL is down."""
        version = self.shown.get(key)
        return with_archived(runs, self.words, version) if version is not None else runs

    def markdown_runs(self, text: str, number: int) -> tuple[Run, ...]:
        """A prefix or suffix with its Markdown (`*cf.*`) as styled runs."""
        return tuple(self.inline_runs(inline_tokens(text), number)) if text else ()

    def footnote(self, file: str, markdown: ParsedMarkdown, token: Token) -> Call:
        """The author's note at this reference; a second reference to it is "As N"."""
        number = len(self.notes.notes) + 1
        key = (file, token.meta["id"])
        if key in self.first_footnote:
            first = self.first_footnote[key]
            runs = (Run("As "), Run(str(first), note=first))
            self.notes.notes.append(Note(number, None, runs, first))
            return Call((number,))
        self.first_footnote[key] = number
        self.notes.notes.append(Note(number, None, ()))  # its place, before inner citations
        body = markdown.footnotes.get(token.meta["id"])
        runs = self.note_runs(body, number) if body else ()
        self.notes.notes[number - 1] = Note(number, None, runs)
        return Call((number,))

    def note_runs(self, body: Footnote, number: int) -> tuple[Run, ...]:
        """An author's note as runs: its paragraphs (with emphasis, links, citations), list
        items with their marks, a table row to a paragraph, code blocks as written."""
        if body.inline:
            return tuple(self.inline_runs(body.tokens, number))
        blocks: list[list[Run]] = []
        lists: list[int | None] = []  # the next number of each open list (None: bullets)
        mark, cell, row_started = "", False, False
        for token in body.tokens:
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = str(token.attrGet("start") or "1")
                lists.append(
                    int(start) if kind == "ordered_list_open" and start.isdigit() else None
                )
            elif kind in ("bullet_list_close", "ordered_list_close") and lists:
                lists.pop()
            elif kind == "list_item_open" and lists:
                number_in_list = lists[-1]
                mark = "• " if number_in_list is None else f"{number_in_list}{token.markup} "
                lists[-1] = None if number_in_list is None else number_in_list + 1
            elif kind == "tr_open":
                row_started = False
            elif kind in ("th_open", "td_open", "th_close", "td_close"):
                cell = kind.endswith("_open")
            elif kind in ("fence", "code_block"):
                blocks.append([Run(token.content.rstrip("\n"), marks=("code",), block="code")])
            elif kind == "html_block" and (shown := strip_comments(token.content).strip()):
                blocks.append([Run(shown)])
            elif kind == "inline" and token.children:
                runs = list(self.inline_runs(token.children, number))
                if cell and row_started:  # a table's cells: one paragraph a row
                    blocks[-1] += [Run(" "), *runs]
                else:
                    blocks.append([Run(mark), *runs] if mark else runs)
                row_started = row_started or cell
                mark = ""
        joined: list[Run] = []
        for block in blocks:
            if joined:
                joined.append(PARAGRAPH_BREAK)
            joined.extend(block)
        return tuple(joined)

    def inline_runs(self, children: list[Token], number: int) -> Iterator[Run]:
        """The runs of one inline token inside note `number`."""
        marks: list[str] = []
        hrefs: list[str | None] = []
        stop = False  # a citation just ended its reference with a full stop
        for child in children:
            kind = child.type
            href = hrefs[-1] if hrefs else None
            if stop and kind == "text" and child.content.startswith("."):
                child = child.copy(content=child.content[1:])  # "Council.." → "Council."
            stop = False
            if kind in _MARKS:
                marks.append(_MARKS[kind])
            elif kind in ("em_close", "strong_close") and marks:
                marks.pop()
            elif kind == "link_open":
                hrefs.append(
                    self.review.link_target(str(child.attrGet("href") or ""), self.sources)
                )
            elif kind == "link_close" and hrefs:
                hrefs.pop()
            elif kind == "text":
                yield Run(child.content, href, tuple(marks))
            elif kind == "code_inline":
                yield Run(child.content, href, (*marks, "code"))
            elif kind in ("softbreak", "hardbreak"):
                yield Run(" ")
            elif kind == "image":
                yield Run(child.content, href, tuple(marks))
            elif kind == "html_inline":
                yield Run(strip_comments(child.content), href, tuple(marks))
            elif kind == "citation":
                cited = list(self._inner_citation(child, number))
                yield from cited
                shown = "".join(run.text for run in cited).rstrip()
                stop = shown.endswith(".")

    def _inner_citation(self, token: Token, number: int) -> Iterator[Run]:
        """A citation inside an author's note: its text there, no note of its own."""
        items: list[CiteItem] = token.meta["items"]
        if token.meta["narrative"]:
            source = self.sources.get(items[0].key)
            if source is None:
                yield Run(token.markup)
                return
            yield Run(f"{narrative_name(source)} (")
        for position, item in enumerate(items):
            if position:
                yield Run("; ")
            yield from self.item_runs(item, number, inside=True)[0]
        if token.meta["narrative"]:
            yield Run(")")


def _capitalised(runs: tuple[Run, ...], item: CiteItem) -> tuple[Run, ...]:
    """A note that opens with a citation's prefix starts with a capital, as pandoc's do: the
    first letter shown, inside emphasis or a link (`*cf.*` → "*Cf.*")."""
    if not item.prefix:
        return runs
    for index, run in enumerate(runs):
        stripped = run.text.lstrip()
        if not stripped:
            continue
        if not stripped[0].islower():
            return runs
        at = len(run.text) - len(stripped)
        text = run.text[:at] + stripped[0].upper() + stripped[1:]
        return (*runs[:index], replace(run, text=text), *runs[index + 1 :])
    return runs

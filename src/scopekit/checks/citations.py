"""Citations and notes: every key names a source, every note reference a note, ids are
unique, every source and note is used, and no citation syntax is left to print as typed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scopekit.checks.fields import closest, did_you_mean
from scopekit.checks.registry import Context, rule
from scopekit.citation_syntax import KEY, clean_key
from scopekit.problems import Problem, error, warning
from scopekit.review.model import SEARCHES_FILE, SOURCES_FILE


@rule
def unknown_sources(ctx: Context) -> Iterator[Problem]:
    """A citation or source link naming no source.

    A narrative `@word` naming no source is prose (an `@handle`), unless it is close to a
    source id (a typo) or the same key is cited in brackets or linked: then it is a key."""
    ids = list(ctx.sources)
    keys = {c.key for s in ctx.review.texts for c in s.markdown.citations if not c.narrative}
    keys.update(link.source_key or "" for s in ctx.review.texts for link in s.markdown.links)
    for section in ctx.review.texts:
        refs = [
            (c.key, c.line, c.position, "cites", c.narrative) for c in section.markdown.citations
        ]
        refs += [
            (link.source_key, link.line, link.position, "links to", False)
            for link in section.markdown.links
            if link.source_key is not None
        ]
        for key, line, position, verb, narrative in refs:
            if key in ctx.sources or (narrative and key not in keys and not closest(key, ids)):
                continue
            yield error(
                "unknown-source",
                section.file,
                line,
                f"{verb} '@{key}', which is not in {SOURCES_FILE}",
                did_you_mean(key, ids) or f"add a source with 'id: {key}' to {SOURCES_FILE}",
                position,
            )


@rule
def duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """Two sources, or two searches, sharing an id."""
    for file, what, entries in (
        (SOURCES_FILE, "source", ctx.review.sources),
        (SEARCHES_FILE, "search", ctx.review.searches),
    ):
        first: dict[str, int | None] = {}
        for entry in entries:
            if not entry.id:
                continue
            if entry.id in first:
                yield error(
                    "duplicate-id",
                    file,
                    entry.line_of("id"),
                    f"{what} id '{entry.id}' is used twice",
                    f"the first is at line {first[entry.id]}: merge them or rename one",
                )
            else:
                first[entry.id] = entry.line_of("id")


@rule
def unused_sources(ctx: Context) -> Iterator[Problem]:
    """A source that nothing cites or links."""
    used = set()
    for section in ctx.review.texts:
        used.update(c.key for c in section.markdown.citations)
        used.update(link.source_key for link in section.markdown.links)
    reported = set()
    for source in ctx.review.sources:
        if source.id not in used and source.id not in reported and not _spaced(source.id):
            reported.add(source.id)
            yield warning(
                "unused-source",
                SOURCES_FILE,
                source.line,
                f"source '{source.id}' is never cited or linked",
                f"cite it with [@{source.id}], link it with [text](@{source.id}), or remove it",
            )


def _spaced(key: str) -> bool:
    """An id with a space: `missing-field` says so, and no citation of it can be suggested."""
    return any(c.isspace() for c in key)


_LEFTOVER = re.compile(
    r"(?P<open>\[[\s;,]*-?@)|\]\(@|(?P<inline>\^\[)|\[\^(?P<note>[^\]\s]+)\]"
    r"|(?P<label>\[\^(?:\s[^\]]*)?\])|(?P<shortcode>\{\{[<%]\s*[\w-]*(?:[^{}\n]{0,60}?[>%]\}\})?)"
    rf"|(?<![\w@.])@(?P<key>{KEY})"
)
#: Quarto's cross-reference prefixes (`@fig-map`, `@tbl-counts`, `@sec-methods`).
_CROSSREF = re.compile(r"(?:eq|lst|thm|lem|cor|prp|cnj|def|exm|exr)-\w")
_FORMS = (
    "write [@key], [@key, p. 4], [see @a; @b] or [-@key]; a key starts with a letter, digit "
    "or _ and the brackets close on the same paragraph"
)
_NESTED = (
    "a note cannot hold another note (pandoc leaves it as typed too): write its words into "
    "this note, or put the reference in the running text"
)
_HINTS = {
    "inline": "close the inline note in the same paragraph: Text^[the note text.]",
    "empty-item": "remove the ';' or ',' before the first key: [@key], or [@a; @b]",
    "label": "a note label has no spaces and is not empty: Text[^label] and a line "
    "'[^label]: the note text'",
    "crossref": "scopekit cross-references figures (@fig-…), tables (@tbl-…) and headings "
    "(@sec-…) only: write what it refers to in words",
    "target": 'give it that id: a figure ![alt](file.png "Caption"){#fig-x}, a table\'s '
    "caption 'Table: Caption {#tbl-x}', a heading '# Title {#sec-x}'",
    "shortcode": "scopekit runs no Quarto shortcodes: remove it, or write out what it stands "
    "for (a page break is {{< pagebreak >}} or \\newpage alone in a paragraph)",
}


@rule
def unparsed_citations(ctx: Context) -> Iterator[Problem]:
    """Text that still looks like citation or note syntax after parsing: it would print."""
    elsewhere = {
        label: section.file
        for section in reversed(ctx.review.texts)
        for label in section.markdown.note_definitions
    }
    for section in ctx.review.texts:
        markdown = section.markdown
        for label in markdown.empty_notes:
            yield warning(
                "unparsed-citation",
                section.file,
                markdown.note_definitions[label],
                f"note '[^{label}]' has no text: it would print as an empty note",
                f"write the text after '[^{label}]: ' on the same line, or on the next lines "
                "indented by four spaces",
            )
        for text in markdown.texts:
            for match in _LEFTOVER.finditer(text.text):
                position = (*text.position, match.start())
                if match["note"] is not None and not text.nested:
                    label = match["note"]
                    if label not in markdown.note_definitions:
                        hint = _unknown_note_hint(section.file, label, markdown, elsewhere)
                        message = f"note reference '[^{label}]' has no definition"
                        yield error(
                            "unknown-note", section.file, text.line, message, hint, position
                        )
                        continue
                problem = _leftover(match, text.nested, ctx)
                if problem is not None:
                    message, hint = problem
                    yield warning(
                        "unparsed-citation",
                        section.file,
                        text.line,
                        f"{message}: it would print as typed",
                        hint,
                        position,
                    )


def _leftover(match: re.Match, nested: bool, ctx: Context) -> tuple[str, str] | None:
    """(message, hint) for one leftover of citation or note syntax, or None for prose."""
    if match["note"] is not None:
        label = match["note"]
        if nested:
            return f"note reference '[^{label}]' inside a note is not read as a note", _NESTED
        return f"note reference '[^{label}]' is not read as a note", _FORMS
    if match["inline"] is not None:
        if nested:
            return "an inline note '^[…]' inside a note is not read as a note", _NESTED
        return "'^[…' is not read as a note (the inline note does not close)", _HINTS["inline"]
    if match["label"] is not None:
        return f"'{match['label']}' is not read as a note", _HINTS["label"]
    if match["shortcode"] is not None:
        shortcode = match["shortcode"]  # whole when it closes on its line, else its start
        shown = shortcode if shortcode.endswith("}}") else f"{shortcode}…"
        return f"Quarto shortcode '{shown}' is not read", _HINTS["shortcode"]
    if match["key"] is not None:
        key = clean_key(match["key"])
        return (f"'@{key}' is not read as a citation", _FORMS) if key in ctx.sources else None
    hint = _HINTS["empty-item"] if re.search(r"[;,]", match[0]) else _FORMS
    return f"'{match[0]}…' is not read as a citation or note", hint


@rule
def quarto_crossrefs(ctx: Context) -> Iterator[Problem]:
    """`@fig-modes`, `@tbl-counts`, `@sec-methods` with nothing of that id, and Quarto's other
    cross-references (`@eq-…`, `@thm-…`), which name no source: they would print as typed."""
    targets = {
        key
        for section in ctx.review.texts
        for key in (*section.markdown.habits.sections, *section.markdown.habits.captions)
    }
    for section in ctx.review.texts:
        for key, line in section.markdown.habits.crossrefs:
            if key not in targets:
                yield warning(
                    "unparsed-citation",
                    section.file,
                    line,
                    f"cross-reference '@{key}' names no figure, table or heading: it would "
                    "print as typed",
                    _HINTS["target"],
                )
        for citation in section.markdown.citations:
            key = citation.key
            if citation.narrative and key not in ctx.sources and _CROSSREF.match(key):
                yield warning(
                    "unparsed-citation",
                    section.file,
                    citation.line,
                    f"Quarto cross-reference '@{key}' is not read: it would print as typed",
                    _HINTS["crossref"],
                    citation.position,
                )


def _unknown_note_hint(file: str, label: str, markdown, elsewhere: dict[str, str]) -> str:
    """Where `[^label]` is defined if not in its own file (notes are per file, as pandoc's)."""
    if label in elsewhere:
        return (
            f"notes are per file: '[^{label}]:' is defined in {elsewhere[label]}; "
            f"move the definition (or a copy) into {file}"
        )
    return did_you_mean(label, markdown.note_definitions) or (
        f"add a line '[^{label}]: the note text' below the paragraph"
    )


@rule
def unused_notes(ctx: Context) -> Iterator[Problem]:
    """A `[^id]:` note definition that nothing references."""
    for section in ctx.review.texts:
        markdown = section.markdown
        for label in markdown.unused_notes:
            yield warning(
                "unused-note",
                section.file,
                markdown.note_definitions[label],
                f"note '[^{label}]' is defined but never referenced",
                f"put [^{label}] where the note belongs, or remove the definition",
            )

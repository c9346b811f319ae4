"""Citations and notes: every key names a source, every note reference a note, ids are
unique, every source and note is used, and no citation syntax is left to print as typed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scopekit.checks.fields import closest, did_you_mean
from scopekit.checks.registry import Context, rule
from scopekit.citation_syntax import KEY, clean_key
from scopekit.problems import Problem, error, warning
from scopekit.review.model import SOURCES_FILE


@rule
def unknown_sources(ctx: Context) -> Iterator[Problem]:
    """A citation or source link naming no source."""
    ids = list(ctx.sources)
    for section in ctx.review.texts:
        refs = [(c.key, c.line, "cites") for c in section.markdown.citations]
        refs += [
            (link.source_key, link.line, "links to")
            for link in section.markdown.links
            if link.source_key is not None
        ]
        narrative = {(c.key, c.line) for c in section.markdown.citations if c.narrative}
        for key, line, verb in refs:
            if (key, line) in narrative and not closest(key, ids):
                continue  # `@handle` in prose, like no source: shown as typed, not a citation
            if key not in ctx.sources:
                yield error(
                    "unknown-source",
                    section.file,
                    line,
                    f"{verb} '@{key}', which is not in {SOURCES_FILE}",
                    did_you_mean(key, ids) or f"add a source with 'id: {key}' to {SOURCES_FILE}",
                )


@rule
def duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """Two sources sharing an id."""
    first: dict[str, int | None] = {}
    for source in ctx.review.sources:
        if source.id in first:
            yield error(
                "duplicate-id",
                SOURCES_FILE,
                source.line_of("id"),
                f"source id '{source.id}' is used twice",
                f"the first is at line {first[source.id]}: merge them or rename one",
            )
        else:
            first[source.id] = source.line_of("id")


@rule
def unused_sources(ctx: Context) -> Iterator[Problem]:
    """A source that nothing cites or links."""
    used = set()
    for section in ctx.review.texts:
        used.update(c.key for c in section.markdown.citations)
        used.update(link.source_key for link in section.markdown.links)
    reported = set()
    for source in ctx.review.sources:
        if source.id not in used and source.id not in reported:
            reported.add(source.id)
            yield warning(
                "unused-source",
                SOURCES_FILE,
                source.line,
                f"source '{source.id}' is never cited or linked",
                f"cite it with [@{source.id}], link it with [text](@{source.id}), or remove it",
            )


_LEFTOVER = re.compile(
    rf"\[\s*-?@|\]\(@|\^\[|\[\^(?P<note>[^\]\s]+)\]|(?<![\w@.])@(?P<key>{KEY})"
)
_FORMS = (
    "write [@key], [@key, p. 4], [see @a; @b] or [-@key]; a key starts with a letter, digit "
    "or _ and the brackets close on the same paragraph"
)


@rule
def unparsed_citations(ctx: Context) -> Iterator[Problem]:
    """Text that still looks like citation or note syntax after parsing: it would print."""
    for section in ctx.review.texts:
        markdown = section.markdown
        for text in markdown.texts:
            for match in _LEFTOVER.finditer(text.text):
                if match["note"] is not None:
                    label = match["note"]
                    if label in markdown.note_definitions:
                        message = f"note reference '[^{label}]' is not read as a note"
                        yield _unparsed(section.file, text.line, message)
                        continue
                    yield error(
                        "unknown-note",
                        section.file,
                        text.line,
                        f"note reference '[^{label}]' has no definition",
                        did_you_mean(label, markdown.note_definitions)
                        or f"add a line '[^{label}]: the note text' below the paragraph",
                    )
                elif match["key"] is not None:
                    if clean_key(match["key"]) in ctx.sources:
                        message = f"'@{clean_key(match['key'])}' is not read as a citation"
                        yield _unparsed(section.file, text.line, message)
                else:
                    message = f"'{match[0]}…' is not read as a citation or note"
                    yield _unparsed(section.file, text.line, message)


def _unparsed(file: str, line: int, message: str) -> Problem:
    return warning("unparsed-citation", file, line, f"{message}: it would print as typed", _FORMS)


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

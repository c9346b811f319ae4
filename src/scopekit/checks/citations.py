"""Citations: every key names a source, ids are unique, every source is used."""

from __future__ import annotations

from collections.abc import Iterator

from scopekit.checks.fields import did_you_mean
from scopekit.checks.registry import Context, rule
from scopekit.problems import Problem, error, warning
from scopekit.review.model import SOURCES_FILE


@rule
def unknown_sources(ctx: Context) -> Iterator[Problem]:
    """A citation or source link naming no source."""
    ids = list(ctx.sources)
    for section in ctx.review.sections:
        refs = [(c.key, c.line, "cites") for c in section.markdown.citations]
        refs += [
            (link.source_key, link.line, "links to")
            for link in section.markdown.links
            if link.source_key is not None
        ]
        for key, line, verb in refs:
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
    for section in ctx.review.sections:
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

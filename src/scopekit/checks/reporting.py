"""The flow of records and the evidence table add up: `flow-mismatch` when review.yaml's
`screening: counts` do not (`scopekit.reporting.flow` does the sums); `uncharted-source`
for a cited source without an evidence-table row, `unknown-field` for a cell of a column
review.yaml does not name."""

from __future__ import annotations

from collections.abc import Iterator

from scopekit.checks.fields import did_you_mean
from scopekit.checks.registry import Context, rule
from scopekit.problems import Problem, warning
from scopekit.reporting.evidence import uncharted
from scopekit.reporting.flow import flow_of
from scopekit.review.model import REVIEW_FILE, SOURCES_FILE
from scopekit.review.yaml_reader import YamlMap


@rule
def flow_mismatch(ctx: Context) -> Iterator[Problem]:
    """The flow diagram's counts do not add up, each sum at the line of its count."""
    flow = flow_of(ctx.review)
    if flow is None:
        return
    for name, message, hint in flow.mismatches():
        yield warning("flow-mismatch", REVIEW_FILE, flow.lines.get(name, flow.line), message, hint)


@rule
def uncharted_sources(ctx: Context) -> Iterator[Problem]:
    """A cited or linked source with no `charting:` row, when there is an evidence table."""
    for source in uncharted(ctx.review):
        yield warning(
            "uncharted-source",
            SOURCES_FILE,
            source.line,
            f"source '{source.id}' is cited but has no row in the evidence table",
            "add 'charting:' to the source with one line per column of review.yaml's "
            "'charting: columns'",
        )


@rule
def charting_columns(ctx: Context) -> Iterator[Problem]:
    """A source's charting cell under a column review.yaml's `charting: columns` lacks."""
    charting = ctx.review.meta.charting
    columns = charting.columns if charting else []
    for source in ctx.review.sources:
        cells = source.raw.get("charting")
        if not isinstance(cells, YamlMap):
            continue
        for key in cells:
            if str(key) not in columns:
                yield warning(
                    "unknown-field",
                    SOURCES_FILE,
                    cells.lines.get(key, source.line),
                    f"source '{source.id}': charting column '{key}' is not in review.yaml's "
                    "'charting: columns'",
                    did_you_mean(str(key), columns)
                    or (
                        f"columns: {', '.join(columns)}"
                        if columns
                        else "add 'charting: columns:' to review.yaml"
                    ),
                )

"""The flow of records and the evidence table add up: `flow-mismatch` when review.yaml's
`screening: counts` do not (`scopekit.reporting.flow` does the sums)."""

from __future__ import annotations

from collections.abc import Iterator

from scopekit.checks.registry import Context, rule
from scopekit.problems import Problem, warning
from scopekit.reporting.flow import flow_of
from scopekit.review.model import REVIEW_FILE


@rule
def flow_mismatch(ctx: Context) -> Iterator[Problem]:
    """The flow diagram's counts do not add up, each sum at the line of its count."""
    flow = flow_of(ctx.review)
    if flow is None:
        return
    for name, message, hint in flow.mismatches():
        yield warning("flow-mismatch", REVIEW_FILE, flow.lines.get(name, flow.line), message, hint)

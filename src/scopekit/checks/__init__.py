"""`scopekit check`: small independent rules over a loaded review, each yielding problems.

A rule is a function `rule(ctx) -> Iterable[Problem]` registered with `@rule`
(checks/registry.py) in one of the rule families imported below. All rules run, every problem
is collected, and the report (`Report`, kept in problems.py beside the problems it counts)
decides the exit status once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

# The rule families: each registers its rules with @rule as it is imported.
from scopekit.checks import (  # noqa: F401
    citations,
    critic,
    dates,
    fields,
    links,
    prose,
    reporting,
)
from scopekit.checks.registry import RULES, Context
from scopekit.errors import ReviewUnreadable
from scopekit.problems import Problem, Report
from scopekit.review import Review, load_review
from scopekit.review.model import REVIEW_FILE, SEARCHES_FILE, SOURCES_FILE


def check_review(review: Review, today: date, extra: Iterable[Problem] = ()) -> list[Problem]:
    """Run every rule on a loaded review; return the problems, and any `extra` ones (the
    `reporting-item` warnings of `check --reporting`), in file, line and position order."""
    ctx = Context(review, today)
    problems = [problem for check in RULES for problem in check(ctx)] + list(extra)
    order = {REVIEW_FILE: 0, SEARCHES_FILE: 10**6, SOURCES_FILE: 10**6 + 1}
    for index, section in enumerate(review.sections, start=1):
        order.setdefault(section.file, index)
    return sorted(  # on one line, in the order they stand there
        problems,
        key=lambda p: (order.get(p.file or "", -1), p.line or 0, p.position, p.code, p.message),
    )


def check_folder(folder: str | Path, today: date) -> Report:
    """Load and check the review in `folder` (unreadable: one `unreadable` problem)."""
    try:
        review = load_review(folder)
    except ReviewUnreadable as exc:
        return Report.of_unreadable(folder, exc.problem)
    return Report(Path(folder), check_review(review, today))

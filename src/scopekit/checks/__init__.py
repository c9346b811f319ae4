"""`scopekit check`: small independent rules over a loaded review, each yielding problems.

A rule is a function `rule(ctx) -> Iterable[Problem]` registered with `@rule`. All rules run,
every problem is collected, and the report (`Report`, kept in problems.py beside the problems it
counts) decides the exit status once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from scopekit.errors import ReviewUnreadable
from scopekit.problems import Problem, Report
from scopekit.review import Review, load_review
from scopekit.review.model import REVIEW_FILE, SEARCHES_FILE, SOURCES_FILE


@dataclass
class Context:
    """What every rule may look at: the review, today's date, and shared lookups."""

    review: Review
    today: date
    sources: dict = field(init=False)

    def __post_init__(self) -> None:
        self.sources = self.review.source_index()


Rule = Callable[[Context], Iterable[Problem]]
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    """Register a check rule."""
    RULES.append(function)
    return function


def check_review(review: Review, today: date) -> list[Problem]:
    """Run every rule on a loaded review; return the problems in file and line order."""
    from scopekit.checks import citations, dates, fields, links, prose  # noqa: F401  (registers)

    ctx = Context(review, today)
    problems = [problem for check in RULES for problem in check(ctx)]
    order = {REVIEW_FILE: 0, SEARCHES_FILE: 10**6, SOURCES_FILE: 10**6 + 1}
    for index, section in enumerate(review.sections, start=1):
        order.setdefault(section.file, index)
    return sorted(
        problems,
        key=lambda p: (order.get(p.file or "", -1), p.line or 0, p.code, p.message),
    )


def check_folder(folder: str | Path, today: date) -> Report:
    """Load and check the review in `folder` (unreadable: one `unreadable` problem)."""
    try:
        review = load_review(folder)
    except ReviewUnreadable as exc:
        return Report(Path(folder), [exc.problem], unreadable=True)
    return Report(Path(folder), check_review(review, today))

"""How a check rule is declared: the `Context` it reads, and `@rule`, which adds it to `RULES`.

Each rule family (checks/fields.py, citations.py, dates.py, links.py, prose.py) declares its
rules with `@rule`. `scopekit.checks` imports every family once, at its top, so `RULES` holds
every rule whenever `check_review` can be called; a new family is added to that import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from scopekit.problems import Problem
from scopekit.review import Review


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

"""One exception tree for scopekit; the CLI maps each class to a message and exit code."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scopekit.problems import Problem


class ScopekitError(Exception):
    """Base of every error scopekit raises on purpose."""

    exit_code = 2


class UsageError(ScopekitError):
    """The command was called wrongly (bad option value, bad environment)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ReviewUnreadable(ScopekitError):
    """The review folder cannot be read at all; carries the `unreadable` problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem

"""Problems found in a review, the one currency of `check`, and the report of one check."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    """How bad a problem is: errors fail `check`, warnings only with `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a review, with the place it was found and how to fix it."""

    severity: Severity
    code: str
    file: str | None
    line: int | None
    message: str
    hint: str | None = None
    # where on its line (an order, not printed): problems of one line sort by it
    position: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict:
        """The problem as in `check --json`."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "position"}
        data["severity"] = self.severity.value
        return data


def error(
    code: str,
    file: str | None,
    line: int | None,
    message: str,
    hint: str | None = None,
    position: tuple[int, ...] = (),
) -> Problem:
    """An error-severity problem."""
    return Problem(Severity.ERROR, code, file, line, message, hint, position)


def warning(
    code: str,
    file: str | None,
    line: int | None,
    message: str,
    hint: str | None = None,
    position: tuple[int, ...] = (),
) -> Problem:
    """A warning-severity problem."""
    return Problem(Severity.WARNING, code, file, line, message, hint, position)


@dataclass
class Report:
    """The outcome of checking one review folder."""

    folder: Path
    problems: list[Problem]
    unreadable: bool = False

    @classmethod
    def of_unreadable(cls, folder: str | Path, problem: Problem) -> Report:
        """The report on a review that cannot be read: its one `unreadable` problem."""
        return cls(Path(folder), [problem], unreadable=True)

    @property
    def errors(self) -> int:
        """How many problems are errors."""
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        """How many problems are warnings."""
        return sum(p.severity is Severity.WARNING for p in self.problems)

    def exit_code(self, strict: bool = False) -> int:
        """2 unreadable, 1 errors (or warnings when strict), else 0."""
        if self.unreadable:
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def to_dict(self) -> dict:
        """The report as `check --json` prints it."""
        return {
            "problems": [p.to_dict() for p in self.problems],
            "errors": self.errors,
            "warnings": self.warnings,
        }

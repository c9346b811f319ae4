"""Problems found in a review: the one currency of `check`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum


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

    def to_dict(self) -> dict:
        """The problem as in `check --json`."""
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def error(code: str, file: str | None, line: int | None, message: str, hint: str | None = None):
    """An error-severity problem."""
    return Problem(Severity.ERROR, code, file, line, message, hint)


def warning(code: str, file: str | None, line: int | None, message: str, hint: str | None = None):
    """A warning-severity problem."""
    return Problem(Severity.WARNING, code, file, line, message, hint)

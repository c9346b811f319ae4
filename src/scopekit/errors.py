"""One exception tree for scopekit; the CLI maps each class to a message and exit code.

ScopekitError                 message + hint; exit_code
├── UsageError                bad option or environment value (2)
├── ReviewUnreadable          the review cannot be read at all (2), carries the problem
├── DocumentUnreadable        a Word document to import cannot be read (2)
├── OutputError               an output cannot be written (2)
├── StyleError                a citation or house style cannot be found or read (1)
├── ChangedByHand             an output was edited since scopekit wrote it (1)
├── BuildBlocked              the review has errors: nothing built (1)
└── NoNetwork                 check-links reached no host at all (3)
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from scopekit.problems import Problem, Report


class ScopekitError(Exception):
    """Base of every error scopekit raises on purpose: a message, a hint, an exit status."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self):
        """Pickled whole (hint and every attribute of a subclass), as a worker process of a
        library build sends it back: not remade from the message alone."""
        return (_remade, (type(self), self.args, self.__dict__))


def _remade(cls: type[ScopekitError], args: tuple, state: dict) -> ScopekitError:
    """A ScopekitError from its pickled parts, without calling its __init__ again."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class UsageError(ScopekitError):
    """The command was called wrongly (bad option value, bad environment)."""


class ReviewUnreadable(ScopekitError):
    """The review folder cannot be read at all; carries the `unreadable` problem."""

    def __init__(self, problem: Problem, folder: str | None = None) -> None:
        super().__init__(problem.message, problem.hint)
        self.problem = problem
        self.folder = folder  # the review folder as given, when known: FOLDER/FILE:LINE


class DocumentUnreadable(ScopekitError):
    """A document given to `scopekit import` is missing, not a DOCX, or damaged."""


class OutputError(ScopekitError):
    """An output cannot be written (folder cannot be made, permission, disk full)."""


class StyleError(ScopekitError):
    """A citation style or house style that cannot be found or read."""

    exit_code = 1


class ChangedByHand(ScopekitError):
    """An output was edited since scopekit wrote it; it is kept unless forced."""

    exit_code = 1

    def __init__(self, path: Path, review: Path | None = None) -> None:
        hint = "keep your edits elsewhere, or run with --force to replace it"
        if path.suffix.lower() == ".docx":
            where = f" {shlex.quote(str(review))}" if review is not None else ""
            hint = (
                "bring the Word edits into the review with: scopekit merge "
                f"{shlex.quote(str(path))}{where} "
                "(then build again), or run with --force to replace it"
            )
        super().__init__(
            f"{path} was changed since scopekit wrote it (or was not written by scopekit); "
            "not overwritten",
            hint,
        )
        self.path = path


class BuildBlocked(ScopekitError):
    """The review has errors or pending changes, so nothing was built (unless --force)."""

    exit_code = 1

    def __init__(self, report: Report, blocking: list[Problem]) -> None:
        self.blocking = blocking  # what stopped it: the errors, and warnings build refuses
        pending = len(blocking) - report.errors
        if report.errors or not pending:
            errors = report.errors
            reason, fix = f"{errors} error{'' if errors == 1 else 's'}", "fix them"
        else:
            changes = "change" if pending == 1 else "changes"
            reason = f"{pending} pending {changes} (CriticMarkup or conflicts from merge)"
            fix = "accept or reject them"
        super().__init__(
            f"{reason} in the review: nothing built", f"{fix}, or use --force to build anyway"
        )
        self.report = report
        self.reason = f"{reason}: nothing built ({fix}, or use --force to build anyway)"


class NoNetwork(ScopekitError):
    """check-links got no HTTP answer at all and failed only at DNS or connection level."""

    exit_code = 3

"""Everything a command prints about errors and problems, in one place, and their exit status.

A problem is one line, `REVIEW/FILE:LINE: severity[code] message`, with its hint indented below;
a check report ends with a summary line (`NAME: 1 error, 0 warnings`). An error is
`scopekit: error: message` on stderr, its hint below, except a review that cannot be read:
that is shown as its `unreadable` problem, as `check` shows it, wherever it comes up.
`command_errors()` turns every error a command lets through into those lines and its exit
status, so the commands only catch what they report in a form of their own.
"""

from __future__ import annotations

import os
import shlex
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from scopekit.errors import BuildBlocked, ReviewUnreadable, ScopekitError
from scopekit.problems import Problem, Report, Severity

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def say(error: ScopekitError, prefix: str = "") -> None:
    """An error on stderr, `scopekit: PREFIXmessage`, its hint indented below."""
    typer.echo(f"scopekit: {prefix}{error.message}", err=True)
    if error.hint:
        typer.echo(f"    hint: {error.hint}", err=True)


def say_warning(warning: str) -> None:
    """A warning on stderr, `scopekit: warning: …`."""
    typer.echo(f"scopekit: warning: {warning}", err=True)


def shell_path(path: str | Path) -> str:
    """A path as it can be pasted into a shell: quoted when it holds a space or a quote."""
    return shlex.quote(str(path))


def print_next(steps: list[str]) -> None:
    """`Next:` and the numbered steps a command suggests (paths in them `shell_path`ed)."""
    typer.echo("Next:")
    for number, step in enumerate(steps, 1):
        typer.echo(f"  {number}. {step}")


def say_cut_off(unchecked: int, answered: int) -> None:
    """check-links with only local servers answering: why the other links were not judged."""
    typer.echo(
        f"scopekit: no network: {unchecked} external link{'' if unchecked == 1 else 's'} could "
        f"not be checked; {answered} local link{'' if answered == 1 else 's'} answered",
        err=True,
    )


def say_interrupted() -> None:
    """Ctrl-C: one line on stderr."""
    typer.echo("scopekit: interrupted", err=True)


def say_internal_error(exc: Exception) -> None:
    """An exception scopekit did not expect: a bug, said as one line with what to report."""
    typer.echo(
        f"scopekit: internal error: {type(exc).__name__}: {exc}. This is a bug in scopekit: "
        "please report it with the review folder (SCOPEKIT_DEBUG=1 shows the traceback).",
        err=True,
    )


def place(folder: str, file: str | None, line: int | None) -> str:
    """`REVIEW/FILE:LINE`, the place of something in a review as the text output shows it."""
    base = folder.rstrip("/\\") or folder
    if file is None:
        where = base
    elif base in (".", ""):
        where = file
    else:
        where = os.path.join(base, file)
    return f"{where}:{line}" if line else where


def location(folder: str, problem: Problem) -> str:
    """`REVIEW/FILE:LINE` as the text output shows a problem's place."""
    return place(folder, problem.file, problem.line)


def print_problem(problem: Problem, folder: str, err: bool = False) -> None:
    """One problem, `REVIEW/FILE:LINE: severity[code] message`, its hint indented below."""
    severity = typer.style(problem.severity.value, fg=_COLOURS[problem.severity], bold=True)
    typer.echo(
        f"{location(folder, problem)}: {severity}[{problem.code}] {problem.message}", err=err
    )
    if problem.hint:
        typer.echo(f"    hint: {problem.hint}", err=err)


def print_problems(report: Report, folder: str, err: bool = False) -> None:
    """Each problem on one line, `REVIEW/FILE:LINE: severity[code] message`, hint below."""
    for problem in report.problems:
        print_problem(problem, folder, err)


def print_report(report: Report, folder: str, err: bool = False) -> None:
    """Each problem on one line with its hint below it, then a one-line summary."""
    print_problems(report, folder, err)
    typer.echo(summary(report, Path(folder)), err=err)


def folder_name(folder: str | Path) -> str:
    """A review folder as the messages name it: its own name ("My Review"), also when it is
    given as `.` (the summary of `check`, a blocked build, `serve`); a file given for the
    folder as it was typed (`reviews/x/review.yaml`, not `review.yaml`)."""
    path = Path(folder)
    if path.is_file():
        return str(folder)
    return path.name or path.resolve().name or str(folder)


def summary(report: Report, folder: Path) -> str:
    """`NAME: 2 errors, 3 warnings` (or `no problems`)."""
    name = folder_name(folder)
    if report.unreadable:
        return f"{name}: cannot be read"
    if not report.problems:
        return f"{name}: no problems"
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    return f"{name}: {plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}"


def print_unreadable(
    error: ReviewUnreadable, folder: str | None = None, *, as_report: bool = False, err: bool = True
) -> None:
    """A review that cannot be read, as `check` shows it: `FOLDER/FILE:LINE: error[unreadable]
    message`, the hint below (on stderr unless `err` is False). `as_report` ends it with the
    report's summary, `NAME: cannot be read`, as a command whose output is a report on the
    folder does. Without a known folder: `scopekit: error: message`."""
    folder = folder if folder is not None else error.folder
    if folder is None:
        say(error, "error: ")
        return
    report = Report.of_unreadable(folder, error.problem)
    if as_report:
        print_report(report, folder, err)
    else:
        print_problems(report, folder, err)


def print_error(error: ScopekitError) -> None:
    """Any error a command let through, on stderr: an unreadable review as its problem,
    anything else `scopekit: error: message`, its hint below."""
    if isinstance(error, ReviewUnreadable):
        print_unreadable(error)
    else:
        say(error, "error: ")


def warnings_line(report: Report, folder: str) -> str | None:
    """`12 warnings (8 stale-accessed, 4 vague-link-text): run `scopekit check DIR` to list
    them`, the most frequent code first; None when there are none."""
    counts = Counter(p.code for p in report.problems if p.severity is Severity.WARNING)
    total = sum(counts.values())
    if not total:
        return None
    by_count = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    codes = ", ".join(f"{n} {code}" for code, n in by_count)
    plural, them = ("", "it") if total == 1 else ("s", "them")
    return (
        f"{total} warning{plural} ({codes}): run `scopekit check {shell_path(folder)}` "
        f"to list {them}"
    )


def print_checked(
    report: Report, folder: str, verbose: bool = False, shown: list[Problem] | None = None
) -> None:
    """What `build` says of its check: the problems `shown` in full (default: the errors;
    for a blocked build, those that stopped it), the other warnings as one line by code
    (`verbose`: every problem, as `check` prints them)."""
    if verbose:
        print_problems(report, folder)
        return
    if shown is None:
        shown = [p for p in report.problems if p.severity is Severity.ERROR]
    for problem in shown:
        print_problem(problem, folder)
    line = warnings_line(report, folder)
    if line:
        typer.echo(line)


def print_written(format_name: str, path: Path, status: str, warnings: list[str]) -> None:
    """One line per output a build wrote or reused, with what its renderer warned of."""
    typer.echo(f"{format_name:<5} {path}  ({status})")
    for warning in warnings:
        typer.echo(f"    warning: {warning}")


def print_library_done(built: int, total: int, index: Path | None) -> None:
    """The last line of a library build: how many reviews were built, and the index."""
    if index is None:
        typer.echo(f"{built} of {total} reviews built; index not written")
    else:
        typer.echo(f"index {index}  ({built} of {total} reviews built)")


def print_blocked(blocked: BuildBlocked, folder: str, verbose: bool = False) -> None:
    """A build stopped by errors: the problems, then what happened and what to do on stderr."""
    print_checked(blocked.report, folder, verbose, blocked.blocking)
    typer.echo(f"{folder_name(folder)}: {blocked.reason}", err=True)


def print_not_built(error: ScopekitError, folder: str, verbose: bool = False) -> None:
    """Why one review of a library was not built (the other reviews are built all the same)."""
    if isinstance(error, BuildBlocked):
        print_checked(error.report, folder, verbose, error.blocking)
    if isinstance(error, ReviewUnreadable):
        print_unreadable(error, folder)
        typer.echo(f"scopekit: {folder}: not built", err=True)
    else:
        say(error, f"{folder}: not built: ")


@contextmanager
def command_errors() -> Iterator[None]:
    """Turn scopekit's own errors into lines on stderr (`print_error`) and their exit status
    (Ctrl-C: 130). Each command imports its module inside it: typer turns a Ctrl-C outside
    it into exit status 130 without a word."""
    try:
        yield
    except ScopekitError as exc:
        print_error(exc)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        say_interrupted()
        raise typer.Exit(130) from None

"""`scopekit check`: lint a review and print every problem, as text or JSON."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

from scopekit.checks import Report, check_folder
from scopekit.dates import today
from scopekit.problems import Problem, Severity

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow"}


def run(folder: str, strict: bool = False, as_json: bool = False) -> int:
    """Check the review in `folder`, print the report, and return the exit status."""
    report = check_folder(folder, today())
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report, folder)
    return report.exit_code(strict)


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


def print_report(report: Report, folder: str, err: bool = False) -> None:
    """Each problem on one line with its hint below it, then a one-line summary."""
    print_problems(report, folder, err)
    typer.echo(summary(report, Path(folder)), err=err)


def print_problems(report: Report, folder: str, err: bool = False) -> None:
    """Each problem on one line, `REVIEW/FILE:LINE: severity[code] message`, hint below."""
    for problem in report.problems:
        print_problem(problem, folder, err)


def print_problem(problem: Problem, folder: str, err: bool = False) -> None:
    """One problem, `REVIEW/FILE:LINE: severity[code] message`, its hint indented below."""
    severity = typer.style(problem.severity.value, fg=_COLOURS[problem.severity], bold=True)
    typer.echo(
        f"{location(folder, problem)}: {severity}[{problem.code}] {problem.message}", err=err
    )
    if problem.hint:
        typer.echo(f"    hint: {problem.hint}", err=err)


def summary(report: Report, folder: Path) -> str:
    """`NAME: 2 errors, 3 warnings` (or `no problems`)."""
    name = folder.name or folder.resolve().name or str(folder)
    if report.unreadable:
        return f"{name}: cannot be read"
    if not report.problems:
        return f"{name}: no problems"
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"  # noqa: E731
    return f"{name}: {plural(report.errors, 'error')}, {plural(report.warnings, 'warning')}"

"""`scopekit check`: lint a review and print every problem, as text (commands/output.py) or JSON."""

from __future__ import annotations

import json

import typer

from scopekit.checks import check_folder
from scopekit.commands.output import print_report
from scopekit.isodates import today


def run(folder: str, strict: bool = False, as_json: bool = False) -> int:
    """Check the review in `folder`, print the report, and return the exit status."""
    report = check_folder(folder, today())
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report, folder)
    return report.exit_code(strict)

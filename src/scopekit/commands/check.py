"""`scopekit check`: lint a review and print every problem, as text (commands/output.py) or JSON.

With `--reporting`, the reporting table (`scopekit.reporting`) too: printed before the
problems, or under the `reporting` key of the JSON; its missing items are `reporting-item`
warnings among the problems.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from scopekit.checks import check_folder, check_review
from scopekit.commands.output import print_report
from scopekit.errors import ReviewUnreadable
from scopekit.isodates import today
from scopekit.problems import Report
from scopekit.review import load_review


def run(folder: str, strict: bool = False, as_json: bool = False, reporting: bool = False) -> int:
    """Check the review in `folder`, print the report, and return the exit status."""
    if not reporting:
        report = check_folder(folder, today())
        if as_json:
            typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            print_report(report, folder)
        return report.exit_code(strict)
    from scopekit.commands.reporting_table import print_table
    from scopekit.reporting.table import assess

    try:
        review = load_review(folder)
    except ReviewUnreadable as exc:
        report, table = Report.of_unreadable(folder, exc.problem), None
    else:
        table = assess(review)
        report = Report(Path(folder), check_review(review, today(), table.problems()))
    if as_json:
        data = report.to_dict()
        data["reporting"] = table.to_dict() if table else None
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        if table:
            print_table(table, folder)
        print_report(report, folder)
    return report.exit_code(strict)

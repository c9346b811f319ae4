"""`scopekit import`: turn a Word briefing into a review folder and print the import report."""

from __future__ import annotations

import os
import re

import typer

from scopekit.commands.output import print_next, shell_path
from scopekit.importer import ImportReport, import_docx
from scopekit.importer.model import Issue

_PLACE = re.compile(r"^(paragraph|note) (\d+)")


def _order(issue: Issue) -> tuple[int, int]:
    """Paragraphs in order, then notes in order, then the rest."""
    match = _PLACE.match(issue.place)
    if match is None:
        return 2, 0
    return (0 if match[1] == "paragraph" else 1), int(match[2])


def summary(report: ImportReport) -> list[str]:
    """The counts, as a few lines."""
    n = report.counts
    typed = f", {n['typed']} typed as text" if n.get("typed") else ""
    notes = f"{n['notes']} notes ({n['footnotes']} footnotes, {n['endnotes']} endnotes{typed})"
    sources = (
        f"{n['sources']} sources: {n['from notes']} from notes, {n['from links']} from links"
        + (f", {n['from Other sources']} from Other sources" if n["from Other sources"] else "")
        + f"; {n['placeholders']} placeholders (URL to be added), {n['merged']} merged"
    )
    text = (
        f"{n['paragraphs']} paragraphs, {n['list items']} list items, {n['tables']} tables "
        f"in {n['sections']} sections ({n['subsections']} subsections)"
    )
    return [text, notes, sources, f"{n['back-references']} back-references"]


def print_report(report: ImportReport) -> None:
    """Counts, merges, back-references, then every guess or loss with its place."""
    typer.echo(f"Imported {report.docx} into {report.folder}/: {', '.join(report.files)}")
    for line in summary(report):
        typer.echo(f"  {line}")
    for title, lines in (
        ("Merged (same URL)", report.merged),
        ("Back-references", report.back_references),
    ):
        if lines:
            typer.echo(f"{title}:")
            for line in lines:
                typer.echo(f"  {line}")
    if report.issues:
        typer.echo(f"Guesses and losses to check ({len(report.issues)}):")
        for issue in sorted(report.issues, key=_order):
            typer.echo(f"  {issue.place}: {issue.message}")
    folder = shell_path(report.folder)
    searches = shell_path(os.path.join(report.folder, "searches.yaml"))
    searches_step = (
        f"check the {report.searches_read} searches read back into {searches} (ids made "
        "from 'where'; the table had no notes)"
        if report.searches_read
        else f"record the searches in {searches}"
    )
    print_next(
        [
            f"scopekit check {folder}  (placeholders, TODOs and guesses to fill in)",
            searches_step,
            f"scopekit build {folder}",
        ]
    )


def run(docx: str, folder: str) -> int:
    """Import the document; print the report."""
    print_report(import_docx(docx, folder))
    return 0

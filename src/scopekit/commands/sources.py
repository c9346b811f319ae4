"""`scopekit sources …`: fill in what pages say (`fill`)."""

from __future__ import annotations

import typer

from scopekit.commands.output import say_warning
from scopekit.errors import NoNetwork
from scopekit.filling import FillReport, fill_sources
from scopekit.review.model import SOURCES_FILE


def fill(folder: str, apply: bool) -> int:
    """Propose (or, with `apply`, write) metadata for the sources that guessed or lack it."""
    report = fill_sources(folder, apply=apply)
    if report.no_network:
        raise NoNetwork(
            f"no network: none of the {len(report.failed)} page(s) got an answer; nothing filled"
        )
    print_fill(report, apply)
    return report.exit_code


def print_fill(report: FillReport, apply: bool) -> None:
    """Each value found and where, the diff, what could not be read, then a summary."""
    for change in report.changes:
        old = f"“{change.old}”" if change.old is not None else "(none)"
        typer.echo(
            f"source '{change.source_id}': {change.key}: {old} → “{change.new}”"
            f"   (from {change.origin})"
        )
    if report.diff:
        typer.echo(report.diff, nl=not report.diff.endswith("\n"))
    for failed in report.failed:
        typer.echo(f"not read: source '{failed.input}': {failed.message}")
    for warning in report.unset:
        say_warning(warning)
    sources = len({change.source_id for change in report.changes})
    counted = f"{len(report.changes)} value(s) for {sources} source(s)"
    if not report.looked_at:
        typer.echo(f"{SOURCES_FILE}: no source has a guessed title or publisher, or lacks one")
    elif report.written:
        typer.echo(f"{SOURCES_FILE}: {counted} filled")
    elif report.changes:
        typer.echo(f"{SOURCES_FILE}: {counted} proposed; run with --apply to write them")
    else:
        typer.echo(f"{SOURCES_FILE}: {report.looked_at} source(s) read, nothing new to fill")

"""`scopekit sources …`: fill in what pages say (`fill`), import and export (Zotero)."""

from __future__ import annotations

import typer

from scopekit.commands.output import say_warning
from scopekit.errors import NoNetwork
from scopekit.exchanging import ImportReport, export_sources, import_sources
from scopekit.filling import FillReport, fill_sources
from scopekit.review.model import SOURCES_FILE


def fill(folder: str, apply: bool) -> int:
    """Propose (or, with `apply`, write) metadata for the sources that guessed or lack it."""
    report = fill_sources(folder, apply=apply)
    if report.no_network and len(report.failed) == report.looked_at:
        raise NoNetwork(
            f"no network: none of the {len(report.failed)} page(s) got an answer; nothing filled"
        )
    print_fill(report, apply)
    if report.no_network:
        typer.echo(
            f"scopekit: no network: {len(report.failed)} of {report.looked_at} page(s) got no "
            "answer (every one a lookup or connection failure); nothing filled",
            err=True,
        )
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


def import_file(file: str, folder: str, dry_run: bool) -> int:
    """Merge a CSL-JSON, BibTeX or RIS file into sources.yaml; print what was done."""
    report = import_sources(folder, file, dry_run=dry_run)
    print_import(report, file, dry_run)
    return 0


def print_import(report: ImportReport, file: str, dry_run: bool) -> None:
    """New sources, merges, renames and notes, then a summary line."""
    verb = "would add" if dry_run else "added"
    for source_id in report.added:
        typer.echo(f"{verb} '{source_id}'")
    for merged in report.merged:
        what = f"added {', '.join(merged.added)}" if merged.added else "nothing new"
        typer.echo(f"already there as '{merged.id}' (same DOI or URL): {what}")
        if merged.differing:
            typer.echo(
                f"    kept as written in {SOURCES_FILE}: {', '.join(merged.differing)} "
                "(the file says otherwise)"
            )
    for wanted, given in report.renamed:
        typer.echo(f"id '{wanted}' is taken or cannot be cited as [@{wanted}]: added as '{given}'")
    for note in report.notes:
        typer.echo(f"note: {note}")
    tail = " (dry run: nothing written)" if dry_run else ""
    changed = sum(1 for merged in report.merged if merged.added)
    parts = [f"{len(report.added)} added"]
    if changed:
        parts.append(f"{changed} merged")
    if len(report.merged) > changed:
        parts.append(f"{len(report.merged) - changed} already there")
    if not report.added and not changed:
        parts.append("nothing new")
    typer.echo(f"{SOURCES_FILE}: {', '.join(parts)} from {file} ({report.format}){tail}")


def export(folder: str, fmt: str, cited: bool, out: str | None) -> int:
    """Write the sources in `fmt` to `out`, or print them."""
    text, count = export_sources(folder, fmt, cited=cited, out=out)
    if out is None:
        typer.echo(text, nl=False)
    else:
        typer.echo(f"{out}: {count} source(s) written as {fmt}", err=True)
    return 0

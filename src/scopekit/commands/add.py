"""`scopekit add`: fetch pages and DOIs, append them to sources.yaml, say what was found."""

from __future__ import annotations

import json

import typer

from scopekit.adding import Added, AddReport, add_sources
from scopekit.commands.output import say_warning
from scopekit.errors import NoNetwork
from scopekit.review.model import SOURCES_FILE

_SHOWN = ("type", "title", "author", "container-title", "publisher", "issued", "DOI", "URL")


def run(inputs: list[str], folder: str, source_id: str | None, dry_run: bool, as_json: bool) -> int:
    """Add each URL or DOI to the review in `folder`; print what happened; the exit status."""
    report = add_sources(folder, inputs, source_id=source_id, dry_run=dry_run)
    if report.no_network:
        raise NoNetwork(
            f"no network: none of the {len(report.failed)} address(es) got an answer "
            "(every lookup or connection failed); nothing added"
        )
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    for warning in report.warnings:
        say_warning(warning)
    return report.exit_code


def _value(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(
            name.get("literal") or " ".join(filter(None, (name.get("given"), name.get("family"))))
            for name in value
            if isinstance(name, dict)
        )
    return str(value)


def print_added(added: Added, dry_run: bool) -> None:
    """One new source: its id and type, each value and where it was read, the guesses."""
    verb = "would add" if dry_run else "added"
    typer.echo(f"{verb} '{added.id}' ({added.item.get('type')}): {added.input}")
    for key in _SHOWN:
        if key in added.item:
            where = added.origins.get(key)
            tail = f"   (from {where})" if where else ""
            typer.echo(f"    {key}: {_value(added.item[key])}{tail}")
    for guess in added.guessed:
        typer.echo(f"    guessed: {guess}: check it")
    for note in added.notes:
        typer.echo(f"    note: {note}")


def print_report(report: AddReport) -> None:
    """Every argument's outcome, then one summary line."""
    for added in report.added:
        print_added(added, report.dry_run)
    for refused in report.refused:
        typer.echo(
            f"already there: {refused.input} is source '{refused.id}' in {SOURCES_FILE}"
            f" ({refused.url}); not added"
        )
    for failed in report.failed:
        typer.echo(f"not read: {failed.input}: {failed.message}")
    parts = [f"{len(report.added)} {'to add' if report.dry_run else 'added'}"]
    if report.refused:
        parts.append(f"{len(report.refused)} already there")
    if report.failed:
        parts.append(f"{len(report.failed)} could not be read")
    tail = " (dry run: nothing written)" if report.dry_run else ""
    if not report.dry_run and not report.written:
        tail = " (nothing written)"
    typer.echo(f"{SOURCES_FILE}: {', '.join(parts)}{tail}")

"""`scopekit new`: start the next review folder and say what to do next."""

from __future__ import annotations

import typer

from scopekit.isodates import today
from scopekit.starter import new_review


def run(folder: str, title: str | None, author: str | None, from_review: str | None) -> int:
    """Create the review folder; print the files and the next steps."""
    written = new_review(folder, title, author, from_review, today())
    typer.echo(f"Created {folder}/ with " + ", ".join(p.name for p in written))
    typer.echo("Next:")
    typer.echo(f"  1. fill in the TODOs (`scopekit check {folder}` lists them)")
    typer.echo(f"  2. add your sources to {folder}/sources.yaml and cite them as [@id]")
    typer.echo(f"  3. scopekit build {folder}")
    return 0

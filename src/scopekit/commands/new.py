"""`scopekit new`: start the next review folder and say what to do next."""

from __future__ import annotations

import os

import typer

from scopekit.commands.output import print_next, shell_path
from scopekit.isodates import today
from scopekit.starter import new_review


def run(folder: str, title: str | None, author: str | None, from_review: str | None) -> int:
    """Create the review folder; print the files and the next steps."""
    written = new_review(folder, title, author, from_review, today())
    typer.echo(f"Created {folder}/ with " + ", ".join(p.name for p in written))
    sources = shell_path(os.path.join(folder, "sources.yaml"))
    print_next(
        [
            f"fill in the TODOs (`scopekit check {shell_path(folder)}` lists them)",
            f"add your sources to {sources} and cite them as [@id]",
            f"scopekit build {shell_path(folder)}",
        ]
    )
    return 0

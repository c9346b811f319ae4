"""One module per command: each turns parsed options into library calls and output."""

from __future__ import annotations

import typer

from scopekit.errors import ScopekitError


def say(error: ScopekitError, prefix: str = "") -> None:
    """An error on stderr, `scopekit: PREFIXmessage`, its hint indented below."""
    typer.echo(f"scopekit: {prefix}{error.message}", err=True)
    if error.hint:
        typer.echo(f"    hint: {error.hint}", err=True)

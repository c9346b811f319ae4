"""The command line: parse options and call the commands (commands/), which print through
commands/output.py and map every error to its message and exit status there.

`app` is the typer app; `main` the console-script entry point. Importing this package
registers every command (review_commands, source_commands)."""

from scopekit.cli import review_commands, source_commands
from scopekit.cli.app import app, main

__all__ = ["app", "main", "review_commands", "source_commands"]

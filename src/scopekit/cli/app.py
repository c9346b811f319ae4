"""The typer app, its shared argument types and options, and the console-script entry
point. The commands register on `app` in review_commands.py and source_commands.py."""

from __future__ import annotations

import copy
import os
import sys
from typing import Annotated, TextIO

import typer

from scopekit import __version__
from scopekit.commands.output import say_internal_error, say_interrupted

app = typer.Typer(
    name="scopekit",
    help="Build, check and publish rapid scoping review briefings.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

Folder = Annotated[
    str,
    typer.Argument(
        help="The review folder (default: the current folder).", metavar="DIR", show_default=False
    ),
]


class QuietWhenClosed:
    """A text stream (stdout, stderr) whose reader may leave early (`scopekit check | head -1`).

    The first write or flush that finds the pipe closed points the stream's file descriptor
    at os.devnull, so the command carries on silently and exits with its own status, as if its
    output had been read to the end (Python's recipe for SIGPIPE, without the exit 1).
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._closed = False

    def write(self, text: str) -> int:
        if not self._closed:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._silence()
        return len(text)

    def flush(self) -> None:
        if not self._closed:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._silence()

    def _silence(self) -> None:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, self._stream.fileno())
            finally:
                os.close(devnull)
        except (OSError, ValueError):  # no file descriptor: drop what is still written
            self._closed = True

    def __getattr__(self, name: str) -> object:
        if name == "buffer":  # click must write text through this wrapper, never around it
            raise AttributeError(name)
        return getattr(self._stream, name)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scopekit {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Build, check and publish rapid scoping review briefings.

    A review is a folder: review.yaml, Markdown sections, searches.yaml and sources.yaml.
    """


def only(whole: typer.Typer, name: str) -> typer.Typer:
    """`whole` with only the command `name`, when it is one (not a group such as `sources`):
    typer makes a click command of every function registered, about 10 ms for them all,
    where a run needs the one it runs. Anything else (`--help`, a typo) gets `whole`."""
    from typer.main import get_command_name

    chosen = [
        info
        for info in whole.registered_commands
        if (info.name or get_command_name(info.callback.__name__)) == name
    ]
    if len(chosen) != 1:
        return whole
    narrowed = copy.copy(whole)
    narrowed.registered_commands = chosen
    narrowed.registered_groups = []
    return narrowed


def main() -> None:
    """Console-script entry point: never shows a Python traceback unless SCOPEKIT_DEBUG is set."""
    sys.stdout = QuietWhenClosed(sys.stdout)
    sys.stderr = QuietWhenClosed(sys.stderr)
    try:
        only(app, sys.argv[1] if len(sys.argv) > 1 else "")(prog_name="scopekit")
    except KeyboardInterrupt:
        say_interrupted()
        sys.exit(130)
    except SystemExit as stop:
        if stop.code == 130 and _silent_interrupt(stop):
            say_interrupted()
        raise
    except Exception as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # Python 3.11, in a class's creation
            say_interrupted()
            sys.exit(130)
        if os.environ.get("SCOPEKIT_DEBUG"):
            raise
        say_internal_error(exc)
        sys.exit(2)


def _silent_interrupt(stop: SystemExit) -> bool:
    """Whether typer ended a Ctrl-C with status 130 and no word: one outside any command's
    own handler (while it parses the command line) is raised as `Exit(130)` from the
    KeyboardInterrupt; a command's handler has said it already (its Exit has no cause)."""
    exit = stop.__context__
    return exit is not None and isinstance(exit.__cause__, KeyboardInterrupt)

"""The command line: parse options and call the commands (commands/), which print through
commands/output.py and map every error to its message and exit status there."""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, TextIO

import typer

from scopekit import __version__
from scopekit.commands.output import command_errors, say_internal_error, say_interrupted
from scopekit.formats import FORMATS
from scopekit.links.settings import DEFAULTS, Settings

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


@app.command()
def check(
    folder: Folder = ".",
    strict: Annotated[
        bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the problems as one JSON object.")
    ] = False,
    reporting: Annotated[
        bool,
        typer.Option(
            "--reporting",
            help="Add the reporting table (PRISMA-ScR, PRISMA-S, rapid review): each item, "
            "where it is reported, its status; missing items are reporting-item warnings.",
        ),
    ] = False,
) -> None:
    """Lint citations, dates, links and wording; report every problem with file and line.

    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 unreadable review.

    Example: scopekit check reviews/social-value --strict
    """
    from scopekit.commands import check as command

    with command_errors():
        code = command.run(folder, strict=strict, as_json=as_json, reporting=reporting)
    raise typer.Exit(code)


@app.command("check-links")
def check_links(
    folder: Folder = ".",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the results as one JSON object.")
    ] = False,
    concurrency: Annotated[
        int,
        typer.Option("--concurrency", min=1, metavar="N", help="Requests at once, over all hosts."),
    ] = DEFAULTS.concurrency,
    per_host: Annotated[
        int, typer.Option("--per-host", min=1, metavar="N", help="Requests at once to one host.")
    ] = DEFAULTS.per_host,
    delay: Annotated[
        float,
        typer.Option(
            "--delay",
            min=0.0,
            metavar="SECONDS",
            help="Seconds between the starts of requests on one per-host slot.",
        ),
    ] = DEFAULTS.delay,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", min=0.01, metavar="SECONDS", help="Seconds to wait for one answer."
        ),
    ] = DEFAULTS.timeout,
    max_age: Annotated[
        float,
        typer.Option(
            "--max-age",
            min=0.0,
            metavar="HOURS",
            help="Reuse cached results younger than this (hours).",
        ),
    ] = DEFAULTS.max_age_hours,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Check every URL again, ignoring the cache.")
    ] = False,
    update_accessed: Annotated[
        bool,
        typer.Option(
            "--update-accessed",
            help="Set 'accessed' to today for each source verified ok, and record what its "
            "page shows (sources.seen.json) as the baseline of the drift warnings.",
        ),
    ] = False,
    archive: Annotated[
        bool,
        typer.Option("--archive", help="Record the Internet Archive's nearest copy as 'archived'."),
    ] = False,
    save_archive: Annotated[
        bool,
        typer.Option(
            "--save-archive",
            help="Ask Save Page Now to capture each working source without a copy made since "
            "it was accessed, and record it as 'archived' (one at a time, resumable).",
        ),
    ] = False,
) -> None:
    """Check that every URL of the review still resolves: ok, redirected, broken, server-error,
    blocked, timeout or skipped, with the sources, file and line that use it. A source's page
    that answers but drifted since it was last marked accessed is warned about
    (title-changed, content-changed); warnings never make a link broken.

    Exit status: 0 no broken link, 1 a link is broken, 2 unreadable review, 3 no network.
    Results are cached in DIR/.scopekit/links.json for --max-age hours.

    Example: scopekit check-links reviews/social-value --update-accessed
    """
    from scopekit.commands import check_links as command

    settings = Settings(
        concurrency=concurrency,
        per_host=per_host,
        delay=delay,
        timeout=timeout,
        max_age_hours=max_age,
    )
    with command_errors():
        code = command.run(
            folder,
            settings,
            as_json=as_json,
            use_cache=not no_cache,
            update_accessed=update_accessed,
            archive=archive,
            save_archive=save_archive,
        )
    raise typer.Exit(code)


# Output formats of `scopekit build`, as formats.py declares them.
Format = Enum("Format", {name: name for name in FORMATS}, type=str)


@app.command()
def build(
    folder: Folder = ".",
    formats: Annotated[
        list[Format] | None,
        typer.Option(
            "--format",
            "-f",
            help="A format to build (repeat for several; default: all).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        str | None,
        typer.Option(
            "--out", "-o", help="Folder for the outputs (default: DIR/build).", show_default=False
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Build despite errors, and replace outputs edited by hand."),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="List every warning of the check, not one line by code."
        ),
    ] = False,
) -> None:
    """Render the briefing to HTML, PDF and DOCX in the house style, after checking it.

    Errors stop the build unless --force (each is listed); warnings are summed up in one
    line by code (--verbose lists them) and the build goes on.
    Outputs go to OUT/<folder-name>.<format>; one changed by hand is kept unless --force.

    Example: scopekit build reviews/social-value --format pdf
    """
    from scopekit.commands import build as command

    with command_errors():
        code = command.run(folder, [f.value for f in formats or []], out, force, verbose)
    raise typer.Exit(code)


@app.command()
def export(
    folder: Folder = ".",
    out: Annotated[
        str | None,
        typer.Option(
            "--out", "-o", help="Folder for the CSV files (default: DIR/build).", show_default=False
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace CSV files edited by hand.")
    ] = False,
) -> None:
    """Write the evidence table and the flow diagram's counts as CSV files.

    OUT/<folder-name>-evidence.csv has a row per charted source; OUT/<folder-name>-prisma2020.csv
    has the counts under the PRISMA2020 package's field names. Exit status: 0 written, 1 a
    file kept (edited by hand) or nothing to export, 2 unreadable review.

    Example: scopekit export reviews/social-value
    """
    from scopekit.commands import export as command

    with command_errors():
        code = command.run(folder, out, force)
    raise typer.Exit(code)


@app.command()
def new(
    folder: Annotated[
        str,
        typer.Argument(
            help="The folder to create (new or empty).", metavar="DIR", show_default=False
        ),
    ],
    title: Annotated[
        str | None, typer.Option("--title", help="The review question.", show_default=False)
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Your name as it should be printed.", show_default=False),
    ] = None,
    from_review: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="An earlier review to take the house style, authors, "
            "organisation and searches from (not its text or sources).",
            metavar="OTHER_REVIEW",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start a new review folder that passes check at once; its TODOs show what to fill in.

    Example: scopekit new reviews/active-travel --title "What helps people walk and cycle?"
    """
    from scopekit.commands import new as command

    with command_errors():
        code = command.run(folder, title, author, from_review)
    raise typer.Exit(code)


@app.command("import")
def import_(
    docx: Annotated[
        str,
        typer.Argument(
            help="The Word briefing to import (.docx).", metavar="OLD.docx", show_default=False
        ),
    ],
    folder: Annotated[
        str,
        typer.Argument(
            help="The review folder to create (new or empty).", metavar="DIR", show_default=False
        ),
    ],
) -> None:
    """Turn a Word briefing into a review folder: sections, sources from its notes and links.

    Prints the counts and every guess or loss with its place (paragraph N, note N).

    Exit status: 0 imported, 2 the document cannot be read or DIR is not empty.

    Example: scopekit import old-briefing.docx reviews/social-value
    """
    from scopekit.commands import import_docx as command

    with command_errors():
        code = command.run(docx, folder)
    raise typer.Exit(code)


@app.command()
def add(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="Web addresses (https://…) or DOIs (10.…, doi.org/10.…) to add.",
            metavar="URL_OR_DOI...",
            show_default=False,
        ),
    ],
    folder: Annotated[
        str,
        typer.Option("--dir", help="The review folder.", metavar="DIR"),
    ] = ".",
    source_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="The id to give the source (one URL or DOI only).",
            metavar="ID",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was added as one JSON object.")
    ] = False,
) -> None:
    """Fetch each page, PDF or DOI, read its metadata and append it to sources.yaml as a CSL
    item, accessed today; prints each value and where it was read, and what was guessed.

    A URL or DOI already in sources.yaml is refused, naming its source. Every other byte of
    sources.yaml is kept.

    Exit status: 0 added, 1 some not added (listed, the rest added), 2 usage, 3 no network.

    Example: scopekit add https://www.gov.uk/guidance/social-value --dir reviews/social-value
    """
    from scopekit.commands import add as command

    with command_errors():
        code = command.run(inputs, folder, source_id, dry_run, as_json)
    raise typer.Exit(code)


sources_app = typer.Typer(
    name="sources",
    help="Work on sources.yaml: fill in what the pages say, import from and export to "
    "reference managers (Zotero).\n\n"
    "Example: scopekit sources fill reviews/social-value --apply",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(sources_app)


@sources_app.command("fill")
def sources_fill(
    folder: Folder = ".",
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the values found (default: show the diff).")
    ] = False,
) -> None:
    """For sources whose title or publisher was guessed, or that lack a publisher or date,
    fetch the page and propose what it says as a diff of sources.yaml; --apply writes it.

    Exit status: 0 filled or proposed, 1 some pages could not be read, 2 unreadable
    sources.yaml, 3 no network.

    Example: scopekit sources fill reviews/social-value --apply
    """
    from scopekit.commands import sources as command

    with command_errors():
        code = command.fill(folder, apply)
    raise typer.Exit(code)


ExportFormat = Enum("ExportFormat", {name: name for name in ("csljson", "bibtex", "ris")}, type=str)


@sources_app.command("import")
def sources_import(
    file: Annotated[
        str,
        typer.Argument(
            help="A CSL-JSON (.json), BibTeX or BibLaTeX (.bib) or RIS (.ris) file.",
            metavar="FILE",
            show_default=False,
        ),
    ],
    folder: Annotated[str, typer.Option("--dir", help="The review folder.", metavar="DIR")] = ".",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be imported; write nothing.")
    ] = False,
) -> None:
    """Add the items of a Zotero (or other) export to sources.yaml: an item whose DOI or URL
    is already a source only adds the values it lacks; keys are kept as ids.

    Exit status: 0 imported, 2 the file or sources.yaml cannot be read.

    Example: scopekit sources import zotero-export.json --dir reviews/social-value
    """
    from scopekit.commands import sources as command

    with command_errors():
        code = command.import_file(file, folder, dry_run)
    raise typer.Exit(code)


@sources_app.command("export")
def sources_export(
    folder: Annotated[str, typer.Option("--dir", help="The review folder.", metavar="DIR")] = ".",
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="The format to write.")
    ] = ExportFormat.csljson,  # type: ignore[attr-defined]
    cited: Annotated[
        bool, typer.Option("--cited", help="Only the sources the text cites or links.")
    ] = False,
    out: Annotated[
        str | None,
        typer.Option(
            "--out",
            "-o",
            help="The file to write (default: print).",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the review's sources as CSL-JSON, BibLaTeX or RIS, for Zotero to import.

    Exit status: 0 written, 2 the review cannot be read or FILE cannot be written.

    Example: scopekit sources export --dir reviews/social-value --format ris -o sources.ris
    """
    from scopekit.commands import sources as command

    with command_errors():
        code = command.export(folder, fmt.value, cited, out)
    raise typer.Exit(code)


@app.command()
def merge(
    docx: Annotated[
        str,
        typer.Argument(
            help="The DOCX scopekit built, as a colleague edited it.",
            metavar="EDITED.docx",
            show_default=False,
        ),
    ],
    folder: Folder = ".",
    apply: Annotated[
        bool, typer.Option("--apply", help="Write the changes (the previous files kept).")
    ] = False,
    suggest: Annotated[
        bool,
        typer.Option("--suggest", help="Write the changes as CriticMarkup, to accept later."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Bring a colleague's Word edits and comments back into the section files.

    Prints, per section file, a unified diff of what would change, each hunk with the author
    and date of its changes; writes nothing without --apply or --suggest. Comments become
    CriticMarkup {==covered==}{>>Author, date: text<<}.

    Exit status: 0 merged or nothing to merge, 1 conflicts (listed; both versions kept),
    2 not a readable DOCX or not built from this review.

    Example: scopekit merge ~/Downloads/social-value-JB.docx reviews/social-value --apply
    """
    from scopekit.commands import merge as command

    with command_errors():
        code = command.run(docx, folder, apply and not suggest, suggest, as_json)
    raise typer.Exit(code)


@app.command()
def serve(
    folder: Folder = ".",
    port: Annotated[
        int,
        typer.Option(
            "--port", min=0, max=65535, metavar="N", help="Port on 127.0.0.1 (0: any free port)."
        ),
    ] = 8000,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open the preview in a browser.")
    ] = False,
) -> None:
    """Preview the briefing live: rebuilt in memory on every save, refreshed in the browser.

    Serves on 127.0.0.1 only and writes nothing into the review folder. The page shows
    check's problems in a panel; /pdf and /docx make the other formats on request. A folder
    of reviews serves its library page and each briefing. Ctrl-C stops it.

    Exit status: 0 stopped, 2 the port is in use.

    Example: scopekit serve reviews/social-value --port 8001
    """
    from scopekit.commands import serve as command

    with command_errors():
        code = command.run(folder, port, not no_browser)
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point: never shows a Python traceback unless SCOPEKIT_DEBUG is set."""
    sys.stdout = QuietWhenClosed(sys.stdout)
    sys.stderr = QuietWhenClosed(sys.stderr)
    try:
        app(prog_name="scopekit")
    except KeyboardInterrupt:
        say_interrupted()
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("SCOPEKIT_DEBUG"):
            raise
        say_internal_error(exc)
        sys.exit(2)

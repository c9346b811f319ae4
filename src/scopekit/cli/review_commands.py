"""The commands on one review folder: check, check-links, build, export, new, import,
merge and serve — options parsed here, the work done in commands/."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from scopekit.cli.app import Folder, app
from scopekit.commands.output import command_errors
from scopekit.formats import FORMATS
from scopekit.links.settings import DEFAULTS, Settings


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
    with command_errors():
        from scopekit.commands import check as command

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
    settings = Settings(
        concurrency=concurrency,
        per_host=per_host,
        delay=delay,
        timeout=timeout,
        max_age_hours=max_age,
    )
    with command_errors():
        from scopekit.commands import check_links as command

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
    changes_since: Annotated[
        str | None,
        typer.Option(
            "--changes-since",
            metavar="EARLIER.docx",
            help="Show every difference from this earlier scopekit DOCX as a tracked change "
            "in the DOCX built.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Render the briefing to HTML, PDF and DOCX in the house style, after checking it.

    Errors stop the build unless --force (each is listed); warnings are summed up in one
    line by code (--verbose lists them) and the build goes on.
    Outputs go to OUT/<folder-name>.<format>; one changed by hand is kept unless --force.
    With --changes-since, what changed since an earlier DOCX is a Word tracked change.

    Example: scopekit build reviews/social-value --format pdf
    """
    with command_errors():
        from scopekit.commands import build as command

        chosen = [f.value for f in formats or []]
        code = command.run(folder, chosen, out, force, verbose, changes_since)
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
    with command_errors():
        from scopekit.commands import export as command

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
    with command_errors():
        from scopekit.commands import new as command

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
    with command_errors():
        from scopekit.commands import import_docx as command

        code = command.run(docx, folder)
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
    with command_errors():
        from scopekit.commands import merge as command

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
    with command_errors():
        from scopekit.commands import serve as command

        code = command.run(folder, port, not no_browser)
    raise typer.Exit(code)

"""The commands on a review's sources: add, and the `sources` group (fill, import,
export) — options parsed here, the work done in commands/."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from scopekit.cli.app import Folder, app
from scopekit.commands.output import command_errors


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
    with command_errors():
        from scopekit.commands import add as command

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
    with command_errors():
        from scopekit.commands import sources as command

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
    with command_errors():
        from scopekit.commands import sources as command

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
    with command_errors():
        from scopekit.commands import sources as command

        code = command.export(folder, fmt.value, cited, out)
    raise typer.Exit(code)

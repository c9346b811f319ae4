"""The output formats `scopekit build` writes, declared once: the name `--format` takes, the
file extension, and the label the library page links with.

It imports nothing, so the CLI can list the formats at startup without loading a renderer;
render/writers.py gives each format its writer, and builds in this order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFormat:
    """One output format of a briefing."""

    name: str  # as `--format` takes it
    extension: str  # of the output file, `.html`
    label: str  # as the library page names it


FORMATS: dict[str, OutputFormat] = {
    output.name: output
    for output in (
        OutputFormat("html", ".html", "Web page (HTML)"),
        OutputFormat("pdf", ".pdf", "PDF"),
        OutputFormat("docx", ".docx", "Word (DOCX)"),
    )
}

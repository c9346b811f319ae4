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


# The format a build renders ahead in a second process (render/ahead.py), slowest first:
# WeasyPrint's import and layout, else python-docx's import. Only one, for two cores: the
# HTML beside it, and a DOCX beside a PDF, render in the build's own process meanwhile.
AHEAD = ("pdf", "docx")


def ahead_format(formats: list[str] | tuple[str, ...]) -> str | None:
    """Which of `formats` (names, as `--format` takes them) a build renders ahead, if any."""
    return next((name for name in AHEAD if name in formats), None)

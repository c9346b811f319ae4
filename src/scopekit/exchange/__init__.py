"""Sources in and out of reference managers: CSL-JSON, BibTeX/BibLaTeX and RIS.

Every format is read into, and written from, the shape of a sources.yaml entry: text
values, ISO dates, CSL names. `read` and `write` pick the module by format name;
`detect` names the format of a file by its extension, else by its first characters.
bibtexparser and rispy are imported only when their format is read or written.
"""

from __future__ import annotations

from pathlib import Path

from scopekit.exchange.model import Item, Reading

FORMATS = ("csljson", "bibtex", "ris")
_EXTENSIONS = {".json": "csljson", ".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris"}

__all__ = ["FORMATS", "Item", "Reading", "detect", "read", "write"]


def detect(path: Path, text: str) -> str | None:
    """The format of a file: by its extension, else by how it starts; None when unknown."""
    known = _EXTENSIONS.get(path.suffix.lower())
    if known:
        return known
    start = text.lstrip("\ufeff \t\r\n")[:10]
    if start.startswith(("[", "{")):
        return "csljson"
    if start.startswith("@"):
        return "bibtex"
    if start.startswith("TY  -"):
        return "ris"
    return None


def read(text: str, fmt: str) -> Reading:
    """The items of a file in `fmt`, and notes on what was skipped (ValueError: unreadable)."""
    if fmt == "csljson":
        from scopekit.exchange import csl

        return csl.read(text)
    if fmt == "bibtex":
        from scopekit.exchange import bibtex

        return bibtex.read(text)
    if fmt == "ris":
        from scopekit.exchange import ris

        return ris.read(text)
    raise ValueError(f"unknown format {fmt}")


def write(items: list[Item], fmt: str) -> str:
    """The items as a file in `fmt`."""
    if fmt == "csljson":
        from scopekit.exchange import csl

        return csl.write(items)
    if fmt == "bibtex":
        from scopekit.exchange import bibtex

        return bibtex.write(items)
    if fmt == "ris":
        from scopekit.exchange import ris

        return ris.write(items)
    raise ValueError(f"unknown format {fmt}")

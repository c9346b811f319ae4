"""The console script `scopekit`: a build that makes a PDF forks the PDF's worker first,
before the command line's modules (typer, the checks) are imported, so that WeasyPrint's
import in the worker starts about 0.1 s sooner; then `scopekit.cli.main` runs as ever."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

# Options of `scopekit build` that take a value (formats.py's names come after --format).
_VALUED = {"--out", "-o", "--changes-since"}
_FORMAT = {"--format", "-f"}


def main() -> None:
    """Console-script entry point."""
    if builds_pdf(sys.argv[1:]):
        from scopekit import early

        early.start("scopekit.render.ahead:work", "pdf")
    from scopekit.cli import main as run

    run()


def builds_pdf(args: Sequence[str]) -> bool:
    """Whether `args` ask to build one review folder with a PDF among its formats (a guess
    from the words alone: the build itself decides, and stops an unneeded worker)."""
    if not args or args[0] != "build" or "--help" in args:
        return False
    folder, formats = None, []
    words = iter(args[1:])
    for word in words:
        if word in _FORMAT:
            formats.append(next(words, ""))
        elif word.startswith("--format="):
            formats.append(word.partition("=")[2])
        elif word.startswith("-f") and not word.startswith("--"):
            formats.append(word[2:])
        elif word in _VALUED:
            next(words, None)
        elif not word.startswith("-") and folder is None:
            folder = word
    wants = not formats or "pdf" in formats
    return wants and os.path.isfile(os.path.join(folder or ".", "review.yaml"))

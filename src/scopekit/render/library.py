"""The library page: every briefing of a folder of reviews, with links to its formats."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from scopekit.paths import templates_dir
from scopekit.theme import load_theme

if TYPE_CHECKING:
    from scopekit.build import LibraryEntry

FORMAT_NAMES = {"html": "Web page (HTML)", "pdf": "PDF", "docx": "Word (DOCX)"}


def render_library(entries: list[LibraryEntry], out_dir: Path) -> str:
    """index.html for a library build, in the default house style, linking relative paths."""
    from scopekit.render.html import stylesheet, template_environment, theme_css

    theme = load_theme(templates_dir() / "coventry-hdrc")
    env = template_environment(theme.folder)
    rows = []
    for entry in entries:
        links = [
            (FORMAT_NAMES.get(fmt, fmt), Path(os.path.relpath(path, out_dir)).as_posix())
            for fmt, path in sorted(
                entry.outputs.items(),
                key=lambda i: list(FORMAT_NAMES).index(i[0]) if i[0] in FORMAT_NAMES else 9,
            )
        ]
        rows.append(
            {"entry": entry, "links": links, "error": entry.error.message if entry.error else None}
        )
    logo = theme.file("logo.svg")
    style = stylesheet(theme.file("style.css"), [])
    return env.get_template("library.html.j2").render(
        rows=rows,
        theme=theme,
        logo=Markup(logo.read_text(encoding="utf-8")) if logo.is_file() else "",
        style=Markup(theme_css(theme) + style),
    )

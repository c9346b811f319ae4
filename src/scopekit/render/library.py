"""The library page: every briefing of a folder of reviews, with links to its formats."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from scopekit.formats import FORMATS
from scopekit.paths import templates_dir
from scopekit.theme import load_theme


@dataclass
class LibraryRow:
    """One review as the library page lists it: its text, its outputs, why it was not built."""

    title: str
    questions: list[str]
    published: str
    authors: list[str]
    outputs: dict[str, Path] = field(default_factory=dict)  # format name → output file
    error: str | None = None


def render_library(rows: list[LibraryRow], out_dir: Path) -> str:
    """index.html for a library build, in the default house style, linking relative paths
    (percent-encoded: `My%20Review.html`)."""
    from scopekit.render.html import stylesheet, template_environment, theme_css

    theme = load_theme(templates_dir() / "coventry-hdrc")
    env = template_environment(theme.folder)
    listed = []
    for row in rows:
        links = [
            (
                FORMATS[fmt].label if fmt in FORMATS else fmt,
                quote(Path(os.path.relpath(path, out_dir)).as_posix()),
            )
            for fmt, path in sorted(
                row.outputs.items(),
                key=lambda i: list(FORMATS).index(i[0]) if i[0] in FORMATS else 9,
            )
        ]
        listed.append({"entry": row, "links": links, "error": row.error})
    logo = theme.file("logo.svg")
    style = stylesheet(theme.file("style.css"), [])
    return env.get_template("library.html.j2").render(
        rows=listed,
        theme=theme,
        logo=Markup(logo.read_text(encoding="utf-8")) if logo.is_file() else "",
        style=Markup(theme_css(theme) + style),
    )

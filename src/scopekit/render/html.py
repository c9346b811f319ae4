"""The briefing as one self-contained HTML page (and the print variant the PDF is made from)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from markupsafe import Markup

from scopekit.paths import cache_dir
from scopekit.render import Document
from scopekit.render.markdown_html import (
    Slugs,
    esc,
    inline_items,
    note_html,
    runs_html,
    section_html,
)
from scopekit.theme import Theme

Mode = Literal["web", "print"]
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I)


def template_environment(folder: Path):
    """The jinja2 environment for a house style's templates: autoescaped, compiled once."""
    import jinja2

    from scopekit.theme import default_house_style

    # templates the house style leaves out are the default style's
    loader = jinja2.FileSystemLoader([str(folder), str(default_house_style())])
    env = jinja2.Environment(
        loader=loader,
        bytecode_cache=_bytecode_cache(jinja2),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["runs"] = lambda runs: Markup(runs_html(runs))
    return env


def _bytecode_cache(jinja2):
    """Compiled templates kept in the user's cache folder (compiling costs ~60 ms a build)."""
    folder = cache_dir() / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def stylesheet(path: Path, warnings: list[str]) -> str:
    """A stylesheet of a house style, with url() references left only for data: URIs.

    A briefing must make no request and read nothing outside its folders, so any other
    url() is replaced by `none` and reported in `warnings`.
    """
    if not path.is_file():
        return ""
    text = path.read_text(encoding="utf-8")

    def refuse(match: re.Match) -> str:
        if match[2].startswith("data:"):
            return match[0]
        warnings.append(f"{path.name}: refused url({match[2][:80]}): only data: URIs are allowed")
        return "none"

    return _CSS_URL.sub(refuse, text)


def render_html(
    doc: Document, mode: Mode = "web", fonts_css: str = "", warnings: list[str] | None = None
) -> str:
    """The briefing as HTML: `web` for reading on screen, `print` as WeasyPrint's input.

    Resources refused on the way (a stylesheet's url()) are appended to `warnings`.
    """
    warnings = [] if warnings is None else warnings
    env = {
        "notes": doc.notes,
        "doc": doc,
        "mode": mode,
        "slugs": Slugs(),
    }
    for reserved in (
        "main",
        "notes-heading",
        "other-sources-heading",
        "search-log",
        "key-messages-heading",
        "how-done-heading",
        "flow-heading",
        "flow-svg-title",
        "flow-svg-desc",
        "flow-arrow",
        "evidence-heading",
    ):
        env["slugs"].used.add(reserved)
    env["slugs"].used.update(doc.targets)  # ids the author gave (`{#fig-x}`) are theirs
    key_messages = []
    if doc.review.key_messages:
        messages = doc.review.key_messages
        key_messages = [
            Markup(item) for item in inline_items(messages.markdown.tokens, env, messages.file)
        ]
    sections = []
    for section in doc.sections:
        sections.append(Markup(section_html(section.markdown.tokens, env, section.file)))
    notes = [(note.number, Markup(note_html(note, link_first=True))) for note in doc.notes.notes]
    logo = doc.theme.file("logo.svg")
    template = template_environment(doc.theme.folder).get_template("briefing.html.j2")
    style = stylesheet(doc.theme.file("style.css"), warnings)
    reporting = reporting_parts(doc)
    if reporting["how_done"] or reporting["flow_svg"] or reporting["evidence"]:
        style += stylesheet(doc.theme.file("reporting.css"), warnings)
    if mode == "print":
        style += stylesheet(doc.theme.file("print.css"), warnings)
    return template.render(
        doc=doc,
        mode=mode,
        sections=sections,
        key_messages=key_messages,
        notes=notes,
        logo=Markup(logo.read_text(encoding="utf-8")) if logo.is_file() else "",
        **reporting,
        style=Markup(fonts_css + theme_css(doc.theme) + style),
    )


def reporting_parts(doc: Document) -> dict:
    """The template's values for how the review was done: the box, the flow diagram's SVG
    and the section both follow (render/reporting.py), and the evidence table appendix
    (render/evidence.py)."""
    from scopekit.render.evidence import TITLE, evidence_table
    from scopekit.render.reporting import flow_stages, flow_svg, how_done, reporting_after

    rows = flow_stages(doc)
    return {
        "evidence": evidence_table(doc),
        "evidence_title": TITLE,
        "how_done": how_done(doc),
        "flow_svg": Markup(flow_svg(rows, doc.theme)) if rows else "",
        "reporting_after": reporting_after(doc),
    }


def theme_css(theme: Theme) -> str:
    """The theme's tokens as CSS custom properties."""
    colours = theme.colours
    tokens = {
        "primary": colours.primary,
        "accent": colours.accent,
        "accent-text": colours.accent_text,
        "tint": colours.tint,
        "text": colours.text,
        "muted": colours.muted,
        "font-body": ", ".join(_family(f) for f in theme.fonts.body),
        "font-headings": ", ".join(_family(f) for f in theme.fonts.headings),
    }
    body = "".join(f"--{k}: {v};" for k, v in tokens.items() if _safe_css(v))
    return f":root{{{body}}}\n"


def _family(name: str) -> str:
    generic = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
    return name if name in generic else f'"{name}"'


def _safe_css(value: str) -> bool:
    return not any(c in value for c in "{};<>\\") and "url(" not in value.lower()


__all__ = ["esc", "render_html"]

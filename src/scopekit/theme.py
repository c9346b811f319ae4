"""House styles: a folder under templates/ (or a path) with theme.yaml, templates and CSS.

Every colour, font and wording choice is a named token in theme.yaml, so a communications
team can change them without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from scopekit.errors import StyleError
from scopekit.paths import is_dir, is_file, templates_dir
from scopekit.review.model import Metadata
from scopekit.review.yaml_reader import YamlError, YamlMap, load_yaml

if TYPE_CHECKING:
    from scopekit.review import Review

#: The house style of a review that names none, and the one every house style falls back on.
DEFAULT_HOUSE_STYLE = Metadata.house_style.default


@dataclass(frozen=True)
class Colours:
    """Colour tokens (see the house-style docs for where each is used)."""

    primary: str = "#193e72"
    accent: str = "#00a19a"
    accent_text: str = "#00786f"
    tint: str = "#e8eef6"
    text: str = "#1d1d1b"
    muted: str = "#505a5f"


@dataclass(frozen=True)
class Fonts:
    """Font stacks: body and headings for HTML/PDF, one family for DOCX."""

    body: tuple[str, ...] = ("Arimo", "Arial", "Helvetica", "sans-serif")
    headings: tuple[str, ...] = ("Atkinson Hyperlegible", "Arimo", "Arial", "sans-serif")
    docx: str = "Arial"


@dataclass(frozen=True)
class Theme:
    """A loaded house style."""

    folder: Path
    name: str
    colours: Colours = field(default_factory=Colours)
    fonts: Fonts = field(default_factory=Fonts)
    wordmark: str = "HDRC Coventry"
    partner: str = ""
    funding: str = ""
    archived_copy: str = "Archived copy: {url} (Archived {date})"
    """How a note shows a source's archived copy when its live URL is broken or blocked."""

    def file(self, name: str) -> Path:
        """A file of the house style (template, CSS, logo). A template or stylesheet the
        style leaves out is the default style's; a logo never is (it is someone's brand)."""
        own = self.folder / name
        if is_file(own) or name.startswith("logo"):
            return own
        return default_house_style() / name


def default_house_style() -> Path:
    """The folder of the house style every other one falls back on for its templates and CSS."""
    return templates_dir() / DEFAULT_HOUSE_STYLE


def resolve_house_style(name: str, review_root: Path) -> Path:
    """The folder a review's `house_style` names: under templates/, or a path from the review."""
    for candidate in (templates_dir() / name, review_root / name):
        if is_file(candidate / "theme.yaml"):
            return candidate
    for candidate in (review_root / name, templates_dir() / name):
        if is_dir(candidate):
            raise StyleError(
                f"house style '{name}' has no theme.yaml",
                f"a house style is a folder with a theme.yaml: copy "
                f"templates/{DEFAULT_HOUSE_STYLE}/theme.yaml into it and change what differs",
            )
    shipped = sorted(p.parent.name for p in templates_dir().glob("*/theme.yaml"))
    raise StyleError(
        f"house style '{name}' not found",
        f"use one of: {', '.join(shipped)}, or a folder with a theme.yaml",
    )


def review_theme(review: Review) -> Theme:
    """The house style `review` names, loaded (StyleError if it cannot be)."""
    return load_theme(resolve_house_style(review.meta.house_style, review.root))


def load_theme(folder: Path) -> Theme:
    """Read a house style's theme.yaml into a Theme (unknown tokens keep their defaults)."""
    try:
        data = load_yaml((folder / "theme.yaml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        raise StyleError(f"cannot read {folder / 'theme.yaml'}: {exc}") from None
    if not isinstance(data, YamlMap):
        raise StyleError(f"{folder / 'theme.yaml'} must be a mapping of tokens")
    colours = data.get("colours") if isinstance(data.get("colours"), dict) else {}
    colours = {str(k).replace("-", "_"): v for k, v in colours.items()}  # accent-text too
    fonts = data.get("fonts") if isinstance(data.get("fonts"), dict) else {}

    def stack(key: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = fonts.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) and value else default

    return Theme(
        folder=folder,
        name=str(data.get("name") or folder.name),
        colours=Colours(
            **{k: str(v) for k, v in colours.items() if k in Colours.__dataclass_fields__}
        ),
        fonts=Fonts(
            body=stack("body", Fonts.body),
            headings=stack("headings", Fonts.headings),
            docx=str(fonts.get("docx") or Fonts.docx),
        ),
        wordmark=str(data.get("wordmark") or ""),
        partner=str(data.get("partner") or ""),
        funding=" ".join(str(data.get("funding") or "").split()),
        archived_copy=_archived_words(data.get("archived_copy")),
    )


def _archived_words(value: object) -> str:
    """The style's words for an archived copy; they must name the copy (`{url}`)."""
    text = " ".join(str(value or "").split())
    return text if "{url}" in text else Theme.archived_copy

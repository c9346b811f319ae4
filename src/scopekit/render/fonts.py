"""The fonts of the PDF, from Python font packages, so every machine renders the same pages.

Arimo ships as a variable font. WeasyPrint would instantiate it on every build (about
0.2 s per weight), so the regular, semi-bold (emphasis, as the house style asks) and bold
instances are made once with fontTools and kept in the user's cache folder; if that fails,
the variable font is used as it is.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from scopekit.paths import cache_dir


@dataclass(frozen=True)
class FontFace:
    """One @font-face: a file of a font package, its family, weight and style."""

    package: str
    file: str
    family: str
    weight: int
    style: str = "normal"
    variable: bool = False


FACES = (
    FontFace("fontpkg_arimo", "Arimo[wght].ttf", "Arimo", 400, variable=True),
    FontFace("fontpkg_arimo", "Arimo[wght].ttf", "Arimo", 600, variable=True),  # emphasis
    FontFace("fontpkg_arimo", "Arimo[wght].ttf", "Arimo", 700, variable=True),
    FontFace("fontpkg_arimo", "Arimo-Italic[wght].ttf", "Arimo", 400, "italic", True),
    FontFace("fontpkg_arimo", "Arimo-Italic[wght].ttf", "Arimo", 700, "italic", True),
    FontFace(
        "fontpkg_atkinson_hyperlegible",
        "AtkinsonHyperlegible-Regular.ttf",
        "Atkinson Hyperlegible",
        400,
    ),
    FontFace(
        "fontpkg_atkinson_hyperlegible",
        "AtkinsonHyperlegible-Bold.ttf",
        "Atkinson Hyperlegible",
        700,
    ),
    FontFace(
        "fontpkg_atkinson_hyperlegible",
        "AtkinsonHyperlegible-Italic.ttf",
        "Atkinson Hyperlegible",
        400,
        "italic",
    ),
    FontFace(
        "fontpkg_atkinson_hyperlegible",
        "AtkinsonHyperlegible-BoldItalic.ttf",
        "Atkinson Hyperlegible",
        700,
        "italic",
    ),
)


def package_file(package: str, name: str) -> Path | None:
    """A file in a font package's `files/` folder, if the package is installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "files" / name
    return path.resolve() if path.is_file() else None


def static_instance(variable: Path, weight: int) -> Path | None:
    """A cached static instance of a variable font at `weight`, made once; None on failure."""
    import fontTools
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    stem = variable.stem.replace("[wght]", "")
    key = f"{variable.stat().st_size}-{fontTools.version}"
    target = cache_dir() / "fonts" / f"{stem}-{weight}-{key}.ttf"
    if target.is_file():
        return target
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        font = instancer.instantiateVariableFont(
            TTFont(variable), {"wght": weight}, updateFontNames=True
        )
        font.recalcTimestamp = False
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            font.save(handle)
        os.replace(tmp, target)
        tmp = None
        return target
    except Exception:  # any failure: WeasyPrint can still use the variable font
        return None
    finally:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def font_faces() -> list[tuple[Path, FontFace]]:
    """The font files to embed, each with its face (static instances where possible)."""
    found = []
    for face in FACES:
        path = package_file(face.package, face.file)
        if path is None:
            continue
        if face.variable:
            path = static_instance(path, face.weight) or path
        found.append((path, face))
    return found


def font_face_css(faces: list[tuple[Path, FontFace]]) -> str:
    """@font-face rules for the given files."""
    rules = [
        f'@font-face {{ font-family: "{face.family}"; src: url("{path.as_uri()}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for path, face in faces
    ]
    return "\n".join(rules) + "\n"


def missing_glyphs(text: str, faces: list[tuple[Path, FontFace]]) -> list[str]:
    """The characters of `text` that no font file of `faces` has a glyph for, in order of
    first appearance (spaces, controls, format characters and variation selectors aside).
    Empty when the fonts cannot be read at all: then nothing can be said."""
    covered = _coverage(tuple(path for path, _ in faces))
    if not covered:
        return []
    return list(dict.fromkeys(c for c in text if ord(c) not in covered and _shown(c)))


def _shown(char: str) -> bool:
    category = unicodedata.category(char)
    if category[0] in "CZ":
        return False
    return not ("\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef")


@cache
def _coverage(paths: tuple[Path, ...]) -> frozenset[int]:
    """Every code point the font files map to a glyph."""
    from fontTools.ttLib import TTFont

    codes: set[int] = set()
    for path in paths:
        try:
            with TTFont(path, lazy=True) as font:
                codes.update(font.getBestCmap() or {})
        except Exception:  # an unreadable file covers nothing
            continue
    return frozenset(codes)

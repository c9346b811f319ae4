"""Figures Word cannot place, made into PNG at build: SVG through resvg, WebP through Pillow.

Word (and python-docx) place PNG, JPEG and GIF. An SVG is drawn by resvg (resvg-py: one
self-contained wheel, no system library) at three times its size, so it stays sharp when
printed, and placed at its own size (CSS pixels, 96 to the inch) as a browser shows it. A
WebP is decoded by Pillow (its first frame when animated) and written as PNG, transparency
kept. Neither library is imported until a DOCX has such a figure to place.

An SVG that names other files (`<image href="photo.jpg">`, `<use href="other.svg#x">`) is
not drawn: resvg would read them from wherever they are, and a briefing shows nothing from
outside its review folder.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

ZOOM = 3  # an SVG is drawn at three times its size (288 dpi)
MAX_PIXELS = 4000  # … but never wider or taller than this
EMU_PER_PX = 9525  # a CSS pixel, 1/96 inch, in EMU
_EXTERNAL = re.compile(r"""\bhref\s*=\s*["']\s*(?!#|data:)[^"'\s]""", re.IGNORECASE)


class ConversionError(Exception):
    """The file could not be made into a PNG; the message says why, for the build warning."""


@dataclass(frozen=True)
class Png:
    """A figure as PNG bytes, and the width it is shown at in EMU (None: from the PNG)."""

    data: bytes
    width: int | None = None


def to_png(path: Path) -> Png:
    """The SVG or WebP file at `path` as a PNG (raises ConversionError)."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"cannot be read ({exc.strerror or exc})") from exc
    if suffix == ".svg":
        return _svg(data)
    if suffix == ".webp":
        return _webp(data)
    raise ConversionError(f"Word cannot show {suffix} images")


def _svg(data: bytes) -> Png:
    import resvg_py

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConversionError("is not UTF-8 SVG text") from exc
    if _EXTERNAL.search(text):
        raise ConversionError("names other files (href), which are not read")
    try:
        plain = bytes(resvg_py.svg_to_bytes(svg_string=text))
        width, height = _png_size(plain)
        zoom = max(1.0, min(ZOOM, MAX_PIXELS / max(width, height, 1)))
        sharp = bytes(resvg_py.svg_to_bytes(svg_string=text, zoom=zoom))
    except BaseException as exc:  # ValueError, or pyo3's PanicException (a BaseException)
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        raise ConversionError(f"is not an SVG image resvg can draw ({exc})") from exc
    return Png(sharp, width * EMU_PER_PX)


def _webp(data: bytes) -> Png:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)
            frame = image.convert("RGBA" if _has_alpha(image) else "RGB")
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise ConversionError("is not a WebP image Pillow can read") from exc
    out = io.BytesIO()
    frame.save(out, format="PNG", optimize=False)
    return Png(out.getvalue(), frame.width * EMU_PER_PX)


def _has_alpha(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk."""
    if len(png) < 24 or not png.startswith(b"\x89PNG"):
        raise ValueError("resvg gave no PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")

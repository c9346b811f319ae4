"""The image files a briefing can show, and whether a file really is one."""

from __future__ import annotations

from pathlib import Path

# Extension → media type of the images a briefing shows.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
# The ones Word can place as they are; an SVG or WebP is made into a PNG for it
# (render/docx/images.py).
DOCX_IMAGE_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif"})

# An image file larger than this gets `large-image`: the HTML page carries it inside (a
# 20 MB photo made a 27 MB page), and the PDF and DOCX carry it too.
LARGE_IMAGE_BYTES = 5_000_000


def megabytes(size: int) -> str:
    """A file size as `27.3 MB` (1 MB = 1,000,000 bytes)."""
    return f"{size / 1_000_000:.1f} MB"


def sniff_type(head: bytes) -> str | None:
    """The media type the first bytes (2 KB) of a file say it is: PNG, JPEG, GIF, WebP or
    SVG, else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if b"<svg" in head.lower():
        return "image/svg+xml"
    return None


def image_problem(path: Path) -> str | None:
    """Why the file at `path` cannot be shown as an image, or None when it can."""
    expected = IMAGE_TYPES.get(path.suffix.lower())
    if expected is None:
        return "is not an image type a briefing can show (PNG, JPEG, GIF, WebP or SVG)"
    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if sniff_type(head) is None:  # a PNG named .jpg still shows: only no image at all is refused
        return "holds no image its name promises, nor any other (empty or damaged?)"
    return None

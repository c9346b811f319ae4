"""Links and resources: web URLs only, every URL with an access date, no duplicates,
images inside the folder with alt text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from scopekit.checks.registry import Context, rule
from scopekit.images import LARGE_IMAGE_BYTES, image_problem, megabytes
from scopekit.paths import inside, is_file
from scopekit.problems import Problem, error, warning
from scopekit.review.model import SOURCES_FILE
from scopekit.schema import WEB_TYPES
from scopekit.urls import is_web_url, normalise, typed_urls

if TYPE_CHECKING:
    from pathlib import Path

_SOURCE_HINT = "add the page to sources.yaml and link it as [text](@key)"


@rule
def source_urls(ctx: Context) -> Iterator[Problem]:
    """Source URLs: absolute http(s), with an access date, present for web types, not repeated."""
    seen: dict[str, str] = {}
    for source in ctx.review.sources:
        raw = source.raw
        for key in ("URL", "archived"):
            value = raw.get(key)
            if value is not None and str(value).strip() and not is_web_url(value):
                shown = str(value) if len(str(value)) <= 300 else str(value)[:299] + "…"
                yield error(
                    "bad-url",
                    SOURCES_FILE,
                    source.line_of(key),
                    f"source '{source.id}': '{key}' is not an absolute http(s) URL: {shown!r}",
                    _url_hint(str(value)),
                )
        if source.url is None:
            if (source.type or "") in WEB_TYPES:
                yield warning(
                    "missing-url",
                    SOURCES_FILE,
                    source.line_of("URL"),  # an empty `URL:`, else the entry
                    f"web source '{source.id}' has no URL yet",
                    "add 'URL:' and 'accessed:' once the page is found",
                )
            continue
        if "accessed" not in raw or not str(raw["accessed"] or "").strip():
            yield warning(
                "missing-accessed",
                SOURCES_FILE,
                source.line_of("accessed"),  # an empty `accessed:`, else the entry
                f"source '{source.id}' has a URL but no access date",
                "add 'accessed: YYYY-MM-DD', the day the page was last opened",
            )
        if is_web_url(source.url):
            key = normalise(source.url)
            if key in seen:
                yield warning(
                    "duplicate-url",
                    SOURCES_FILE,
                    source.line_of("URL"),
                    f"source '{source.id}' has the same URL as '{seen[key]}'",
                    f"cite '{seen[key]}' instead and remove this source",
                )
            else:
                seen[key] = source.id


def _url_hint(value: str) -> str:
    """What to do about a source's address that is no web URL: the space it holds, or the
    https:// it lacks."""
    if not re.match(r"https?://", value.strip(), re.I):
        return "write the full address, starting https://"
    if value != value.strip():
        return "remove the space before or after the address (inside the quotes)"
    if re.search(r"\s", value.strip()):
        return (
            "the address has a space: write each space as %20, or copy the address from "
            "the browser's address bar"
        )
    return "copy the address from the browser's address bar"


@rule
def markdown_links(ctx: Context) -> Iterator[Problem]:
    """Markdown links go to sources (`@key`); web URLs in prose are bare links, others bad."""
    for section in ctx.review.texts:
        for link in section.markdown.links:
            if link.source_key is not None:
                continue
            if not is_web_url(link.href):
                target = link.href or "(empty)"
                hint = (
                    f"the link target was lost: {_SOURCE_HINT}"
                    if link.href in ("", "#")
                    else f"only http(s) links are allowed: {_SOURCE_HINT}"
                )
                yield error(
                    "bad-url",
                    section.file,
                    link.line,
                    f"link '{link.text}' points to '{target[:80]}', not an absolute http(s) URL",
                    hint,
                )
            else:
                yield warning(
                    "bare-link",
                    section.file,
                    link.line,
                    f"link to {link.href} directly instead of through a source",
                    _SOURCE_HINT,
                )
        spaced = {
            (line, address.split()[0]) for address, line in section.markdown.habits.spaced_links
        }
        for text in section.markdown.texts:
            for url in typed_urls(text.text):
                if any(line == text.line and url.startswith(cut) for line, cut in spaced):
                    continue  # a link whose address has a space: unread-markdown says so
                yield warning(
                    "bare-link",
                    section.file,
                    text.line,
                    f"raw URL in prose: {url}",
                    _SOURCE_HINT,
                )


def _size(path: Path) -> int:
    """The file's size in bytes (0 when it cannot be read: refused-resource says so)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


@rule
def images(ctx: Context) -> Iterator[Problem]:
    """Images are files inside the review folder, with alt text."""
    for section in ctx.review.texts:
        for image in section.markdown.images:
            path = inside(ctx.review.root, image.src)
            if path is None:
                yield error(
                    "refused-resource",
                    section.file,
                    image.line,
                    f"image '{image.src[:80]}' is not a file inside the review folder",
                    "copy the image into the review folder (e.g. figures/) and "
                    "give its relative path",
                )
            elif not is_file(path):
                yield error(
                    "refused-resource",
                    section.file,
                    image.line,
                    f"image file '{image.src[:80]}' not found",
                    "check the path, relative to the review folder",
                )
            elif problem := image_problem(path):
                yield error(
                    "refused-resource",
                    section.file,
                    image.line,
                    f"image file '{image.src[:80]}' {problem}",
                    "export the figure again as PNG (or JPEG for photos) and point to that file",
                )
            elif (size := _size(path)) > LARGE_IMAGE_BYTES:
                yield warning(
                    "large-image",
                    section.file,
                    image.line,
                    f"image file '{image.src[:80]}' is {megabytes(size)}: the HTML page "
                    "carries it inside, and the PDF and DOCX carry it too",
                    f"resize it (2,000 pixels wide is enough for a printed page) or compress "
                    f"it (JPEG for photos), to under {LARGE_IMAGE_BYTES // 1_000_000} MB",
                )
            if not image.alt.strip():
                yield warning(
                    "missing-alt-text",
                    section.file,
                    image.line,
                    f"image '{image.src[:80]}' has no alt text",
                    "describe the image: ![what it shows](path)",
                )

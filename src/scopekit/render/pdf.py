"""The briefing as a tagged PDF/UA-1 through WeasyPrint, from the print variant of the HTML.

WeasyPrint may read only the review folder, the house style's folder and the font files of
the font packages; anything else (other paths, file://, http(s)://) is refused, never fetched.
"""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scopekit.render import Document
from scopekit.render.fonts import FontFace, font_face_css, font_faces, missing_glyphs
from scopekit.render.html import render_html
from scopekit.render.pdf_patches import patched
from scopekit.render.pdf_tags import add_id_tree, tag_figures, tag_footnotes, tag_tables

log = logging.getLogger(__name__)
# a link that shows its URL: the tag (with any Robust Links attributes), then the scheme and
# (the first 50 characters of) the host
_URL_HEAD = re.compile(r'(<a href="[^"<>]*"[^<>]*>)(https?://[^\s<>/?#]{1,50})')


def make_url_fetcher(allowed_dirs: list[Path], allowed_files: list[Path], warnings: list[str]):
    """A WeasyPrint URL fetcher for data: URIs and files in the allowed places only.

    Anything else is refused (never fetched) and noted in `warnings`.
    """
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    dirs = [d.resolve() for d in allowed_dirs]
    files = {f.resolve() for f in allowed_files}

    def allowed(url: str) -> bool:
        if url.startswith("data:"):
            return True
        if not url.startswith("file:"):
            return False
        path = Path(unquote(urlsplit(url).path)).resolve()
        return path in files or any(d == path or d in path.parents for d in dirs)

    class ConfinedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not allowed(url):
                warnings.append(f"refused to fetch {url[:120]}")
                raise ValueError(f"scopekit refused to fetch {url[:120]}")
            return super().fetch(url, headers)

    return ConfinedFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


@contextmanager
def source_date_epoch(moment: datetime) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH while rendering, so font subsets carry a fixed timestamp."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@dataclass
class PrintPage:
    """The print variant of the HTML and what is known of it before layout: `build` makes
    it in its own process while the PDF's worker is still importing WeasyPrint."""

    html: str
    faces: list[tuple[Path, FontFace]]
    warnings: list[str]  # raised while rendering the HTML
    missing: list[str]  # characters no embedded font has


def print_page(doc: Document) -> PrintPage:
    """The HTML WeasyPrint lays out, with the embedded fonts and the glyphs they lack."""
    faces = font_faces()
    warnings: list[str] = []
    html = render_html(doc, mode="print", fonts_css=font_face_css(faces), warnings=warnings)
    html = keep_url_hosts(html)
    return PrintPage(html, faces, warnings, missing_glyphs(visible_text(html), faces))


def render_pdf(doc: Document, page: PrintPage | None = None) -> tuple[bytes, list[str]]:
    """The PDF bytes, and warnings about resources that were refused (`page`: the print
    page of `doc`, when it is already made)."""
    from scopekit.render.weasy_ffi import preload

    preload()  # before WeasyPrint's first import: its C declarations from the cache
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    page = page or print_page(doc)
    html, faces, warnings = page.html, page.faces, list(page.warnings)
    fetcher = make_url_fetcher([doc.review.root, doc.theme.folder], [p for p, _ in faces], warnings)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    font_config = FontConfiguration()
    with patched():
        document = weasyprint.HTML(
            string=html, base_url=str(doc.review.root.resolve()) + "/", url_fetcher=fetcher
        ).render(font_config=font_config)
        tagged, data = _write(document, doc, html)
    missing = page.missing
    if missing:
        shown = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        warnings.append(
            f"Arimo and Atkinson Hyperlegible have no glyph for {shown}{more}: the PDF shows "
            "them in another font of this machine, or as empty boxes; check those pages"
        )
    expected = len(doc.notes.notes)
    if tagged and tagged[0] < expected:
        warnings.append(
            f"only {tagged[0]} of {expected} footnotes reached the PDF: WeasyPrint dropped "
            "some at page breaks; check the PDF, or use the HTML or DOCX"
        )
    return data, warnings


def keep_url_hosts(html: str) -> str:
    """A link that shows its URL has the URL's scheme and host in a `url-host` span, which
    the print style keeps on one line: a line may break before `https://www.host` or after
    it, never right after `https://`. (Only the first 50 characters of a host are kept
    together, so no unbreakable piece is wider than a line.)"""
    return _URL_HEAD.sub(r'\1<span class="url-host">\2</span>', html)


def _write(document, doc: Document, html: str) -> tuple[list[int], bytes]:
    """The rendered document as PDF/UA-1 bytes with its structure tree corrected (footnotes
    as Note, one /Table per table, an /IDTree), and how many footnotes were retagged."""
    metadata = document.metadata
    metadata.title = doc.title
    metadata.authors = doc.authors
    metadata.description = doc.subject
    metadata.lang = doc.language
    metadata.generator = "scopekit"
    moment = doc.moment
    metadata.created = metadata.modified = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    tagged: list[int] = []
    with source_date_epoch(moment):
        document.write_pdf(
            out,
            pdf_variant="pdf/ua-1",
            pdf_identifier=_identifier(html),
            finisher=lambda document, pdf: tagged.append(_retag(document, pdf)),
        )
    return tagged, out.getvalue()


def _retag(document, pdf) -> int:
    """Correct WeasyPrint's structure tree (see pdf_tags); returns the footnotes tagged."""
    count = tag_footnotes(pdf)
    tag_tables(document, pdf)
    tag_figures(pdf)
    add_id_tree(pdf)
    return count


def visible_text(html: str) -> str:
    """The text of an HTML page as a reader sees it (no tags, styles or scripts)."""
    from html.parser import HTMLParser

    parts: list[str] = []

    class Text(HTMLParser):
        hidden = 0

        def handle_starttag(self, tag: str, attrs) -> None:
            if tag in ("style", "script", "title"):
                self.hidden += 1

        def handle_endtag(self, tag: str) -> None:
            if tag in ("style", "script", "title") and self.hidden:
                self.hidden -= 1

        def handle_data(self, data: str) -> None:
            if not self.hidden:
                parts.append(data)

    parser = Text(convert_charrefs=True)
    parser.feed(html)
    parser.close()
    return "".join(parts)


def _identifier(html: str) -> bytes:
    import hashlib

    return hashlib.md5(html.encode("utf-8"), usedforsecurity=False).hexdigest().encode("ascii")

"""No citation or note syntax is ever printed as typed, in any format, from any review here.

Every review folder under tests/ (each fixture of tests/checks as the review it stands for)
and the example is built to HTML, DOCX and PDF, and the
text a reader sees is scanned for `[@`, `](@`, `[^`, `^[` and `\\:`, and for the pandoc habits
(`{#`, `:::`, `~~`, `\\newpage`, `[ ]`, `@fig-`, `![` …). Text the author wrote
inside code is the only exception; a folder whose `check` reports the syntax it leaves
(`unparsed-citation`, `unknown-note`, `unread-markdown`) is the other: there the warning is
the promise.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import (
    CHECKS_DIR,
    REPO_ROOT,
    TESTS_DIR,
    FixtureReviews,
    expected_folders,
    run_check,
)
from lxml import etree
from materialise import removed

from scopekit.build import build_review
from scopekit.errors import ScopekitError
from scopekit.review.markdown import parse

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LITERALS = ("[@", "](@", "[^", "^[", "\\:")
# pandoc and Quarto habits (docs/review-format.md): attributes, fenced divs, strikethrough,
# page breaks, task boxes, cross-references and an image that was not read
HABITS = (
    "{#",
    "{-}",
    "{.",
    ":::",
    "~~",
    "\\newpage",
    "\\pagebreak",
    "[ ]",
    "[x]",
    "@fig-",
    "@tbl-",
    "@sec-",
    "![",
)
FOLDERS = sorted(
    {
        p.parent
        for p in TESTS_DIR.rglob("review.yaml")
        if "build" not in p.parts and not p.is_relative_to(CHECKS_DIR)
    }
    # the fixtures are overlays on clean/: those whose review has a review.yaml
    | {f for f in expected_folders() if "review.yaml" not in removed(f)}
    | {REPO_ROOT / "reviews" / "social-value"}
)


def folder_id(folder: Path) -> str:
    return folder.relative_to(REPO_ROOT).as_posix()


def code_texts(folder: Path) -> list[str]:
    """Every code span and code block the author wrote in the folder's Markdown."""
    texts = []
    for path in folder.glob("*.md"):
        if not path.is_file():
            continue
        try:
            tokens = parse(path.read_text(encoding="utf-8")).tokens
        except (OSError, UnicodeDecodeError):
            continue
        for token in tokens:
            if token.type in ("fence", "code_block"):
                texts.extend(token.content.splitlines())
            for child in token.children or ():
                if child.type == "code_inline":
                    texts.append(child.content)
    return sorted((t for t in texts if t.strip()), key=len, reverse=True)


class _Text(HTMLParser):
    """The text of an HTML page, without its <style> and <code>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.skip += tag in ("style", "code", "script")

    def handle_endtag(self, tag) -> None:
        self.skip -= tag in ("style", "code", "script")

    def handle_data(self, data) -> None:
        if not self.skip:
            self.parts.append(data)


def html_text(path: Path) -> str:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in ("word/document.xml", "word/footnotes.xml") if n in archive.namelist()]
        return "\n".join(
            "\n".join(
                "".join(p.itertext())
                for p in etree.fromstring(archive.read(n)).iter(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
                )
            )
            for n in parts
        )


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def leftovers(text: str, code: list[str]) -> list[str]:
    for snippet in code:
        text = text.replace(snippet, "")
    found = []
    for literal in LITERALS + HABITS:
        for match in re.finditer(re.escape(literal), text):
            found.append(text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " "))
    return found


_PDF_BUILT: set[str] = set()


@pytest.mark.parametrize("folder", FOLDERS, ids=[folder_id(f) for f in FOLDERS])
def test_no_citation_syntax_reaches_any_format(
    folder: Path, tmp_path: Path, fixture_review: FixtureReviews
) -> None:
    if folder.is_relative_to(CHECKS_DIR):
        folder = fixture_review(folder)
    code, data = run_check(folder, "--json")
    if code == 2:
        pytest.skip("unreadable: nothing to build")
    codes = {p["code"] for p in data["problems"]}
    reported = codes & {"unparsed-citation", "unknown-note"}
    # a PDF for each distinct Markdown text (most fixtures share the clean review's)
    markdown = hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted(folder.glob("*.md")) if p.is_file())
    ).hexdigest()
    formats = ["html", "docx"] + ([] if markdown in _PDF_BUILT else ["pdf"])
    try:
        result = build_review(folder, formats, out_dir=tmp_path, force=True)
    except ScopekitError as exc:  # a fixture for a broken style cannot build: check says so
        assert code == 1, exc
        pytest.skip(f"does not build: {exc.message}")
    _PDF_BUILT.add(markdown)
    snippets = code_texts(folder)
    readers = {"html": html_text, "docx": docx_text, "pdf": pdf_text}
    found = {w.format: leftovers(readers[w.format](w.path), snippets) for w in result.written}
    found = {fmt: hits for fmt, hits in found.items() if hits}
    if reported:
        assert found, f"check reports {reported}, but nothing literal was printed"
    elif "unread-markdown" in codes:
        pass  # a habit scopekit does not read: the warning is the promise
    else:
        assert not found, f"printed as typed: {found}"

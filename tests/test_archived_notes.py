"""Archived copies in the briefing: Robust Links attributes on the HTML links of a source
with an `archived` copy, and every format's note showing the copy, in the house style's
words, once `check-links` found the live URL broken or blocked (tests/linkserver.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, copy_review, invoke
from linkserver import LinkServer
from pypdf import PdfReader

CWIS2 = (
    "https://www.gov.uk/government/publications/the-second-cycling-and-walking-investment-strategy"
)
COPY = f"https://web.archive.org/web/20240520000000/{CWIS2}"
SHOWN = f"Archived copy: {COPY} (Archived 20/05/2024)"


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> LinkServer:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with LinkServer() as server:
        yield server


def review_on(site: LinkServer, tmp_path: Path, cwis2: str) -> Path:
    """The clean review, its URLs on the site: dft-cwis2's at `cwis2` (its `archived` copy
    kept), the others answering ok."""
    folder = copy_review(CLEAN_REVIEW, tmp_path / "review")
    path = folder / "sources.yaml"
    text = path.read_text(encoding="utf-8").replace(f"URL: {CWIS2}\n", f"URL: {site.url(cwis2)}\n")
    for n, line in enumerate(text.splitlines()):
        if line.startswith("  URL: https://"):
            text = text.replace(line, f"  URL: {site.url(f'ok?n={n}')}")
    path.write_text(text, encoding="utf-8")
    return folder


def build(folder: Path, *formats: str) -> Path:
    args = [arg for name in formats for arg in ("--format", name)]
    result = invoke("build", str(folder), *args)
    assert result.exit_code == 0, result.output
    return folder / "build"


def html_of(folder: Path) -> str:
    return (folder / "build" / "review.html").read_text(encoding="utf-8")


def test_a_source_with_an_archived_copy_is_a_robust_link(site: LinkServer, tmp_path: Path) -> None:
    folder = review_on(site, tmp_path, "ok?cwis2")
    build(folder, "html")
    html = html_of(folder)
    url = site.url("ok?cwis2")
    robust = (
        f'<a href="{url}" data-originalurl="{url}" data-versionurl="{COPY}" '
        'data-versiondate="2024-05-20">'
    )
    assert html.count(robust) >= 1  # the note's URL, and a link in the text to the source
    assert html.count("data-versionurl=") == html.count(robust)  # the others have no copy
    other = site.url("ok?n=9")  # ohid-physical-activity: an access date, no copy
    assert f'<a href="{other}" data-originalurl="{other}" data-versiondate="2024-05-14">' in html
    assert "Archived copy" not in html  # the live URL was never found down


@pytest.mark.parametrize(
    "path", ["status/404", "status/403", "moved-home"], ids=["broken", "blocked", "soft-404"]
)
def test_every_format_shows_the_copy_when_the_live_url_is_down(
    site: LinkServer, tmp_path: Path, path: str
) -> None:
    folder = review_on(site, tmp_path, path)
    build(folder, "html")
    assert "Archived copy" not in html_of(folder)
    invoke("check-links", str(folder), "--delay", "0")
    build(folder, "html", "docx", "pdf")  # the HTML again: the notes changed
    html = html_of(folder)
    assert f'Archived copy: <a href="{COPY}">{COPY}</a> (Archived 20/05/2024)' in html
    assert html.count("Archived copy") == 1
    with zipfile.ZipFile(folder / "build" / "review.docx") as docx:
        footnotes = docx.read("word/footnotes.xml").decode()
    assert "Archived copy: " in footnotes and COPY in footnotes
    pdf = " ".join(page.extract_text() for page in PdfReader(folder / "build" / "review.pdf").pages)
    assert "Archived copy:" in pdf and "20240520000000" in " ".join(pdf.split())


def test_the_house_style_words_the_copy(site: LinkServer, tmp_path: Path) -> None:
    folder = review_on(site, tmp_path, "status/404")
    (folder / "style").mkdir()
    (folder / "style" / "theme.yaml").write_text(
        "name: Plain\narchived_copy: 'Copy kept by the Internet Archive on {date}: {url}'\n",
        encoding="utf-8",
    )
    review = folder / "review.yaml"
    review.write_text(
        review.read_text(encoding="utf-8").replace(
            "house_style: coventry-hdrc", "house_style: style"
        ),
        encoding="utf-8",
    )
    invoke("check-links", str(folder), "--delay", "0")
    build(folder, "html")
    assert f'Copy kept by the Internet Archive on 20/05/2024: <a href="{COPY}">' in html_of(folder)


def test_a_link_that_works_again_drops_the_copy(site: LinkServer, tmp_path: Path) -> None:
    folder = review_on(site, tmp_path, "status/404")
    invoke("check-links", str(folder), "--delay", "0")
    build(folder, "html")
    assert "Archived copy" in html_of(folder)
    sources = folder / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace(site.url("status/404"), site.url("ok?back")),
        encoding="utf-8",
    )
    invoke("check-links", str(folder), "--delay", "0")
    build(folder, "html")
    assert "Archived copy" not in html_of(folder)

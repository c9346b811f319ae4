"""What the PDF's pages show: list numbers as written, no lone closing on the last page, no
table row alone across a page break, no URL broken right after `https://`.

The page-break tests move a table or the closing across a page break one line at a time
(lines of filler before it) and look at every layout on the way, so they do not depend on
where the example's pages happen to break today.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, SOCIAL_VALUE_REVIEW, copy_review

from scopekit.build import build_review
from scopekit.render import build_document
from scopekit.review import load_review


def pdf_lines(pdf: Path, page: int | None = None) -> list[str]:
    """The PDF's text lines as pdftotext (poppler) reads them, of one page or of all."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    done = subprocess.run(
        ["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True
    )
    return [line for line in done.stdout.splitlines() if line.strip()]


def laid_out(review: Path) -> list:
    """WeasyPrint's pages for the review, laid out as the PDF build lays them out."""
    import weasyprint

    from scopekit.render.fonts import font_face_css, font_faces
    from scopekit.render.html import render_html
    from scopekit.render.pdf import keep_url_hosts
    from scopekit.render.pdf_patches import patched

    doc = build_document(load_review(review))
    html = render_html(doc, mode="print", fonts_css=font_face_css(font_faces()), warnings=[])
    with patched():
        return (
            weasyprint.HTML(string=keep_url_hosts(html), base_url=str(review.resolve()) + "/")
            .render()
            .pages
        )


def filler(lines: int) -> str:
    """A paragraph of `lines` short lines (hard line breaks)."""
    return "\\\n".join(f"Filler line {n}." for n in range(1, lines + 1)) if lines else ""


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    review = copy_review(SOCIAL_VALUE_REVIEW, tmp_path_factory.mktemp("sv") / "social-value")
    return build_review(review, ["pdf"]).written[0].path


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- the closing ---------------------------------------------------------------------------


def test_the_examples_last_page_holds_more_than_the_closing(example_pdf: Path) -> None:
    from pypdf import PdfReader

    doc = build_document(load_review(SOCIAL_VALUE_REVIEW))
    pages = PdfReader(example_pdf).pages
    assert len(pages) <= 7, "the example grew a page"
    last = squash(pages[-1].extract_text())
    assert squash(doc.produced_by) in last
    for known in (doc.short_title, doc.produced_by, doc.funding, doc.theme.name, doc.published):
        last = last.replace(squash(known or ""), "")
    last = re.sub(r"Page\d+of\d+|·", "", last)
    assert last, "the closing stands alone on the last page"


def closing_alone(pages: list) -> bool:
    """Whether the last page's main content is the closing only."""
    [main] = [b for b in pages[-1]._page_box.descendants() if b.element_tag == "main"]
    return [child.element.get("class") for child in main.children] == ["closing"]


def test_the_closing_never_stands_alone_on_the_last_page(tmp_path: Path) -> None:
    """Filler before the closing, by the line, up to the first layout with one more page:
    the closing is pushed over, and it must take the last lines before it along."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    findings = review / "findings.md"
    text = findings.read_text()

    def pages_with(lines: int) -> list:
        findings.write_text(f"{text}\n{filler(lines)}\n")
        return laid_out(review)

    fewest = len(pages_with(0))
    low, high = 0, 60  # the first number of filler lines that makes a page more
    assert len(pages_with(high)) > fewest
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (low, middle) if len(pages_with(middle)) > fewest else (middle, high)
    for lines in (high, high + 1):
        pages = pages_with(lines)
        assert len(pages) == fewest + 1
        assert not closing_alone(pages), f"{lines} lines of filler"


# --- table rows ----------------------------------------------------------------------------


def body_rows_per_page(pages: list, marker: str) -> list[int]:
    """How many body rows of the table whose first cells read `marker N` each page holds."""
    from weasyprint.formatting_structure.boxes import TableRowBox

    def text(box) -> str:
        if hasattr(box, "text"):
            return box.text
        return "".join(text(child) for child in getattr(box, "children", ()))

    return [
        sum(
            isinstance(box, TableRowBox) and text(box.children[0]).startswith(marker)
            for box in page._page_box.descendants()
        )
        for page in pages
    ]


def test_a_four_row_table_never_leaves_one_row_alone(tmp_path: Path) -> None:
    """Filler before a four-row table, by the line, until the whole table is on the next
    page: on the way the page break falls before each of its rows."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    methods = review / "methods.md"
    rows = "\n".join(f"| Row {n} | Search {n} | {n * 10} |" for n in range(1, 5))
    table = f"| Row | Where | Results |\n| --- | --- | --- |\n{rows}\n"
    splits = []
    for lines in range(0, 40):
        methods.write_text(f"# Methods\n\n{filler(lines)}\n\n{table}\nAfter the table.\n")
        counts = [n for n in body_rows_per_page(laid_out(review), "Row ") if n]
        assert sum(counts) == 4
        if lines == 0:
            assert len(counts) == 1, "the sweep must start with the table on one page"
        if len(counts) > 1:
            splits.append(counts)
        assert 1 not in counts, f"{lines} lines of filler: rows per page {counts}"
        if len(counts) == 1 and lines and splits:
            break  # the table has moved wholly to the next page
    else:
        pytest.fail("the table never moved to the next page")
    assert splits, "the page break never fell inside the table"


# --- list numbers and URLs -----------------------------------------------------------------

URL = "https://www.example-borough-council.gov.uk/transport/active-travel/reports/{n}/evaluation"


@pytest.fixture(scope="module")
def many_urls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clean review with a list that starts at 5 and 24 notes with long URLs, each
    after a title a word longer than the last: somewhere a URL meets a line's end."""
    review = copy_review(CLEAN_REVIEW, tmp_path_factory.mktemp("urls") / "clean")
    words = "walking cycling routes schemes trips council residents evaluation".split()
    sources, calls = [], []
    for n in range(1, 25):
        title = " ".join(words[i % len(words)] for i in range(n)).capitalize()
        sources.append(
            f"- id: report-{n}\n  type: webpage\n  title: {title}\n"
            f"  publisher: Borough Council\n  URL: {URL.format(n=n)}\n  accessed: 2024-05-20\n"
        )
        calls.append(f"Finding {n}.[@report-{n}]")
    with (review / "sources.yaml").open("a") as out:
        out.write("\n" + "\n".join(sources))
    findings = review / "findings.md"
    text = findings.read_text()
    text = text.replace("1. [School streets]", "5. [School streets]")
    findings.write_text(text + "\n## Reports\n\n" + " ".join(calls) + "\n")
    return build_review(review, ["pdf"]).written[0].path


def test_an_ordered_list_starts_where_the_markdown_starts_it(many_urls: Path) -> None:
    items = ("School streets", "cycle training", "led walks")
    numbers = [
        line.split(".")[0] for line in pdf_lines(many_urls) for item in items if f". {item}" in line
    ]
    assert numbers == ["5", "6", "7"]


def test_urls_in_notes_never_break_right_after_the_scheme(
    many_urls: Path, example_pdf: Path
) -> None:
    lines = pdf_lines(many_urls)
    host = "www.example-borough-council.gov.uk"
    assert any(line.startswith(f"https://{host}/") for line in lines), "no URL met a line end"
    for line in lines:  # the scheme and the host are never parted
        for found in re.findall(r"https?://([^/\s]*)", line):
            assert found == host or not host.startswith(found), line
    for line in pdf_lines(example_pdf):
        assert not re.search(r"https?://$", line), line


# --- lines before an inline element --------------------------------------------------------

SCHOOL_STREET = (
    "A “school street” is a road outside a school that is closed to motor traffic at "
    "drop‑off and pick‑up times.[@sustrans-school-streets] Coventry’s Transport team asked "
    "whether the schemes reduce traffic at the school gate, and what other councils report."
)


def test_a_paragraph_whose_first_line_ends_before_a_note_call_is_not_cut_after_a_word(
    tmp_path: Path,
) -> None:
    """The text before a note call is one piece of text ending in a space: WeasyPrint 70
    measured it with that space, which hangs at the end of the line, found it too wide by
    the space, and broke after the first word ("A" alone on the first line)."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    background = review / "background.md"
    text = background.read_text(encoding="utf-8")
    background.write_text(text.replace("# Background\n", f"# Background\n\n{SCHOOL_STREET}\n", 1))
    lines = pdf_lines(build_review(review, ["pdf"], force=True).written[0].path)
    first = lines.index("Background") + 1
    assert lines[first].startswith("A “school street” is a road outside a school"), lines[first]

"""`scopekit build --format docx`: a real Word document, from the same notes as HTML and PDF.

The document, styles, footnotes and numbering parts of two builds are kept pretty-printed in
tests/golden/<review>.docx/word/. Regenerate them on purpose, then review the diff:

    SCOPEKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_docx.py -k golden
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import (
    CLEAN_REVIEW,
    EVERY_FORM_REVIEW,
    GOLDEN_DIR,
    SOCIAL_VALUE_REVIEW,
    assert_matches_golden,
    copy_review,
)
from lxml import etree
from test_build import HOSTILE_SOURCES, pdf_pages, squash

from scopekit.build import build_review
from scopekit.render import build_document
from scopekit.render.docx import footnote_texts
from scopekit.review import load_review

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
GOLDEN_PARTS = ("word/document.xml", "word/styles.xml", "word/footnotes.xml", "word/numbering.xml")
HOUSE_STYLES = {
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "Normal",
    "List Bullet",
    "List Bullet 2",
    "List Number",
    "List Number 2",
    "List Continue",
    "Footnote Text",
    "Table Text",
    "Table Heading",
    "Produced By",
    "Updated",
    "Closing",
    "Quote",
    "Code",
    "Key Messages Heading",
    "Key Message",
}


@pytest.fixture(scope="module")
def social_value_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    review = copy_review(SOCIAL_VALUE_REVIEW, tmp_path_factory.mktemp("docx") / "social-value")
    result = build_review(review, ["docx"])
    return result.written[0].path


def part(path: Path, name: str) -> str:
    return zipfile.ZipFile(path).read(name).decode("utf-8")


def test_footnotes_part_holds_every_note_as_the_notes_model_says(social_value_docx) -> None:
    notes = build_document(load_review(SOCIAL_VALUE_REVIEW)).notes.notes
    got = dict(footnote_texts(social_value_docx.read_bytes()))
    assert sorted(got) == [n.number for n in notes] == list(range(1, 25))
    for note in notes:
        assert got[note.number] == note.text
    assert got[12] == "As 7" and got[15] == "As 10" and got[19] == "As 14"
    # the body refers to each note once, in order, numbering never restarting
    body = part(social_value_docx, "word/document.xml")
    refs = [int(n) for n in re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body)]
    assert refs == list(range(1, 25))


def test_links_in_notes_are_external_hyperlinks(social_value_docx) -> None:
    rels = part(social_value_docx, "word/_rels/footnotes.xml.rels")
    notes = part(social_value_docx, "word/footnotes.xml")
    assert rels.count('TargetMode="External"') >= 20
    assert "https://www.coventry.gov.uk/socialvalue" in rels
    assert notes.count("<w:hyperlink") >= 20
    document_rels = part(social_value_docx, "word/_rels/document.xml.rels")
    assert "relationships/footnotes" in document_rels


def test_document_uses_the_house_styles(social_value_docx) -> None:
    import docx

    word = docx.Document(str(social_value_docx))
    used = {p.style.name for p in word.paragraphs}
    for table in word.tables:
        used |= {p.style.name for row in table.rows for c in row.cells for p in c.paragraphs}
        assert table.style.name == "Table Grid"
    assert used <= HOUSE_STYLES, used - HOUSE_STYLES
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet"} <= used
    styles = word.styles
    for name in ("Normal", "Heading 1", "Title", "Footnote Text"):
        fonts = styles[name].element.rPr.rFonts
        assert fonts.get(f"{W}ascii") == "Arial" and fonts.get(f"{W}asciiTheme") is None
    assert styles["Footnote Reference"].font.superscript
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Background", "Methods", "Findings", "Other sources"]
    assert word.paragraphs[-2].text.startswith("Produced by Dr Jack Birch")
    assert "National Institute for Health and Care Research" in word.paragraphs[-1].text


def test_page_header_footer_and_properties(social_value_docx) -> None:
    import docx
    from docx.shared import Mm

    word = docx.Document(str(social_value_docx))
    section = word.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert section.header.paragraphs[0].text == "Social value"
    footer = section.footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer and "June 2024" in footer
    first = section.first_page_header._element.xml
    assert 'descr="HDRC Coventry"' in first
    props = word.core_properties
    assert props.title == "What are other local authorities doing around social value?"
    assert props.author == "Dr Jack Birch"
    assert props.language == "en-GB"
    assert props.created.year == 2024 and props.created.month == 6
    assert "Rapid scoping review" in props.subject
    table = word.tables[0]
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert [c.text for c in table.rows[0].cells][:3] == ["Where", "Query", "Dates covered"]
    assert "~17,300" in [c.text for c in table.rows[1].cells]


def test_images_carry_alt_text_and_lists_number(tmp_path: Path) -> None:
    import docx

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    path = build_review(review, ["docx"]).written[0].path
    document = part(path, "word/document.xml")
    assert 'descr="Bar chart: share of trips under 2 km by mode in Coventry"' in document
    word = docx.Document(str(path))
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert len(numbered) == 3 and numbered[0].text.startswith("School streets")


def test_same_bytes_twice(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    first = build_review(review, ["docx"], tmp_path / "a").written[0].path.read_bytes()
    second = build_review(review, ["docx"], tmp_path / "b").written[0].path.read_bytes()
    assert first == second
    for info in zipfile.ZipFile(io.BytesIO(first)).infolist():
        assert info.date_time == (2024, 6, 1, 0, 0, 0)


def test_the_package_compressed_once_is_python_docx_s_save_restamped(tmp_path: Path) -> None:
    """`save` writes python-docx's parts straight into the stamped zip: the same bytes as
    saving with python-docx and rewriting every entry with `fixed_zip`."""
    from scopekit.render.docx import fixed_zip, save
    from scopekit.render.docx.template import styled_template

    doc = build_document(load_review(CLEAN_REVIEW))
    word = styled_template(doc)
    word.add_paragraph("Text")
    out = io.BytesIO()
    word.save(out)
    assert save(word, doc.moment) == fixed_zip(out.getvalue(), doc.moment)


def test_source_date_epoch_dates_the_properties_and_the_zip(tmp_path: Path, monkeypatch) -> None:
    """SOURCE_DATE_EPOCH, when set, is the build moment (as for the PDF); unset, the review's
    published date is."""
    import docx

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    unset = build_review(review, ["docx"], tmp_path / "unset").written[0].path.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    path = build_review(review, ["docx"], tmp_path / "set").written[0].path
    again = build_review(review, ["docx"], tmp_path / "again").written[0].path
    assert path.read_bytes() == again.read_bytes() != unset
    props = docx.Document(str(path)).core_properties
    dates = {d.replace(tzinfo=None) for d in (props.created, props.modified, props.last_printed)}
    assert dates == {datetime(2023, 11, 14, 22, 13, 20)}  # python-docx reads them as UTC
    for info in zipfile.ZipFile(path).infolist():
        assert info.date_time == (2023, 11, 14, 22, 13, 20)
    unset_props = docx.Document(io.BytesIO(unset)).core_properties
    assert unset_props.created.replace(tzinfo=None) == datetime(2024, 6, 1)  # published 2024-06


# --- golden parts, compared one by one as pandoc's ooxmlTest does ----------------------------


@pytest.fixture(scope="module")
def golden_builds(social_value_docx, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The DOCX of each review with golden parts: social value, the clean review, and the
    review that uses every citation and note form (tests/reviews/every-form)."""
    clean = copy_review(CLEAN_REVIEW, tmp_path_factory.mktemp("golden") / "clean")
    every_form = copy_review(
        EVERY_FORM_REVIEW, tmp_path_factory.mktemp("golden-every-form") / "every-form"
    )
    return {
        "social-value": social_value_docx,
        "clean": build_review(clean, ["docx"]).written[0].path,
        "every-form": build_review(every_form, ["docx"]).written[0].path,
    }


def pretty_part(docx: Path, name: str) -> str:
    """A part of the package as indented XML, one element a line, so a diff reads."""
    root = etree.fromstring(zipfile.ZipFile(docx).read(name))
    return etree.tostring(root, pretty_print=True, encoding="unicode")


@pytest.mark.parametrize("name", GOLDEN_PARTS)
@pytest.mark.parametrize("review", ["social-value", "clean", "every-form"])
def test_docx_part_matches_golden(golden_builds: dict[str, Path], review: str, name: str) -> None:
    built = pretty_part(golden_builds[review], name)
    golden = GOLDEN_DIR / f"{review}.docx" / name
    assert_matches_golden(built, golden, f"{name} of the {review} DOCX")


def test_hostile_text_is_stored_as_text(tmp_path: Path) -> None:
    import docx

    review = copy_review(CLEAN_REVIEW, tmp_path / "hostile")
    text = (review / "review.yaml").read_text()
    (review / "review.yaml").write_text(
        re.sub(
            r"^title: (.*)$",
            lambda m: f"title: \"<script>alert('t')</script> \\x07{m[1]}\"",
            text,
            count=1,
            flags=re.M,
        )
    )
    (review / "sources.yaml").write_text(
        (review / "sources.yaml").read_text() + "\n" + HOSTILE_SOURCES
    )
    (review / "findings.md").write_text(
        (review / "findings.md").read_text()
        + "\nBad [link](javascript:alert(2)), [evil](@evil), [@evil] and <w:p>xml</w:p>.\n"
    )
    path = build_review(review, ["docx"], force=True).written[0].path
    word = docx.Document(str(path))
    assert (
        word.paragraphs[1].text == "<script>alert('t')</script> What helps people walk "
        "and cycle for short local journeys?"
    )
    assert any("<w:p>xml</w:p>" in p.text for p in word.paragraphs)
    rels = part(path, "word/_rels/document.xml.rels") + part(path, "word/_rels/footnotes.xml.rels")
    assert "javascript:" not in rels
    notes = dict(footnote_texts(path.read_bytes()))
    assert any("<script>alert('source')</script> & friends" in t for t in notes.values())


def _poppler() -> None:
    """pdftotext and pdftoppm (poppler-utils), which .ci/run installs: a skip locally only."""
    if shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    if os.environ.get("CI"):
        pytest.fail("poppler-utils is missing: .ci/run must install it")
    pytest.skip("pdftoppm and pdftotext (poppler-utils) are not installed")


def _first_page(pdf: Path, tmp_path: Path, dpi: int) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of the PDF's first page rendered at `dpi`."""
    _poppler()
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf),
            str(tmp_path / "p"),
        ],
        check=True,
    )
    return _ppm(tmp_path / "p.ppm")


def _first_page_words(pdf: Path) -> str:
    """pdftotext's word boxes (`-bbox` XHTML) of the PDF's first page."""
    _poppler()
    return subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("LibreOffice is missing: .ci/run must install libreoffice-writer-nogui")
    pytest.skip("LibreOffice (soffice) is not installed")


def test_libreoffice_opens_it_and_shows_the_footnotes(social_value_docx, tmp_path) -> None:
    pdf = _libreoffice_pdf(social_value_docx, tmp_path)
    text = squash("".join(pdf_pages(pdf)))
    notes = build_document(load_review(SOCIAL_VALUE_REVIEW)).notes.notes
    for note in notes:
        assert squash(note.text)[:50] in text, f"note {note.number} is not in the PDF"


# --- tables and lists as Word and LibreOffice lay them out ------------------------------------

NESTED_AND_ALIGNED = """

- a
  - b
    1. c
    2. d
- e

| Place | Count | Share |
|:------|------:|:-----:|
| Coventry | 12 | half |
| Solihull | 7 | a third |
"""


@pytest.fixture(scope="module")
def tables_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Social value with run dates in its search log, a nested list and an aligned table."""
    review = copy_review(SOCIAL_VALUE_REVIEW, tmp_path_factory.mktemp("tables") / "social-value")
    searches = review / "searches.yaml"
    text = searches.read_text(encoding="utf-8")
    for results in ("  results: 17300\n", "  results: 794\n"):
        assert text.count(results) == 1
        text = text.replace(results, "  run: 2026-11-20\n" + results)
    searches.write_text(text, encoding="utf-8")
    background = review / "background.md"
    background.write_text(
        background.read_text(encoding="utf-8") + NESTED_AND_ALIGNED, encoding="utf-8"
    )
    return build_review(review, ["docx"]).written[0].path


def _body(path: Path):
    from lxml import etree

    return etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))


def _cell_texts(row) -> list[str]:
    return ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in row.iter(f"{W}tc")]


def _table(path: Path, first_heading: str):
    """The table whose first header cell reads `first_heading`."""
    tables = _body(path).findall(f".//{W}tbl")
    return next(t for t in tables if _cell_texts(t.find(f"{W}tr"))[0] == first_heading)


def test_no_table_row_splits_across_pages(tables_docx) -> None:
    tables = _body(tables_docx).findall(f".//{W}tbl")
    assert len(tables) == 2  # the search log and the pipe table
    for table in tables:
        rows = table.findall(f"{W}tr")
        assert len(rows) >= 3
        for number, row in enumerate(rows):
            props = [child.tag for child in row.find(f"{W}trPr")]
            wanted = [f"{W}cantSplit", f"{W}tblHeader"] if number == 0 else [f"{W}cantSplit"]
            assert props == wanted, (_cell_texts(row), props)


def test_pipe_table_columns_keep_their_alignment(tables_docx) -> None:
    table = _table(tables_docx, "Place")
    for row in table.findall(f"{W}tr"):
        cells = row.findall(f"{W}tc")
        jc = [cell.find(f"{W}p/{W}pPr/{W}jc") for cell in cells]
        assert jc[0] is None  # left: the house default, nothing written
        assert [j.get(f"{W}val") for j in jc[1:]] == ["right", "center"], _cell_texts(row)
    assert _cell_texts(table.findall(f"{W}tr")[1]) == ["Coventry", "12", "half"]


def test_run_column_holds_a_date_on_one_line(tables_docx) -> None:
    """The Run column is wider than a date at the table size (Arimo has Arial's metrics),
    with the cell margins of Table Grid and room for a wider font; the widths fill 170 mm."""
    from fontpkg_arimo import ROOT as ARIMO
    from fontTools.ttLib import TTFont

    font = TTFont(next(ARIMO.rglob("Arimo[[]wght[]].ttf")))
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    em = sum(advances[cmap[ord(c)]][0] for c in "20/11/2026") / font["head"].unitsPerEm
    date = em * 9.5 * 20  # twips at 9.5 pt (Table Text)
    styles = zipfile.ZipFile(tables_docx).read("word/styles.xml").decode()
    grid = re.search(r'w:styleId="TableGrid".*?</w:style>', styles, re.S)[0]
    margins = sum(int(re.search(rf'<w:{side} w:w="(\d+)"', grid)[1]) for side in ("left", "right"))
    table = _table(tables_docx, "Where")
    assert _cell_texts(table.find(f"{W}tr")) == [
        "Where",
        "Query",
        "Dates covered",
        "Run",
        "Results",
    ]
    widths = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
    assert widths[3] >= 1.15 * (date + margins), (widths[3], date + margins)
    assert abs(sum(widths) - 170 / 25.4 * 1440) < 20  # A4 less 20 mm margins, in twips


def _libreoffice_pdf(docx: Path, tmp_path: Path) -> Path:
    soffice = _soffice()
    result = subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(docx)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / (docx.stem + ".pdf")
    assert result.returncode == 0 and pdf.is_file(), result.stderr
    return pdf


def _libreoffice_text(docx: Path, tmp_path: Path) -> str:
    pdf = _libreoffice_pdf(docx, tmp_path)
    _poppler()
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_libreoffice_lays_out_dates_whole_and_lists_nested(tables_docx, tmp_path) -> None:
    text = _libreoffice_text(tables_docx, tmp_path)
    log = text[text.index("Search log") : text.index("Findings")]
    assert log.count("20/11/2026") == 2, log
    assert log.count("01/01/2020 – 22/05/2024") == 1, log
    # each item's marker column: a bullet is U+F0B7 (Symbol), a number its digits
    items = re.finditer(r"^( *)(?:\uf0b7\s+)?(a|b|1\. c|2\. d|e)$", text, re.M)
    indent = {found[2]: len(found[1]) for found in items}
    assert indent["a"] == indent["e"] < indent["b"] < indent["1. c"] == indent["2. d"], indent


# --- the key-messages box ------------------------------------------------------------------


@pytest.fixture(scope="module")
def key_messages_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The clean review (which has key_messages) built to DOCX."""
    review = copy_review(CLEAN_REVIEW, tmp_path_factory.mktemp("key-messages") / "clean")
    return build_review(review, ["docx"]).written[0].path


def _style_ppr(word, name: str):
    return word.styles[name].element.find(f"{W}pPr")


def test_key_messages_box_is_two_styles_sharing_one_border(key_messages_docx) -> None:
    """The box is drawn by two styles a Word user can change, not by direct formatting: a
    heading style and a bullet style with the same borders, fill and indents, which Word and
    LibreOffice join into one box; colours from the theme."""
    import docx
    from lxml import etree

    review = load_review(CLEAN_REVIEW)
    messages = review.meta.key_messages
    assert len(messages) == 2
    colours = build_document(review).theme.colours
    word = docx.Document(str(key_messages_docx))
    paragraphs = word.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Key messages")
    box = paragraphs[start : start + 1 + len(messages)]
    assert [p.style.name for p in box] == ["Key Messages Heading", "Key Message", "Key Message"]
    assert [p.text for p in box[1:]] == messages
    assert paragraphs[start + len(messages) + 1].style.name == "Heading 1"  # Background
    for paragraph in box:  # the box's paragraphs name their style and nothing else
        assert [child.tag for child in paragraph._p.pPr] == [f"{W}pStyle"]
    body = part(key_messages_docx, "word/document.xml")
    assert "<w:pBdr" not in body and "<w:shd" not in body

    heading, item = word.styles["Key Messages Heading"], word.styles["Key Message"]
    assert heading.base_style.name == "Heading 1"  # still a heading (outline level 1)
    assert item.base_style.name == "List Bullet"  # still bulleted, by List Bullet's numbering
    assert item.base_style.element.pPr.numPr is not None
    assert heading.next_paragraph_style.name == "Key Message"
    parts = {}
    for style in (heading, item):
        ppr = _style_ppr(word, style.name)
        border, shading, ind = (ppr.find(f"{W}{tag}") for tag in ("pBdr", "shd", "ind"))
        assert border is not None and shading is not None and ind is not None, style.name
        parts[style.name] = [etree.tostring(e) for e in (border, shading, ind)]
        left = border.find(f"{W}left")
        assert left.get(f"{W}color") == colours.accent.lstrip("#").upper()
        assert left.get(f"{W}val") == "single" and 32 <= int(left.get(f"{W}sz")) <= 40
        assert int(left.get(f"{W}space")) >= 4
        assert shading.get(f"{W}fill") == colours.tint.lstrip("#").upper()
        others = {e.get(f"{W}color") for e in border if e is not left}
        assert others <= {colours.tint.lstrip("#").upper()}  # padding, lost in the fill
        # the rule stays inside the text column: bullet, padding and rule fit the indent
        first_line = int(ind.get(f"{W}left")) - int(ind.get(f"{W}hanging", "0"))
        rule = int(left.get(f"{W}space")) * 20 + int(left.get(f"{W}sz")) * 20 / 8
        assert first_line >= rule
    assert parts["Key Messages Heading"] == parts["Key Message"]


def _ppm(path: Path) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of a binary PPM as pdftoppm writes it."""
    data = path.read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P6" and depth == b"255"
    return int(width), int(height), pixels[: int(width) * int(height) * 3]


def _runs(column: list[bool]) -> list[tuple[int, int]]:
    """(first, last) rows of each run of True in a column of pixels."""
    runs: list[tuple[int, int]] = []
    for row, hit in enumerate(column):
        if hit and runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        elif hit:
            runs.append((row, row))
    return runs


def test_libreoffice_draws_the_key_messages_as_one_box(key_messages_docx, tmp_path) -> None:
    """On LibreOffice's first page the teal rule and the tint fill run unbroken from the
    heading to the last bullet, and hold them: one box, not one per paragraph."""
    pdf = _libreoffice_pdf(key_messages_docx, tmp_path)
    width, height, pixels = _first_page(pdf, tmp_path, 72)  # 72 dpi: a pixel is a point

    def column(x: int, rgb: tuple[int, int, int], slack: int) -> list[bool]:
        return [
            all(abs(pixels[(y * width + x) * 3 + c] - rgb[c]) <= slack for c in range(3))
            for y in range(height)
        ]

    colours = build_document(load_review(CLEAN_REVIEW)).theme.colours
    accent, tint = (bytes.fromhex(c.lstrip("#")) for c in (colours.accent, colours.tint))
    margin = round(20 / 25.4 * 72)  # the rule starts at the 20 mm margin
    rules = _runs(column(margin + 2, tuple(accent), 16))
    assert len(rules) == 1, rules  # one rule, unbroken between the paragraphs
    top, bottom = rules[0]
    fills = _runs(column(width - margin - 4, tuple(tint), 6))  # inside, right of the text
    assert any(abs(a - top) <= 2 and abs(b - bottom) <= 2 for a, b in fills), (rules, fills)
    words = _first_page_words(pdf)
    boxes = {
        m[5]: (float(m[1]), float(m[2]), float(m[3]), float(m[4]))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
            words,
        )
    }
    for word in ("Key", "messages", "Protected", "described.", "activity."):
        x_min, y_min, x_max, y_max = boxes[word]
        assert top < y_min and y_max < bottom, (word, boxes[word], rules)
        assert margin + 8 < x_min and x_max < width - margin, (word, boxes[word])
    assert boxes["Background"][1] > bottom  # the next section starts below the box


# --- tables, the closing and the first page as the PDF has them ---------------------------------


def _grid_style(path: Path):
    from lxml import etree

    styles = etree.fromstring(zipfile.ZipFile(path).read("word/styles.xml"))
    return next(s for s in styles.iterfind(f"{W}style") if s.get(f"{W}styleId") == "TableGrid")


def test_table_grid_style_is_the_pdf_table(tables_docx) -> None:
    """Table Grid itself (so every table, and a Word user can change it): thin light grey
    rules, padded cells, a navy header row in white bold, its border on the text margin; the
    tables name the style and carry none of it themselves; Results right-aligned."""
    colours = build_document(load_review(SOCIAL_VALUE_REVIEW)).theme.colours
    primary = colours.primary.lstrip("#").upper()
    grid = _grid_style(tables_docx)
    tblpr = grid.find(f"{W}tblPr")
    borders = tblpr.find(f"{W}tblBorders")
    assert [b.tag for b in borders] == [
        f"{W}{side}" for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    ]
    for border in borders:
        assert border.get(f"{W}val") == "single" and int(border.get(f"{W}sz")) <= 4
        colour = border.get(f"{W}color")
        assert colour not in ("auto", "000000")
        assert min(bytes.fromhex(colour)) >= 0x80, colour  # light: never the black grid
    margins = {m.tag[len(W) :]: int(m.get(f"{W}w")) for m in tblpr.find(f"{W}tblCellMar")}
    assert 85 <= margins["left"] == margins["right"] <= 114, margins  # 1.5-2 mm in twips
    assert 50 <= margins["top"] == margins["bottom"] <= 70, margins  # about 1 mm
    # compatibility mode 14: the border sits one cell padding left of the indent
    assert int(tblpr.find(f"{W}tblInd").get(f"{W}w")) == margins["left"]
    header = grid.find(f"{W}tblStylePr[@{W}type='firstRow']")
    assert header.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == primary
    assert header.find(f"{W}rPr/{W}b") is not None
    assert header.find(f"{W}rPr/{W}color").get(f"{W}val") == "FFFFFF"
    for table in _body(tables_docx).findall(f".//{W}tbl"):
        own = table.find(f"{W}tblPr")
        assert own.find(f"{W}tblStyle").get(f"{W}val") == "TableGrid"
        for tag in ("tblBorders", "tblInd", "tblCellMar", "shd"):
            assert own.find(f"{W}{tag}") is None, tag
        assert table.find(f".//{W}tcBorders") is None and table.find(f".//{W}tc//{W}shd") is None
    log = _table(tables_docx, "Where")
    for row in log.findall(f"{W}tr"):
        jc = [cell.find(f"{W}p/{W}pPr/{W}jc") for cell in row.findall(f"{W}tc")]
        assert all(j is None for j in jc[:-1]), _cell_texts(row)
        assert jc[-1] is not None and jc[-1].get(f"{W}val") == "right", _cell_texts(row)


def _space_before(word, paragraph) -> int:
    """The space before a paragraph (its own, else its style's or a base style's), EMU."""
    if paragraph.paragraph_format.space_before is not None:
        return paragraph.paragraph_format.space_before
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.space_before is not None:
            return style.paragraph_format.space_before
        style = style.base_style
    return 0


def test_the_paragraph_after_a_table_stands_clear_of_it(key_messages_docx, tables_docx) -> None:
    """A table has no space after it in Word: the paragraph after it has 12 pt before it,
    from its heading style or its own spacing (never an empty paragraph); its style stays."""
    import docx
    from docx.shared import Pt
    from docx.text.paragraph import Paragraph

    followers = []
    for path in (key_messages_docx, tables_docx):
        word = docx.Document(str(path))
        for table in word.tables:
            after = table._tbl.getnext()
            assert after.tag == f"{W}p"
            paragraph = Paragraph(after, word._body)
            assert paragraph.text.strip(), "an empty paragraph after a table"
            assert _space_before(word, paragraph) >= Pt(12), paragraph.text
            followers.append(paragraph)
    # the clean review's table is followed by body text, which keeps its style
    assert followers[0].style.name == "Normal" and followers[0].text.startswith("We screened")
    assert {p.style.name for p in followers[1:]} <= {"Heading 1", "Heading 2"}


def test_closing_lines_keep_with_the_funding_text(social_value_docx) -> None:
    """ "Produced by" never ends a page with the funding text alone on the next: its style
    keeps it with the next paragraph, and the funding text is never split."""
    import docx

    word = docx.Document(str(social_value_docx))
    produced, funding = word.paragraphs[-2:]
    assert produced.style.name == "Produced By" and funding.style.name == "Closing"
    assert [child.tag for child in produced._p.pPr] == [f"{W}pStyle"]  # by its style only
    assert produced.style.paragraph_format.keep_with_next
    assert produced.style.base_style.name == "Normal"
    assert _space_before(word, produced) > 0  # the gap above the closing line, as before
    assert funding.style.paragraph_format.keep_together
    assert word.styles["Updated"].paragraph_format.keep_with_next


def test_first_page_masthead_is_ruled_and_navy(social_value_docx) -> None:
    """The logo strip's paragraph style (Masthead, on Header) draws the navy rule under it
    and names the partner in navy; no run colours it; the logo has no distance to the text;
    the type line and the title are not letter-spaced."""
    import docx

    colours = build_document(load_review(SOCIAL_VALUE_REVIEW)).theme.colours
    primary = colours.primary.lstrip("#").upper()
    word = docx.Document(str(social_value_docx))
    first = word.sections[0].first_page_header.paragraphs[0]
    assert first.style.name == "Masthead" and first.style.base_style.name == "Header"
    assert str(first.style.font.color.rgb) == primary
    rule = first.style.element.pPr.find(f"{W}pBdr/{W}bottom")
    assert rule.get(f"{W}color") == primary and int(rule.get(f"{W}sz")) >= 24
    assert first.text.endswith("Coventry City Council")
    for run in first.runs:
        assert run._r.rPr is None or run._r.rPr.find(f"{W}color") is None
    inline = first._p.find(f".//{{{WP}}}inline")
    assert [inline.get(side) for side in ("distT", "distB", "distL", "distR")] == ["0"] * 4
    for name in ("Title", "Subtitle"):
        assert word.styles[name].element.rPr.find(f"{W}spacing") is None, name
    assert word.sections[0].header.paragraphs[0].style.name == "Header"  # no rule on page 2+


def test_libreoffice_puts_table_and_logo_on_the_margin(key_messages_docx, tmp_path) -> None:
    """On LibreOffice's first page of the clean review, the table's navy header row and the
    logo start on the 20 mm margin (not 1.9 mm and 3.2 mm off it), the masthead rule spans
    the text width, and the text after the table stands clear of it."""
    pdf = _libreoffice_pdf(key_messages_docx, tmp_path)
    width, height, pixels = _first_page(pdf, tmp_path, 144)  # 144 dpi: two pixels a point
    navy = bytes.fromhex(
        build_document(load_review(CLEAN_REVIEW)).theme.colours.primary.lstrip("#")
    )

    def pixel(x: int, y: int) -> bytes:
        return pixels[(y * width + x) * 3 : (y * width + x) * 3 + 3]

    def is_navy(x: int, y: int) -> bool:
        return all(abs(a - b) <= 24 for a, b in zip(pixel(x, y), navy))

    margin = 20 / 25.4 * 144
    rows = []  # (y, first x, last x) of each pixel row with a long navy run
    for y in range(height):
        xs = [x for x in range(0, width, 2) if is_navy(x, y)]
        if len(xs) > 0.8 * (width - 2 * margin) / 2:
            rows.append((y, xs[0], xs[-1]))
    bands: list[list[tuple[int, int, int]]] = []  # runs of such rows, 3 pt thick or more
    for row in rows:
        if bands and bands[-1][-1][0] == row[0] - 1:
            bands[-1].append(row)
        else:
            bands.append([row])
    bands = [band for band in bands if len(band) >= 6]  # not a link's underline
    assert len(bands) == 2, [(b[0][0], len(b)) for b in bands]
    rule, header = (band[len(band) // 2] for band in bands)  # masthead rule, header row
    assert rule[0] < 30 / 25.4 * 144 < header[0]
    for _y, left, right in (rule, header):
        assert abs(left - margin) <= 3 and abs(right - (width - margin)) <= 3, (left, right)
    dark = [  # the logo: its leftmost dark pixel, above the rule
        x for y in range(rule[0] - 4) for x in range(width) if max(pixel(x, y)) < 120
    ]
    assert abs(min(dark) - margin) <= 3, (min(dark), margin)
    words = _first_page_words(pdf)
    boxes = {
        m[3]: (float(m[1]), float(m[2]))
        for m in re.finditer(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', words
        )
    }
    last_cell, after = boxes["intervention"], boxes["screened"]  # yMin, yMax in points
    assert after[0] - last_cell[1] >= 12 + 2.8, (last_cell, after)  # 12 pt + the cell padding


# --- what HTML and PDF show, Word shows too ---------------------------------------------------

BREAK_CODE_QUOTE = """

Before the break, with `inline code` in it.

***

> A quotation from a council strategy.

After the break.
"""


def test_thematic_break_inline_code_and_quotes_reach_word(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    with (review / "findings.md").open("a", encoding="utf-8") as findings:
        findings.write(BREAK_CODE_QUOTE)
    docx = build_review(review, ["docx"]).written[0].path
    body = _body(docx)
    paragraphs = {"".join(t.text or "" for t in p.iter(f"{W}t")): p for p in body.iter(f"{W}p")}
    style = lambda p: p.find(f"{W}pPr/{W}pStyle").get(f"{W}val")  # noqa: E731
    rule = next(p for text, p in paragraphs.items() if text == "" and style(p) == "ThematicBreak")
    assert rule is not None
    assert style(paragraphs["A quotation from a council strategy."]) == "Quote"
    code = [
        r
        for r in paragraphs["Before the break, with inline code in it."].iter(f"{W}r")
        if r.find(f"{W}rPr/{W}rStyle[@{W}val='InlineCode']") is not None
    ]
    assert ["".join(t.text for t in r.iter(f"{W}t")) for r in code] == ["inline code"]
    styles = part(docx, "word/styles.xml")
    assert "Courier New" in styles and 'w:styleId="InlineCode"' in styles
    assert re.search(r'w:styleId="Quote".*?<w:ind w:left="\d+" w:right="\d+"', styles, re.S)
    # LibreOffice lays the quote out indented and draws the rule
    text = _libreoffice_text(docx, tmp_path)
    assert "A quotation from a council strategy." in text and "inline code" in text


def test_as_n_is_a_live_cross_reference_word_can_update(social_value_docx, tmp_path) -> None:
    """ "As 7" is a NOTEREF field to a bookmark on note 7's mark: add a note before it in
    Word and the number follows. LibreOffice, which reads the field, shows the cached 7."""
    notes = part(social_value_docx, "word/footnotes.xml")
    assert notes.count("NOTEREF _RefNote") == 3
    body = part(social_value_docx, "word/document.xml")
    for number in (7, 10, 14):
        assert re.search(
            rf'<w:bookmarkStart w:id="{number}" w:name="_RefNote{number}"/>'
            rf'<w:bookmarkStart w:id="\d+" w:name="_skn{number}"/>'
            rf'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            rf'<w:footnoteReference w:id="{number}"/></w:r><w:bookmarkEnd w:id="\d+"/>'
            rf'<w:bookmarkEnd w:id="{number}"/>',
            body,
        )
    text = squash(_libreoffice_text(social_value_docx, tmp_path))
    assert all(squash(f"As {n}") in text for n in (7, 10, 14))


def test_no_bookmark_or_heading_holds_a_citation_key(tmp_path: Path) -> None:
    """`## Infrastructure [@dft-cwis2]`: the heading reads "Infrastructure" and its note; no
    bookmark (notes' `_RefNoteN` and merge's hidden `_skN`/`_sknN` anchors) is named after
    a source key."""
    result = build_review(EVERY_FORM_REVIEW, ["docx"], out_dir=tmp_path)
    with zipfile.ZipFile(result.written[0].path) as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    names = [b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")]
    assert names and all(re.fullmatch(r"_RefNote\d+|_skn?\d+", name) for name in names), names
    heading = next(
        p
        for p in body.iter(f"{W}p")
        if p.find(f"{W}pPr/{W}pStyle") is not None
        and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val").startswith("Heading")
        and "Infrastructure" in "".join(p.itertext())
    )
    assert "".join(t.text or "" for t in heading.iter(f"{W}t")).strip() == "Infrastructure"
    assert heading.find(f".//{W}footnoteReference") is not None

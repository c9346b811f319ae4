"""Figures and tables with captions, numbered "Figure 1", "Table 1" in every format; SVG and
WebP figures made into PNG for Word.

tests/reviews/figures/ is the clean review with a captioned table in Methods, and in
Findings a PNG, an SVG and a WebP figure with captions (one with emphasis and a citation),
two captioned tables (caption before, and `:` caption after) and an image in the text.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import GOLDEN_DIR, TESTS_DIR, assert_matches_golden, copy_review
from test_build import pdf_pages, squash
from test_docx import _libreoffice_text, part
from test_pdf_structure import elements, kids

from scopekit.build import build_review
from scopekit.review.markdown import parse

FIGURES = TESTS_DIR / "reviews" / "figures"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CAPTIONS = [
    "Table 1: The searches, as run",
    "Figure 1: Trips under 2 km by mode, Coventry",
    "Table 2: Schemes councils described, by kind",
    "Figure 2: Schemes evaluated, by kind",
    "Table 3: Programmes councils ran",
    "Figure 3: Led walks",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    review = copy_review(FIGURES, tmp_path_factory.mktemp("figures") / "figures")
    result = build_review(review, ["html", "pdf", "docx"])
    return {w.path.suffix[1:]: w.path for w in result.written}


def kinds(text: str) -> list[str]:
    return [t.type for t in parse(text).tokens]


# --- the syntax ------------------------------------------------------------------------------


def test_an_image_alone_with_a_title_is_a_figure_its_title_the_caption() -> None:
    doc = parse('![A bar chart](f.png "Trips *by* mode")\n')
    assert kinds('![A bar chart](f.png "Trips *by* mode")\n') == [
        "figure_open",
        "inline",
        "figcaption_open",
        "inline",
        "figcaption_close",
        "figure_close",
    ]
    image, caption = doc.tokens[1], doc.tokens[3]
    assert image.children[0].content == "A bar chart"  # the alt text stays the alt text
    assert [c.type for c in caption.children] == ["text", "em_open", "text", "em_close", "text"]
    assert doc.tokens[2].meta["caption"] == ("figure", 1)


@pytest.mark.parametrize(
    "text",
    [
        "![A bar chart](f.png)\n",  # no title: an image, not a figure
        'See ![A bar chart](f.png "Trips")\n',  # text beside it
        '- ![A bar chart](f.png "Trips")\n',  # a tight list item, as pandoc's Plain
    ],
)
def test_other_images_are_no_figures(text: str) -> None:
    assert "figure_open" not in kinds(text)


TABLE = "| a | b |\n| - | - |\n| 1 | 2 |\n"


@pytest.mark.parametrize(
    "text",
    [
        "Table: Counts\n\n" + TABLE,
        "table: Counts\n" + TABLE,
        TABLE + "\n: Counts\n",
        TABLE + "\nTable: Counts\n",
        TABLE + "Table: Counts\n",  # markdown-it would read it as a row
    ],
    ids=["before", "before-no-blank-line", "colon-after", "after", "after-no-blank-line"],
)
def test_a_table_caption_before_or_after_goes_first_in_the_table(text: str) -> None:
    doc = parse(text)
    types = [t.type for t in doc.tokens]
    assert types[:4] == ["table_open", "caption_open", "inline", "caption_close"]
    assert doc.tokens[2].content == "Counts"
    assert doc.tokens[2].children[0].content == "Counts"
    assert "paragraph_open" not in types


def test_a_row_whose_first_cell_starts_table_is_a_row() -> None:
    doc = parse(TABLE + "| Table: 3 | 4 |\n")
    assert "caption_open" not in [t.type for t in doc.tokens]
    assert [t.content for t in doc.tokens if t.type == "inline"][-2:] == ["Table: 3", "4"]


def test_a_caption_between_two_tables_is_the_first_ones() -> None:
    doc = parse(TABLE + "\n: First\n\n" + TABLE)
    captions = [i for i, t in enumerate(doc.tokens) if t.type == "caption_open"]
    assert len(captions) == 1 and doc.tokens[captions[0] - 1].type == "table_open"
    assert doc.tokens[captions[0] + 1].content == "First"
    assert doc.tokens[captions[0] - 1] is doc.tokens[0]


@pytest.mark.parametrize("text", [": not a caption\n", "Table: alone\n", "Table:x\n\n" + TABLE])
def test_a_caption_paragraph_needs_its_table(text: str) -> None:
    assert "caption_open" not in kinds(text)


def test_nothing_in_a_note_is_numbered() -> None:
    doc = parse('Text.[^n]\n\n[^n]: ![Chart](f.png "A title")\n')
    note = next(iter(doc.footnotes.values()))
    assert "figure_open" not in [t.type for t in note.tokens + doc.tokens]


def test_a_citation_in_a_caption_is_a_note_call_and_its_text_is_checked() -> None:
    doc = parse('![Chart](f.png "Routes, TODO [@dft]")\n\nTable: Counts [@aldred]\n\n' + TABLE)
    assert [(c.key, c.line) for c in doc.citations] == [("dft", 1), ("aldred", 3)]
    assert any("TODO" in t.text for t in doc.texts)


# --- HTML and PDF ------------------------------------------------------------------------------


def test_html_matches_golden(built: dict[str, Path]) -> None:
    html = built["html"].read_text(encoding="utf-8")
    html = re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,…", html)  # the images: tested below
    assert_matches_golden(html, GOLDEN_DIR / "figures.html", "the figures review's HTML")


def test_html_figures_and_tables_are_numbered_in_reading_order(built: dict[str, Path]) -> None:
    html = built["html"].read_text(encoding="utf-8")
    shown = re.findall(r"<(?:fig)?caption[^>]*>(.*?)</(?:fig)?caption>", html, re.S)
    text = [re.sub(r"<[^>]+>", "", caption) for caption in shown]
    assert [re.sub(r"\d+$", "", t) for t in text] == CAPTIONS  # figure 2 ends in its note call
    assert html.count("<figure>") == 3 and html.count("<figcaption>") == 3
    # a table's caption is its first child, and names its scrolling region
    for number in (1, 2, 3):
        box = f'aria-labelledby="table-{number}" tabindex="0">'
        assert f'{box}\n<table>\n<caption id="table-{number}">' in html
    assert '<p>An image in the text, <img src="data:image/webp' in html


def test_pdf_shows_the_captions(built: dict[str, Path]) -> None:
    text = squash("".join(pdf_pages(built["pdf"])))
    for caption in CAPTIONS:
        assert squash(caption) in text


def test_pdf_captions_are_in_their_figure_and_table(built: dict[str, Path]) -> None:
    with pikepdf.open(built["pdf"]) as pdf:
        tree = list(elements(pdf.Root.StructTreeRoot))
        captions = [e for e in tree if e.S == "/Caption"]
        parents = sorted(str(c.P.S) for c in captions)
        assert parents == ["/Figure"] * 3 + ["/Table"] * 3
        for figure in (c.P for c in captions if c.P.S == "/Figure"):
            assert str(figure.Alt)  # the alt text stays on the figure
            assert any(isinstance(k, int) for k in kids(figure))  # and the image in it


# --- DOCX ------------------------------------------------------------------------------------


def caption_paragraphs(docx: Path) -> list:
    from lxml import etree

    body = etree.fromstring(part(docx, "word/document.xml").encode())
    return [
        p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle[@{W}val='Caption']") is not None
    ]


def test_docx_captions_are_caption_paragraphs_with_seq_fields(built: dict[str, Path]) -> None:
    paragraphs = caption_paragraphs(built["docx"])
    texts = ["".join(p.itertext()) for p in paragraphs]
    fields = [p.findtext(f".//{W}instrText").strip() for p in paragraphs]
    assert [re.sub(r" SEQ \w+ \\\* ARABIC ", "", t) for t in texts] == CAPTIONS
    assert fields == [f"SEQ {c.split()[0]} \\* ARABIC" for c in CAPTIONS]
    for paragraph, caption in zip(paragraphs, CAPTIONS):
        runs = [r for r in paragraph.iter(f"{W}r")]
        chars = [r.find(f"{W}fldChar") for r in runs]
        kinds_ = [c.get(f"{W}fldCharType") for c in chars if c is not None]
        assert kinds_ == ["begin", "separate", "end"]
        cached = runs[[i for i, c in enumerate(chars) if c is not None][1] + 1]
        assert cached.findtext(f"{W}t") == caption.split()[1].rstrip(":")
    # a table's caption stands above its table, a figure's below its picture
    body = paragraphs[0].getparent()
    following = [p.getnext().tag for p in paragraphs]
    assert [t == f"{W}tbl" for t in following] == [c.startswith("Table") for c in CAPTIONS]
    assert all(p.getparent() is body for p in paragraphs)


def test_docx_has_svg_and_webp_figures_as_png_with_their_alt_text(built: dict[str, Path]) -> None:
    from PIL import Image

    document = part(built["docx"], "word/document.xml")
    assert "image not shown" not in document
    for alt in (
        "Bar chart: schemes evaluated, by kind",
        "Two squares: walks led and walks joined",
        "a small square",
    ):
        assert f'descr="{alt}"' in document
    with zipfile.ZipFile(built["docx"]) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert all(n.endswith(".png") for n in media)
        images = [Image.open(io.BytesIO(archive.read(n))) for n in media]
    sizes = {image.size for image in images}
    assert (720, 360) in sizes  # the 240 x 120 SVG, drawn at three times its size
    assert (200, 100) in sizes  # the WebP, pixel for pixel
    svg = next(i for i in images if i.size == (720, 360)).convert("RGB")
    assert svg.getpixel((120, 300)) == (0x1D, 0x3F, 0x7A)  # a navy bar where the SVG has one


def test_docx_svg_and_webp_convert_with_no_build_warning(tmp_path: Path) -> None:
    review = copy_review(FIGURES, tmp_path / "figures")
    result = build_review(review, ["docx"])
    assert result.written[0].warnings == []


def test_an_svg_naming_other_files_is_not_drawn(tmp_path: Path) -> None:
    review = copy_review(FIGURES, tmp_path / "figures")
    svg = review / "figures" / "routes.svg"
    svg.write_text(
        svg.read_text().replace(
            "</svg>", '<image href="../../secret.png" width="9" height="9"/></svg>'
        )
    )
    result = build_review(review, ["docx"])
    docx = result.written[0].path
    assert "[image not shown in Word: Bar chart: schemes evaluated, by kind]" in part(
        docx, "word/document.xml"
    )
    assert result.written[0].warnings == [
        "routes.svg: not shown in Word: it names other files (href), which are not read"
    ]


def test_libreoffice_shows_the_captions_and_their_numbers(built: dict[str, Path], tmp_path) -> None:
    text = squash(_libreoffice_text(built["docx"], tmp_path))
    for caption in CAPTIONS:
        assert squash(caption) in text


def test_pandoc_reads_the_captions_and_the_converted_figures(built: dict[str, Path]) -> None:
    pypandoc = pytest.importorskip("pypandoc")
    markdown = pypandoc.convert_file(str(built["docx"]), "markdown", extra_args=["--wrap=none"])
    for caption in CAPTIONS:
        assert caption.split(": ")[1].split(" *")[0] in markdown.replace("**", "")
    assert markdown.count("![") >= 4  # every figure, the SVG and the WebP among them

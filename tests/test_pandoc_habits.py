"""Pandoc and Quarto habits are read, never printed as typed (docs/review-format.md, "Pandoc
and Quarto habits"): tests/reviews/habits uses each of them, built to HTML, DOCX and PDF."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import TESTS_DIR, run_check

from scopekit.build import build_review
from scopekit.review.markdown import parse

HABITS = TESTS_DIR / "reviews" / "habits"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("habits")
    result = build_review(HABITS, ["html", "docx", "pdf"], out_dir=out, force=True)
    return {w.format: w.path for w in result.written}


@pytest.fixture(scope="module")
def html(built: dict[str, Path]) -> str:
    return built["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def document(built: dict[str, Path]) -> str:
    with zipfile.ZipFile(built["docx"]) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def test_the_habits_review_is_clean() -> None:
    code, data = run_check(HABITS, "--json")
    assert code == 0 and data["problems"] == []


def test_heading_attributes_are_ids_not_text(html: str, document: str) -> None:
    assert '<h2 id="sec-findings">Findings</h2>' in html
    assert '<h3 id="programmes">Programmes</h3>' in html
    assert "{#" not in document and "{-}" not in document


def test_a_callout_is_a_titled_box(html: str, document: str) -> None:
    box = re.search(r'<div class="callout callout-warning" role="note">(.*?)</div>', html, re.S)
    assert box is not None
    assert '<p class="callout-title">Mind the counts</p>' in box[1]
    assert "Few schemes counted both." in box[1]
    assert "Margin notes are printed in the text." in html and ":::" not in html
    assert ":::" not in document
    ruled = re.findall(r"<w:p>(?:(?!</w:p>).)*?<w:pBdr>.*?</w:p>", document, re.S)
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in ruled]
    assert texts == [
        "Mind the counts",
        "Counts are trips, not physical activity.",
        "Few schemes counted both.",
    ]


def test_figure_and_table_ids_are_cross_referenced(html: str, document: str) -> None:
    assert '<figure id="fig-modes">' in html
    assert 'id="tbl-schemes"' in html
    assert (
        'As <a class="crossref" href="#fig-modes">Figure 1</a> and '
        '<a class="crossref" href="#tbl-schemes">Table 1</a> show (see '
        '<a class="crossref" href="#sec-findings">Findings</a>)'
    ) in html
    assert "Figure 1 and Table 1 show (see Findings)" in re.sub(r"<[^>]+>", "", document)


def test_sub_superscript_and_strikethrough(html: str, document: str) -> None:
    assert "CO<sub>2</sub> per m<sup>2</sup> fell, and <s>most</s> some" in html
    assert '<w:vertAlign w:val="subscript"/>' in document
    assert '<w:vertAlign w:val="superscript"/>' in document
    assert "<w:strike/>" in document


def test_smart_dashes_and_quotes_but_code_as_typed(html: str, document: str) -> None:
    assert "councils – not all — said so… “Counted” trips, ‘not’ activity; it’s" in html
    assert "<code>a--b &quot;c&quot;</code>" in html
    assert 'a--b "c"' in document


def test_dashes_stay_in_web_addresses_and_keys() -> None:
    tokens = parse("See <https://example.org/a--b...c> and https://x.org/p--q [@a--b].\n").tokens
    children = tokens[1].children
    assert children[1].attrGet("href") == "https://example.org/a--b...c"
    assert children[2].content == "https://example.org/a--b...c"
    assert "https://x.org/p--q" in children[4].content
    assert [c.meta["items"][0].key for c in children if c.type == "citation"] == ["a--b"]


def test_newpage_breaks_the_page_in_pdf_and_docx(html: str, document: str, built) -> None:
    assert "newpage" not in html and "page-break" not in html  # the web page: nothing
    assert '<w:br w:type="page"/>' in document and "newpage" not in document
    text = subprocess.run(
        ["pdftotext", str(built["pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    page = next(p for p in text.split("\f") if "Low-traffic neighbourhood" in p)
    assert "Protected cycle routes" not in page


def test_definition_and_task_lists(html: str, document: str) -> None:
    assert "<dt>Low-traffic neighbourhood</dt>" in html
    assert "<dd>Residential streets closed to through motor traffic.</dd>" in html
    assert '<span class="task-box" role="img" aria-label="not done"></span>' in html
    assert '<span class="task-box done" role="img" aria-label="done">x</span>' in html
    assert "[ ]" not in html and "[x]" not in html
    text = re.sub(r"<[^>]+>", "", document)
    assert "\u2610 ask the council" in text and "\u2611 read the" in text


def test_front_matter_is_left_out(tmp_path: Path) -> None:
    doc = parse("---\ntitle: Findings\nauthor: A\n---\n\n# Findings\n\nText.\n")
    assert doc.habits.front_matter == 1 and doc.title == "Findings"
    assert all("title:" not in (t.content or "") for t in doc.tokens)


@pytest.mark.parametrize("line", ["\\newpage", "\\pagebreak", "{{< pagebreak >}}"])
def test_each_page_break_form_is_a_page_break(line: str) -> None:
    types = [t.type for t in parse(f"Before.\n\n{line}\n\nAfter.\n").tokens]
    assert types.count("page_break") == 1 and types.count("paragraph_open") == 2


def test_a_cross_reference_to_no_id_is_warned(tmp_path: Path) -> None:
    import shutil

    review = tmp_path / "r"
    shutil.copytree(HABITS, review)
    findings = review / "findings.md"
    findings.write_text(findings.read_text().replace("{#fig-modes}", ""), encoding="utf-8")
    _code, data = run_check(review, "--json")
    assert [(p["code"], p["message"][:40]) for p in data["problems"]] == [
        ("unparsed-citation", "cross-reference '@fig-modes' names no fi")
    ]


@pytest.mark.parametrize("attrs", ["{.unnumbered}", "{-}", "{#sec-a .unnumbered}", "{ #sec-a }"])
def test_heading_attributes_in_each_form_are_taken_off(attrs: str) -> None:
    doc = parse(f"# Background {attrs}\n\nText.\n")
    assert doc.title == "Background"
    assert doc.tokens[0].attrGet("id") == ("sec-a" if "#" in attrs else None)


def test_a_heading_that_only_ends_in_braces_keeps_them() -> None:
    assert parse("# Sets {a, b}\n").title == "Sets {a, b}"


def test_a_citation_suffix_gets_its_dashes_and_quotes() -> None:
    """A prefix or suffix is inline Markdown, read as the text is (notes.py)."""
    from scopekit.review.markdown import inline_tokens

    assert [t.content for t in inline_tokens('pp. 4--5, "emphasis"')] == ["pp. 4–5, “emphasis”"]


def _figure(text: str) -> tuple[str | None, str | None, str]:
    """The figure's id, its caption's text and the image's alt text, of `text` parsed."""
    tokens = parse(text).tokens
    caption = next((t for t in tokens if t.type == "figcaption_open"), None)
    at = tokens.index(caption) if caption else None
    image = next(
        c for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "image"
    )
    return (
        caption.meta["id"] if caption else None,
        tokens[at + 1].content if at is not None else None,
        image.content,
    )


def test_a_quarto_figure_takes_its_caption_from_the_brackets() -> None:
    """Quarto's `![Caption](file){#fig-x}`: a figure whose caption is the bracketed text."""
    assert _figure("![Map of parks](parks.png){#fig-parks}\n") == (
        "fig-parks",
        "Map of parks",
        "Map of parks",
    )


def test_a_quarto_figure_takes_its_alt_text_from_fig_alt() -> None:
    text = (
        '![Parks in Coventry](parks.png){#fig-parks fig-alt="Map: 12 parks, most in the south"}\n'
    )
    assert _figure(text) == ("fig-parks", "Parks in Coventry", "Map: 12 parks, most in the south")


def test_an_image_without_a_title_or_figure_id_is_no_figure() -> None:
    assert _figure("![Map of parks](parks.png)\n") == (None, None, "Map of parks")
    assert _figure("![Map of parks](parks.png){#map}\n")[0] is None


def test_a_quarto_figure_is_cross_referenced_in_the_briefing(tmp_path: Path) -> None:
    import shutil

    review = tmp_path / "r"
    shutil.copytree(HABITS, review)
    findings = review / "findings.md"
    text = findings.read_text(encoding="utf-8")
    typed = re.sub(
        r'!\[[^\]]*\]\(([^ )]+) "([^"]+)"\)\{#fig-modes\}', r"![\2](\1){#fig-modes}", text
    )
    assert typed != text
    findings.write_text(typed, encoding="utf-8")
    code, data = run_check(review, "--json")
    assert code == 0 and data["problems"] == []
    out = build_review(review, ["html"], out_dir=tmp_path / "out").written[0].path
    html = out.read_text(encoding="utf-8")
    assert '<figure id="fig-modes">' in html
    assert '<a class="crossref" href="#fig-modes">Figure 1</a>' in html
    assert "Trips under 2 km by mode</figcaption>" in html and "@fig-modes" not in html


@pytest.mark.parametrize("attrs", ["{#fig-modes width=60%}", "{#fig-modes .wide width=8cm}"])
def test_a_figure_with_pandoc_bare_attribute_values_is_read(tmp_path: Path, attrs: str) -> None:
    """Pandoc reads `{#fig-x width=60%}` unquoted; the attrs plugin alone printed it as typed
    and lost the figure's id."""
    import shutil

    review = tmp_path / "r"
    shutil.copytree(HABITS, review)
    findings = review / "findings.md"
    text = findings.read_text(encoding="utf-8")
    findings.write_text(text.replace("{#fig-modes}", attrs), encoding="utf-8")
    code, data = run_check(review, "--json")
    assert code == 0 and data["problems"] == []
    out = build_review(review, ["html"], out_dir=tmp_path / "out").written[0].path
    html = out.read_text(encoding="utf-8")
    assert '<figure id="fig-modes">' in html and attrs[1:-1] not in html
    assert '<a class="crossref" href="#fig-modes">Figure 1</a>' in html


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Councils:\n\n• Hackney\n• Islington\n• Camden\n", [("•", 3)]),
        ("Councils that evaluated one:\n• Hackney\n• Islington\n", [("•", 2)]),
        ("•\tHackney\n\nText.\n\n◦ Camden\n", [("•", 1), ("◦", 5)]),
        ("- Hackney\n- Islington\n", []),
        ("Hackney • Islington • Camden\n", []),
        ("| Council |\n| --- |\n| • Hackney |\n", []),
        ("– Hackney\n– Islington\n", [("–", 1)]),
        ("— Hackney\n", [("—", 1)]),
        ("-Hackney\n-Islington\n", [("-", 1)]),
        ("· Hackney\n· Islington\n", [("·", 1)]),
        ("➢ Hackney\n", [("➢", 1)]),
        ("The range 01/01/2020\n– 22/05/2024 was used.\n", []),  # a dash mid-paragraph
        ("-5 degrees at night.\n", []),
    ],
)
def test_bullets_pasted_from_word_are_found_at_their_first_line(
    text: str, found: list[tuple[str, int]]
) -> None:
    assert parse(f"# Findings\n\n{text}").habits.pasted_bullets == [
        (bullet, line + 2) for bullet, line in found
    ]

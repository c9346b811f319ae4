"""How the review was done, rendered (issues 17.3 and 17.4): the "How this review was done"
part after the Methods text and the flow diagram after the Search log, in HTML (SVG with
real text), PDF (its text extractable: vector, not a picture) and DOCX (a table), hostile
text escaped; nothing of it for a review without the fields."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import CHECKS_DIR, CLEAN_REVIEW, copy_review, edit
from test_build import pdf_pages, squash

from scopekit.build import build_review

REPORTED = CHECKS_DIR / "reporting-item"
FLOW_TEXT = [
    "Records identified: 186",
    "Duplicates removed: 0",
    "Records screened: 186",
    "Excluded at screening: 170",
    "Read in full: 16",
    "Excluded after reading: 12",
    "No outcome reported: 12",
    "Sources included: 4",
]
BOX_TEXT = [
    "How this review was done",
    "UK council schemes for walking or cycling",
    "Schemes outside the UK",
    "English only",
    "Two searches only, and the first 100 Google results.",
    "Schemes that councils did not publish online were missed.",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = copy_review(REPORTED, tmp_path_factory.mktemp("reported") / REPORTED.name)
    written = build_review(folder, ["html", "pdf", "docx"]).written
    return {item.path.suffix[1:]: item.path for item in written}


def docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def docx_text(path: Path) -> str:
    """The document's text, a paragraph a line."""
    xml = docx_xml(path)
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paragraphs)


def test_html_has_the_box_after_methods_and_the_diagram_as_svg_text(built) -> None:
    html = built["html"].read_text(encoding="utf-8")
    methods, findings = html.index(">Methods</h2>"), html.index(">Findings</h2>")
    box, log, flow = (
        html.index("how-done-heading"),
        html.index('id="search-log"'),
        html.index('id="flow-heading"'),
    )
    assert methods < box < log < flow < findings
    svg = html[html.index('<svg class="flow-svg"') : html.index("</svg>", flow) + 6]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    for line in FLOW_TEXT:
        assert line in texts, line
    assert 'role="img"' in svg and 'aria-labelledby="flow-svg-title flow-svg-desc"' in svg
    assert "<image" not in svg
    desc = re.search(r"<desc id=\"flow-svg-desc\">([^<]*)</desc>", svg)[1]
    assert "Records screened: 186." in desc and "No outcome reported: 12" in desc
    for line in BOX_TEXT:
        assert line in html, line


def test_pdf_has_the_box_and_the_diagram_as_text(built) -> None:
    text = squash(" ".join(pdf_pages(built["pdf"])))
    for line in FLOW_TEXT + BOX_TEXT:
        assert squash(line) in text, line


def test_docx_has_the_box_and_the_flow_as_a_table(built) -> None:
    text = docx_text(built["docx"])
    for line in BOX_TEXT:
        assert line in text, line
    xml = docx_xml(built["docx"])
    flow = xml[xml.index("Flow of records through the review") :]
    table = flow[: flow.index("</w:tbl>")]
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", table, flags=re.S)
    cells = [
        [
            "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", c))
            for c in re.findall(r"<w:tc>.*?</w:tc>", row, flags=re.S)
        ]
        for row in rows
    ]
    assert cells == [
        ["Records in the review", "Records removed"],
        ["Records identified: 186", "Duplicates removed: 0"],
        ["Records screened: 186", "Excluded at screening: 170"],
        ["Read in full: 16", "Excluded after reading: 12No outcome reported: 12"],
        ["Sources included: 4", "–"],
    ]
    assert '<w:tblDescription w:val="Records identified: 186.' in xml
    assert "<w:tblHeader/>" in rows[0]


def test_the_identified_box_lists_each_search_when_identified_is_not_given(tmp_path) -> None:
    folder = copy_review(REPORTED, tmp_path / REPORTED.name)
    edit(folder / "review.yaml", "    identified: 186\n", "")
    html = build_review(folder, ["html"]).written[0].path.read_text(encoding="utf-8")
    assert "Records identified: ~4,286" in html
    assert "Google advanced search, .gov.uk domains: ~4,200" in html
    assert "NICE Evidence Search: 86" in html


def test_hostile_text_in_the_fields_is_escaped(tmp_path) -> None:
    folder = copy_review(REPORTED, tmp_path / REPORTED.name)
    hostile = "'<script>alert(1)</script> & <b>bold</b>'"
    edit(folder / "review.yaml", "  exclude: [Schemes outside the UK]", f"  exclude: [{hostile}]")
    edit(folder / "review.yaml", "      No outcome reported: 12", f"      {hostile}: 12")
    written = build_review(folder, ["html", "docx"]).written
    html = written[0].path.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<b>bold" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold") == 2  # box, desc
    svg = html[html.index('<svg class="flow-svg"') :]
    assert re.search(r"<text[^>]*>&lt;script&gt;alert\(1\)", svg)  # the reason, wrapped
    assert "&lt;script&gt;alert(1)" in docx_xml(written[1].path)


def test_a_review_without_the_fields_shows_none_of_it(tmp_path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    written = build_review(folder, ["html", "docx"]).written
    html = written[0].path.read_text(encoding="utf-8")
    assert "how-done" not in html and "flow-svg" not in html
    text = docx_text(written[1].path)
    assert "How this review was done" not in text and "Flow of records" not in text


def test_import_leaves_out_what_scopekit_made_from_the_reporting_fields(built, tmp_path) -> None:
    from conftest import invoke

    target = tmp_path / "back"
    result = invoke("import", str(built["docx"]), str(target))
    assert result.exit_code in (0, 1), result.output
    text = "".join(p.read_text(encoding="utf-8") for p in sorted(target.glob("*.md")))
    for line in ["How this review was done", "Records screened", "Evidence table"]:
        assert line not in text, line
    assert "We screened the first 100 Google results" in text  # the author's own text stays
    review_yaml = (target / "review.yaml").read_text(encoding="utf-8")
    assert "Organisation:" not in review_yaml  # the evidence counts are no funding text


def test_the_docx_build_record_marks_the_reporting_parts_generated(built) -> None:
    """`scopekit merge` then says where to change them, never edits a section file."""
    import json

    with zipfile.ZipFile(built["docx"]) as archive:
        parts = [archive.read(n) for n in archive.namelist() if n.startswith("customXml/item")]
    record = next(json.loads(re.search(rb"\{.*\}", p, re.S)[0]) for p in parts if b'"blocks"' in p)
    kinds = {block["text"]: (block["kind"], block.get("what")) for block in record["blocks"]}
    assert kinds["How this review was done"] == ("generated", "How this review was done")
    assert kinds["Schemes outside the UK"] == ("generated", "How this review was done")
    assert kinds["No outcome reported: 12"] == ("generated", "the Flow of records")
    assert kinds["Appendix: Evidence table"] == ("generated", "the Evidence table")

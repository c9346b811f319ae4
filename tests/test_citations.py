"""Pandoc's citation syntax and the author's own notes, from the Markdown to every format.

tests/reviews/every-form/ is the clean review with a Findings section written the way an
analyst used to pandoc, Quarto or Zotero writes: every citation form, `[^id]` and `^[…]`
notes, a citation before a colon and at the start of a line. Its HTML is a golden file:

    SCOPEKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_citations.py
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from conftest import (
    EVERY_FORM_REVIEW,
    GOLDEN_DIR,
    REPO_ROOT,
    assert_matches_golden,
    copy_review,
    edit,
    invoke,
    run_check,
)
from lxml import etree

from scopekit.build import build_review
from scopekit.citation_syntax import CiteItem, parse_bracketed
from scopekit.notes import build_notes
from scopekit.render.docx import footnote_texts
from scopekit.review import load_review
from scopekit.review.markdown import parse

HOUSE_CSL = REPO_ROOT / "templates" / "csl" / "coventry-hdrc.csl"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ALDRED = "aldred-mini-hollands-2019"


# --- the syntax ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inner", "items"),
    [
        ("@key", [CiteItem("key")]),
        ("see @key, p. 12", [CiteItem("key", "see", "12", "page")]),
        (
            "@key, pp. 4–5, emphasis added",
            [CiteItem("key", locator="4–5", suffix=", emphasis added")],
        ),
        (
            "@a, ch. 2; @b, sec. 3",
            [
                CiteItem("a", locator="2", label="chapter"),
                CiteItem("b", locator="3", label="section"),
            ],
        ),
        ("-@key", [CiteItem("key", suppress_author=True)]),
        ("@key, 33", [CiteItem("key", locator="33")]),
        ("@key, chapter 3", [CiteItem("key", locator="3", label="chapter")]),
        ("@key, para. 7", [CiteItem("key", locator="7", label="paragraph")]),
        ("@key, fig. 2", [CiteItem("key", locator="2", label="figure")]),
        ("@key, table 3", [CiteItem("key", locator="3", label="table")]),
        ("@key, § 4", [CiteItem("key", locator="4", label="section")]),
        ("@key, vol. iv", [CiteItem("key", locator="iv", label="volume")]),
        (
            "@doe99, pp. 33-35, 38-39 and passim",
            [CiteItem("doe99", locator="33-35, 38-39", suffix=" and passim")],
        ),
        ("@key, p. 4, cited in x", [CiteItem("key", locator="4", suffix=", cited in x")]),
        (
            "@key, {pp. iv, vi-xi} with suffix",
            [CiteItem("key", locator="iv, vi-xi", suffix=" with suffix")],
        ),
        ("@{odd key}, chap. 3", [CiteItem("odd key", locator="3", label="chapter")]),
        ("@a;@b", [CiteItem("a"), CiteItem("b")]),
    ],
)
def test_pandoc_citation_items(inner: str, items: list[CiteItem]) -> None:
    assert parse_bracketed(inner) == items


@pytest.mark.parametrize("inner", ["see also", "mail@example.org", "@", "-", "a; b"])
def test_brackets_without_a_key_are_no_citation(inner: str) -> None:
    assert parse_bracketed(inner) is None


def cited_keys(text: str) -> list[tuple[str, bool]]:
    return [(c.key, c.narrative) for c in parse(text).citations]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("the following [@key]:", [("key", False)]),
        ("[@key]: a line that opens with a citation", [("key", False)]),
        (
            "before a letter [@key]s and a bracket [@a][@b]",
            [("key", False), ("a", False), ("b", False)],
        ),
        ("- a list item [@key]", [("key", False)]),
        ("| a | b |\n| - | - |\n| cell [@key] | x |", [("key", False)]),
        ("> a quote [@key]", [("key", False)]),
        ("## A heading [@key]", [("key", False)]),
        ("@key says so", [("key", True)]),
        ("as @key [p. 33] says", [("key", True)]),
        ("write to analyst@example.org or me.@x", []),
        ("`[@key]` is code", []),
        ("[@key](https://example.org) is a link", []),
    ],
)
def test_a_citation_is_a_citation_wherever_it_stands(text: str, keys: list) -> None:
    assert cited_keys(text) == keys


def test_notes_are_parsed_with_their_definitions_anywhere() -> None:
    doc = parse("A[^a] b^[inline *one*] c[^a].\n\n[^a]: The *note*.\n\n[^b]: Never used.\n")
    calls = [c for t in doc.tokens for c in (t.children or []) if c.type == "footnote_ref"]
    assert [c.meta["call"] for c in calls] == [1, 2, 3]
    assert doc.note_definitions == {"a": 3, "b": 5}
    assert doc.unused_notes == ["b"]


# --- the notes ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notes():
    return build_notes(load_review(EVERY_FORM_REVIEW)).notes


def citeproc_note(item: CiteItem) -> str:
    """What citeproc-py gives for one citation item with the house style."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    from scopekit.cite import csl_item

    review = load_review(EVERY_FORM_REVIEW)
    source = review.source_index()[item.key]
    style = CitationStylesStyle(str(HOUSE_CSL), locale="en-GB", validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON([csl_item(source)]), formatter.plain)
    extra = {"locator": Locator(item.label, item.locator)} if item.locator else {}
    if item.prefix:
        extra["prefix"] = item.prefix + " "
    if item.suffix:
        extra["suffix"] = item.suffix
    citation = Citation([CitationItem(item.key, **extra)])
    bib.register(citation)
    return str(bib.cite(citation, lambda _: None))


def test_every_form_gives_its_notes_in_reading_order(notes) -> None:
    texts = {n.number: n.text for n in notes}
    assert [n.number for n in notes] == list(range(1, 20))
    # [@key] before a colon, in a heading: notes like any other
    assert texts[2].startswith("The second cycling and walking investment strategy (CWIS2).")
    assert texts[3] == "As 2"
    # a locator on a repeat: "As N, p. 4"; the same locator again: the same words
    assert texts[5] == "As 2, sect. 3"
    assert texts[7] == texts[8] == "As 4, p. 12"
    assert texts[11] == "As 4, ch. 2" and texts[12] == "As 2, tbl. 3"
    # `[@key]: text` at a line start is a citation followed by text
    assert texts[10].startswith("What is a school street? Sustrans.")


def test_a_first_citation_with_prefix_locator_and_suffix_is_citeprocs(notes) -> None:
    item = CiteItem(ALDRED, "see", "4–5", "page", ", emphasis added")
    expected = citeproc_note(item)
    assert expected.startswith("see Impacts") and "pp. 4–5" in expected
    assert notes[3].text == "S" + expected[1:]  # a note opens with a capital, as in pandoc
    assert notes[3].text.endswith("(Accessed 21/05/2024), emphasis added")


def test_the_authors_notes_keep_their_markdown_and_hold_their_citations(notes) -> None:
    kinds, inline, again, table = notes[12], notes[14], notes[15], notes[17]
    assert kinds.source_id is None
    assert (
        kinds.text
        == "Grouped by the review team, with no weighting; the grouping follows note 2, ch. 4."
    )
    assert ("no", ("strong",)) in [(r.text, r.marks) for r in kinds.runs]
    assert inline.text.startswith(
        "Bikeability, the national scheme, not a council one; see note 1 and"
    )
    assert ("not", ("em",)) in [(r.text, r.marks) for r in inline.runs]
    link = next(r for r in inline.runs if r.text == "the CWIS2 summary")
    assert link.href.startswith("https://www.gov.uk/")
    assert (again.text, again.first) == ("As 13", 13)  # [^kinds] referenced twice
    assert table.text == "Numbers as the councils reported them."


def test_a_citation_inside_a_note_is_printed_there_and_counts_as_the_first(tmp_path: Path) -> None:
    review = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    (review / "background.md").write_text(
        "# Background\n\nA remark.[^r] Later [@ohid-physical-activity].\n\n"
        "[^r]: See [@ohid-physical-activity, p. 2] for the figures.\n"
    )
    notes = build_notes(load_review(review)).notes
    first, later = notes[0], notes[1]
    assert first.source_id is None and first.text.startswith("See Physical activity:")
    assert "p. 2." in first.text and first.text.endswith("for the figures.")
    assert later.text == "As 1"


def test_narrative_citations_name_the_source_in_the_text(tmp_path: Path) -> None:
    result = build_review(EVERY_FORM_REVIEW, ["html"], out_dir=tmp_path)
    html = result.written[0].path.read_text(encoding="utf-8")
    assert "Aldred et al.<sup" in html  # the authors, then the note call
    assert "@aldred" not in html


@pytest.mark.parametrize(
    "author", ["author: Sam Analyst", "author: [Sam Analyst]", "author:\n    - Sam Analyst"]
)
def test_a_name_written_as_plain_text_is_read_as_a_literal_name(
    clean_copy: Path, author: str
) -> None:
    edit(
        clean_copy / "sources.yaml",
        "  author:\n    - literal: Office for Health Improvement and Disparities\n",
        f"  {author}\n  editor: Jo Editor\n",
    )
    edit(
        clean_copy / "background.md",
        "inactive.[@ohid-physical-activity]",
        "inactive, as @ohid-physical-activity says.",
    )
    edit(
        clean_copy / "review.yaml",
        "citation_style: coventry-hdrc",
        "citation_style: harvard-cite-them-right",
    )
    assert run_check(clean_copy, "--json")[1]["problems"] == []
    notes = build_notes(load_review(clean_copy))
    assert notes.notes[0].text.startswith("Sam Analyst (2022) Physical activity")
    assert "Edited by Jo Editor" in notes.notes[0].text
    html = build_review(clean_copy, ["html"], out_dir=clean_copy / "build").written[0].path
    assert "Sam Analyst<sup" in html.read_text(encoding="utf-8")  # a narrative citation
    exported = invoke("sources", "export", "--dir", str(clean_copy), "--format", "ris")
    assert "AU  - Sam Analyst" in exported.output and "A2  - Jo Editor" in exported.output


def test_an_at_handle_that_is_no_source_is_prose(tmp_path: Path) -> None:
    review = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    edit(review / "findings.md", "Write to the team", "Follow @coventryhdrc. Write to the team")
    code, data = run_check(review, "--json")
    assert code == 0 and data["problems"] == []
    result = build_review(review, ["html"], out_dir=tmp_path / "out")
    assert "Follow @coventryhdrc." in result.written[0].path.read_text(encoding="utf-8")


def test_unknown_keys_in_every_form_are_unknown_sources(tmp_path: Path) -> None:
    review = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    edit(
        review / "findings.md",
        "[see @aldred-mini-hollands-2019,",
        "[see @aldred-mini-holands-2019,",
    )
    edit(review / "findings.md", "^[Bikeability", "^[[@ohid-physical-activty] Bikeability")
    edit(
        review / "findings.md",
        "@aldred-mini-hollands-2019 found",
        "@aldred-mini-holland-2019 found",
    )
    code, data = run_check(review, "--json")
    unknown = [p for p in data["problems"] if p["code"] == "unknown-source"]
    assert code == 1 and len(unknown) == 3
    assert all("did you mean" in p["hint"] for p in unknown)


def test_a_heading_anchor_never_holds_a_citation_key(tmp_path: Path) -> None:
    result = build_review(EVERY_FORM_REVIEW, ["html"], out_dir=tmp_path)
    html = result.written[0].path.read_text(encoding="utf-8")
    assert '<h3 id="infrastructure">' in html and 'id="infrastructure-dft' not in html


def test_every_form_html_matches_golden(tmp_path: Path) -> None:
    review = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    result = invoke("build", str(review), "--format", "html")
    assert result.exit_code == 0, result.output
    html = (review / "build" / "every-form.html").read_text(encoding="utf-8")
    assert_matches_golden(html, GOLDEN_DIR / "every-form.html", "the every-form HTML")


# --- every format -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def every_format(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("every-form")
    result = build_review(EVERY_FORM_REVIEW, out_dir=out)
    return {w.format: w.path for w in result.written}


def docx_parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: etree.fromstring(archive.read(name))
            for name in ("word/document.xml", "word/footnotes.xml")
        }


def test_docx_has_a_real_footnote_for_every_note(every_format, notes) -> None:
    parts = docx_parts(every_format["docx"])
    body_refs = parts["word/document.xml"].findall(f".//{W}footnoteReference")
    assert [int(r.get(f"{W}id")) for r in body_refs] == list(range(1, 20))
    footnotes = dict(footnote_texts(every_format["docx"].read_bytes()))
    assert footnotes == {n.number: n.text for n in notes}
    # "As N" is a live NOTEREF to a bookmark on note N's mark in the text
    refs = [t.text for t in parts["word/footnotes.xml"].iter(f"{W}instrText")]
    assert " NOTEREF _RefNote2 \\h " in refs
    marks = {b.get(f"{W}name") for b in parts["word/document.xml"].iter(f"{W}bookmarkStart")}
    assert {"_RefNote2", "_RefNote4", "_RefNote13"} <= marks
    kinds = parts["word/footnotes.xml"].find(f"{W}footnote[@{W}id='13']")
    strong = [
        r for r in kinds.iter(f"{W}r") if r.find(f"{W}rPr/{W}rStyle[@{W}val='Strong']") is not None
    ]
    assert ["".join(r.itertext()) for r in strong] == ["no"]


def test_pdf_has_every_note_as_a_footnote(every_format, notes) -> None:
    from pypdf import PdfReader

    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(every_format["pdf"].read_bytes())).pages
    )
    flat = " ".join(text.split())
    for note in notes:
        words = " ".join(note.text.split())[:40]
        assert words.replace(" ", "") in flat.replace(" ", ""), f"note {note.number} not in the PDF"


def test_hostile_prefixes_locators_and_notes_are_text(tmp_path: Path) -> None:
    review = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    (review / "background.md").write_text(
        "# Background\n\nFirst [see <script>alert(1)</script> & co @dft-cwis2, p. 4 & <b>5</b>]."
        " Again [@dft-cwis2, {<img src=x onerror=alert(1)>}, & more].[^x]\n\n"
        "[^x]: A <script>alert(2)</script> note & [link](javascript:alert(3)).\n"
    )
    result = build_review(review, ["html", "docx"], out_dir=tmp_path / "out", force=True)
    html, docx = (w.path for w in result.written)
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img src=x" not in page and "javascript:" not in page
    assert "See &lt;script&gt;alert(1)&lt;/script&gt; &amp; co The second cycling" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "A &lt;script&gt;alert(2)&lt;/script&gt; note &amp; link." in page
    notes = "".join(docx_parts(docx)["word/footnotes.xml"].itertext())
    assert "See <script>alert(1)</script> & co The second cycling" in notes


def test_emphasis_is_semi_bold_in_the_pdf(every_format) -> None:
    """The house style's emphasis (semi-bold, not italics) has its own embedded instance."""
    import pikepdf

    with pikepdf.open(every_format["pdf"]) as pdf:
        fonts = {
            str(font.BaseFont).split("+")[-1]
            for page in pdf.pages
            for font in (page.Resources.get("/Font") or {}).values()
        }
    assert {"Arimo", "Arimo-Semi-Bold", "Arimo-Bold"} <= fonts
    assert not any("Italic" in name for name in fonts)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("the following [@a]: routes", "the following:¹ routes"),
        ("routes [@a; @b]. After", "routes.¹ After"),
        ("text [see @a, p. 4], and more", "text,¹ and more"),
        ("found it[@a].", "found it.¹"),
        ("says. [@a].", "says.¹."),
        ("[@a]: a line that opens with it", "¹: a line that opens with it"),
        ("a *b* [@a]. c", "a b.¹ c"),
        ("@a says [@b].", "¹ says.¹"),
        ("a note[^n]. x\n\n[^n]: n", "a note¹. x"),
    ],
)
def test_a_note_call_follows_the_punctuation_as_pandoc_places_it(text: str, shown: str) -> None:
    inline = parse(text).tokens[1].children
    out = "".join(
        "¹" if c.type in ("citation", "footnote_ref") else c.content
        for c in inline
        if c.type in ("text", "citation", "footnote_ref")
    )
    assert out == shown


def test_adjacent_citations_are_separated_in_every_format(every_format) -> None:
    html = every_format["html"].read_text(encoding="utf-8")
    assert 'aria-label="Note 8">8</a></sup><sup class="fn-sep">,</sup>' in html
    document = docx_parts(every_format["docx"])["word/document.xml"]
    runs = list(document.iter(f"{W}r"))
    eight = next(
        i for i, r in enumerate(runs) if r.find(f"{W}footnoteReference[@{W}id='8']") is not None
    )
    assert "".join(runs[eight + 1].itertext()) == ","


def test_a_repeat_with_a_prefix_reads_see_note_n(tmp_path: Path) -> None:
    """`[see @key]` the second time is "See note 1", not "See As 1"."""
    review = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    (review / "background.md").write_text(
        "# Background\n\nFirst [@ohid-physical-activity]. Again [see @ohid-physical-activity]. "
        "And [*cf.* @ohid-physical-activity, p. 3, emphasis added].\n"
    )
    notes = build_notes(load_review(review)).notes
    assert [n.text for n in notes[1:3]] == ["See note 1", "Cf. note 1, p. 3, emphasis added"]

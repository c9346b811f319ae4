"""The edges of pandoc's citation and note syntax that an audit of issue 12 found: a key that
is both narrative and bracketed on one line, Markdown in a prefix or suffix, notes of several
paragraphs or with code, a note inside a note, braced locators, leftovers that were silent,
and the hints and order of what `check` prints."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, copy_review, invoke, run_check
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CWIS = "dft-cwis2"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return copy_review(CLEAN_REVIEW, tmp_path / "review")


def add_text(review: Path, text: str, file: str = "findings.md") -> int:
    """Append a paragraph to a section; return the line it starts on."""
    path = review / file
    before = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{before}\n\n{text}\n", encoding="utf-8")
    return before.count("\n") + 3


def problems(review: Path, *codes: str) -> list[dict]:
    _, data = run_check(review, "--json")
    return [p for p in data["problems"] if not codes or p["code"] in codes]


def build(review: Path, fmt: str) -> Path:
    result = invoke("build", str(review), "--format", fmt)
    assert result.exit_code == 0, result.output
    return review / "build" / f"review.{fmt}"


def html_of(review: Path) -> str:
    return build(review, "html").read_text(encoding="utf-8")


def footnotes_xml(review: Path) -> etree._Element:
    with zipfile.ZipFile(build(review, "docx")) as archive:
        return etree.fromstring(archive.read("word/footnotes.xml"))


# --- 1: a narrative `@word` and a bracketed `[@word]` on one line ---------------------------


def test_an_unknown_bracketed_key_is_reported_beside_a_narrative_one(review: Path) -> None:
    line = add_text(review, "@smith says cycling grew [@smith].")
    unknown = problems(review, "unknown-source")
    assert [(p["line"], p["message"]) for p in unknown] == [
        (line, "cites '@smith', which is not in sources.yaml")
    ] * 2  # the bracketed one, and the narrative one, since `smith` is used as a key
    result = invoke("build", str(review), "--format", "html")
    assert result.exit_code == 1 and "unknown-source" in result.output


def test_a_narrative_handle_beside_a_known_citation_stays_prose(review: Path) -> None:
    add_text(review, f"Follow @coventryhdrc, or write to team@example.org [@{CWIS}].")
    assert problems(review) == []
    assert "Follow @coventryhdrc, or write to team@example.org" in html_of(review)


# --- 4: a note reference inside a note --------------------------------------------------------


def test_a_note_inside_a_note_is_warned_and_printed_as_pandoc_prints_it(review: Path) -> None:
    line = add_text(review, "A remark.[^a]\n\n[^a]: See [^b] and ^[an aside].\n\n[^b]: Inner.")
    found = problems(review)
    assert [(p["line"], p["code"]) for p in found] == [
        (line + 2, "unparsed-citation"),
        (line + 2, "unparsed-citation"),
        (line + 4, "unused-note"),
    ]
    assert all("cannot hold another note" in p["hint"] for p in found[:2])
    assert "See [^b] and ^[an aside]." in html_of(review)  # nothing vanishes
    assert "See [^b] and ^[an aside]." in "".join(footnotes_xml(review).itertext())


# --- 6: leftovers that were silent ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown", "hint"),
    [
        ("Empty label[^] here.", "'[^]'", "a note label has no spaces"),
        ("[^ x]: a definition with a space.", "'[^ x]'", "a note label has no spaces"),
        (f"Stray semicolon [;@{CWIS}].", "'[;@…'", "remove the ';'"),
        ("Text.\n\n{{< include more.md >}}", "'{{< include more.md >}}'", "runs no Quarto"),
        ("Version {{< var version >}}.", "'{{< var version >}}'", "runs no Quarto shortcodes"),
        ("Open {{< video https://x.org/v\nlater", "'{{< video…'", "runs no Quarto shortcodes"),
        ("Unclosed ^[inline note.", "'^[…'", "close the inline note"),
        ("As @fig-modes shows.", "'@fig-modes' names no figure", "{#fig-x}"),
        ("Counts are in @tbl-schemes.", "'@tbl-schemes' names no", "{#tbl-x}"),
        ("Details below (@sec-findings).", "'@sec-findings' names no", "{#sec-x}"),
        ("See @eq-growth.", "Quarto cross-reference '@eq-growth'", "write what it refers"),
    ],
)
def test_leftover_syntax_is_warned_with_a_hint(review: Path, text: str, shown, hint) -> None:
    add_text(review, text)
    found = problems(review, "unparsed-citation")
    assert len(found) == 1 and shown in found[0]["message"], found
    assert hint in found[0]["hint"]
    assert "unused-source" not in {p["code"] for p in problems(review)}


def test_an_empty_note_definition_is_warned(review: Path) -> None:
    line = add_text(review, "A remark.[^e]\n\n[^e]:\nThe text meant for it.")
    found = problems(review)
    assert [(p["line"], p["code"]) for p in found] == [(line + 2, "unparsed-citation")]
    assert "has no text" in found[0]["message"] and "indented" in found[0]["hint"]


# --- 7: hints and order ---------------------------------------------------------------------


def test_a_note_defined_in_another_file_says_notes_are_per_file(review: Path) -> None:
    add_text(review, "A remark.[^kinds]\n\n[^kinds]: Grouped by us.", file="background.md")
    line = add_text(review, "Again.[^kinds]")
    found = problems(review, "unknown-note")
    assert [p["line"] for p in found] == [line]
    assert "notes are per file" in found[0]["hint"] and "background.md" in found[0]["hint"]


def test_problems_on_one_line_are_in_the_order_they_stand(review: Path) -> None:
    add_text(review, f"Oddly[^zz] cited [@zzz-unknown] and [;@{CWIS}] and [^] too.")
    found = problems(review)
    assert [p["code"] for p in found] == [
        "unknown-note",
        "unknown-source",
        "unparsed-citation",
        "unparsed-citation",
    ]
    assert "'[;@" in found[2]["message"] and "'[^]'" in found[3]["message"]
    _, text = run_check(review)
    assert text.index("unknown-note") < text.index("unknown-source")


# --- 5: a braced locator keeps its plural ---------------------------------------------------


def test_a_braced_roman_locator_is_plural_in_every_note(review: Path) -> None:
    from conftest import edit

    edit(
        review / "background.md",
        "[@ohid-physical-activity]",
        "[@ohid-physical-activity, {pp. iv, vi–xi}]",
    )
    add_text(
        review, "Again [@ohid-physical-activity, {ix & xii}], once [@ohid-physical-activity, {iv}]."
    )
    html = html_of(review)
    assert "Disparities. pp. iv, vi–xi. <a href=" in html and " p. iv, vi" not in html
    assert 'As <a href="#note-1">1</a>, pp. ix &amp; xii' in html
    assert 'As <a href="#note-1">1</a>, p. iv <' in html
    words = "".join(footnotes_xml(review).itertext())
    assert "pp. iv, vi–xi" in words and "pp. ix & xii" in words


# --- 2: Markdown in a prefix or suffix ------------------------------------------------------


def test_markdown_in_a_prefix_and_suffix_is_styled_in_every_format(review: Path) -> None:
    import subprocess

    from conftest import edit

    cite = "[*cf.* @ohid-physical-activity, p. 3, **emphasis** added]"
    edit(review / "background.md", "[@ohid-physical-activity]", cite)
    add_text(review, "Again [*see* @ohid-physical-activity, p. 4, *passim*].")
    html = html_of(review)
    assert '<li id="note-1" value="1"><em>Cf.</em> Physical activity: applying' in html
    assert "(Accessed 14/05/2024), <strong>emphasis</strong> added" in html
    assert '<em>See</em> note <a href="#note-1">1</a>, p. 4, <em>passim</em>' in html
    assert "*" not in html.partition('<section class="notes"')[2]
    notes = footnotes_xml(review)
    styled = {
        ("".join(r.itertext()), r.find(f"{W}rPr/{W}rStyle").get(f"{W}val"))
        for r in notes.iter(f"{W}r")
        if r.find(f"{W}rPr/{W}rStyle") is not None
    }
    assert {("Cf.", "Emphasis"), ("emphasis", "Strong"), ("passim", "Emphasis")} <= styled
    assert "*" not in "".join(notes.itertext())
    pdf = build(review, "pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Cf. Physical activity" in text and "*" not in text


# --- 3: a note of several paragraphs, a list and a code block -------------------------------

LONG_NOTE = (
    "A caveat.[^long]\n\n"
    "[^long]: First paragraph of the note.\n\n"
    "    Second paragraph, with *emphasis*.\n\n"
    "        select * from trips;\n"
    "        -- by mode\n\n"
    "    1. one item\n"
    "    2. two item\n"
)


def test_a_long_note_keeps_its_paragraphs_and_code_in_every_format(review: Path) -> None:
    import subprocess

    add_text(review, LONG_NOTE)
    assert problems(review) == []
    html = html_of(review)
    assert (
        'First paragraph of the note.<span class="note-para">Second paragraph, with '
        '<em>emphasis</em>.</span><code class="note-code">select * from trips;\n-- by mode</code>'
        '<span class="note-para">1. one item</span><span class="note-para">2. two item</span>'
    ) in html
    notes = footnotes_xml(review).iter(f"{W}footnote")
    footnote = next(n for n in notes if "First paragraph" in "".join(n.itertext()))
    texts = ["".join(p.itertext()).strip() for p in footnote.iter(f"{W}p")]
    assert texts == [
        "First paragraph of the note.",
        "Second paragraph, with emphasis.",
        "select * from trips;-- by mode",
        "1. one item",
        "2. two item",
    ]
    assert len(footnote.findall(f".//{W}br")) == 1  # the code's two lines
    pdf = build(review, "pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    lines = [line.strip() for line in text.stdout.splitlines()]
    for shown in ("Second paragraph, with emphasis.", "select * from trips;", "-- by mode"):
        assert shown in lines, shown
    assert pdf_notes(pdf) == html.count('<li id="note-')  # every footnote still tagged Note


def pdf_notes(pdf: Path) -> int:
    """How many structure elements of the PDF are a /Note."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        queue, count = [document.Root.StructTreeRoot], 0
        while queue:
            node = queue.pop()
            if isinstance(node, pikepdf.Array):
                queue.extend(node)
            elif isinstance(node, pikepdf.Dictionary):
                count += node.get("/S") == "/Note"
                queue.extend([node.K] if "/K" in node else [])
        return count


def test_a_citation_ending_in_a_full_stop_inside_a_note_takes_no_second_one(
    review: Path,
) -> None:
    """A reference with no URL ends with its publisher's full stop; the author's full stop
    after the citation is not printed again ("Coventry City Council.."), as pandoc's
    citeproc collapses it."""
    with (review / "sources.yaml").open("a", encoding="utf-8") as sources:
        sources.write(
            "\n- id: travel-survey\n  type: report\n  title: School travel survey\n"
            "  publisher: Coventry City Council\n"
        )
    add_text(review, "Most children walk.^[As counted in [@travel-survey].]")
    html = re.sub(r"<[^>]+>", "", build(review, "html").read_text(encoding="utf-8"))
    assert "As counted in School travel survey. Coventry City Council." in html
    assert "Council.." not in html
    docx = build(review, "docx")
    notes = zipfile.ZipFile(docx).read("word/footnotes.xml").decode("utf-8")
    text = "".join(etree.fromstring(notes.encode()).itertext())
    assert "As counted in School travel survey. Coventry City Council." in text
    assert "Council.." not in text


def test_escaped_brackets_in_an_inline_note_are_printed(review: Path) -> None:
    """`^[… \\[see the log\\].]`: the brackets show, as they do in a `[^label]:` note (the
    inline note's escaped characters were dropped)."""
    add_text(review, "The searches ran in May.^[The end date is the day \\[see the log\\].]")
    html = re.sub(r"<[^>]+>", "", build(review, "html").read_text(encoding="utf-8"))
    assert "The end date is the day [see the log]." in html
    docx = build(review, "docx")
    notes = zipfile.ZipFile(docx).read("word/footnotes.xml")
    assert "The end date is the day [see the log]." in "".join(etree.fromstring(notes).itertext())

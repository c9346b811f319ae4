"""`scopekit build` for HTML and PDF: notes, house style, safety and atomic, careful writes.

Golden files live in tests/golden/. Regenerate them on purpose, then review the diff:

    SCOPEKIT_UPDATE_GOLDEN=1 python -m pytest tests/test_build.py
"""

from __future__ import annotations

import os
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pytest
from conftest import (
    CLEAN_REVIEW,
    ENV,
    GOLDEN_DIR,
    REPO_ROOT,
    SOCIAL_VALUE_REVIEW,
    assert_matches_golden,
    copy_review,
)
from typer.testing import CliRunner

from scopekit.build import build_review
from scopekit.cli import app
from scopekit.errors import BuildBlocked
from scopekit.render import build_document
from scopekit.review import load_review


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The social-value review built once to HTML and PDF."""
    review = copy_review(SOCIAL_VALUE_REVIEW, tmp_path_factory.mktemp("sv") / "social-value")
    result = CliRunner().invoke(app, ["build", str(review)], env=ENV)
    assert result.exit_code == 0, result.output
    return {fmt: review / "build" / f"social-value.{fmt}" for fmt in ("html", "pdf")}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- notes ---------------------------------------------------------------------------------


def test_notes_are_numbered_in_reading_order_with_generated_back_references() -> None:
    notes = build_document(load_review(SOCIAL_VALUE_REVIEW)).notes.notes
    assert len(notes) == 24
    assert [n.number for n in notes] == list(range(1, 25))
    repeats = {n.number: n.text for n in notes if n.first is not None}
    assert repeats == {12: "As 7", 15: "As 10", 19: "As 14"}
    first = notes[0]
    assert first.text.startswith("Social value act: information and resources. GOV.UK. https://")
    assert first.text.endswith("(Accessed 02/04/2024)")
    assert notes[22].source_id == "blackpool-community-researchers-video"
    assert "Accessed" not in notes[22].text


def test_several_keys_give_consecutive_notes(tmp_path: Path) -> None:
    review = load_review(CLEAN_REVIEW)
    doc = build_document(review)
    numbers = [
        doc.notes.call(s.file, t).numbers
        for s in review.sections
        for tok in s.markdown.tokens
        for t in (tok.children or [])
        if t.type == "citation"
    ]
    flat = [n for group in numbers for n in group]
    assert flat == list(range(1, len(doc.notes.notes) + 1))
    assert any(len(group) == 2 and group[1] == group[0] + 1 for group in numbers)


def test_other_citation_style(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    text = (review / "review.yaml").read_text()
    (review / "review.yaml").write_text(
        text.replace("citation_style: coventry-hdrc", "citation_style: harvard-cite-them-right")
    )
    notes = build_document(load_review(review)).notes.notes
    assert any("Available at:" in n.text for n in notes)


# --- HTML ----------------------------------------------------------------------------------


def test_html_matches_golden(built: dict[str, Path]) -> None:
    html = built["html"].read_text(encoding="utf-8")
    assert_matches_golden(html, GOLDEN_DIR / "social-value.html", "the social-value HTML")


def test_html_is_self_contained_and_accessible(built: dict[str, Path]) -> None:
    html = built["html"].read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html
    assert html.count("<h1") == 1
    assert 'href="#main"' in html and 'id="main"' in html
    assert "<link" not in html and "<script" not in html and "@font-face" not in html
    assert not re.search(r'src="(?!data:)', html), "every image must be inline"
    assert ":focus-visible" in html
    levels = [int(m) for m in re.findall(r"<h([1-6])", html)]
    assert all(b <= a + 1 for a, b in pairwise(levels)), "a heading level is skipped"
    for number in range(1, 25):
        assert f'id="note-{number}"' in html and f'href="#ref-{number}"' in html
        assert f'id="ref-{number}"' in html and f'href="#note-{number}"' in html
    assert "Other sources" in html and "Search log" in html
    assert (
        "Produced by Dr Jack Birch, Coventry Health Determinants Research Collaboration, "
        "June 2024." in html
    )
    assert "National Institute for Health and Care Research" in html
    assert html.index("Search log") < html.index('<h2 id="findings"')


def test_search_log_table(built: dict[str, Path]) -> None:
    html = built["html"].read_text(encoding="utf-8")
    table = html[html.index('id="search-log"') : html.index("</table>")]
    assert "01/01/2020 – 22/05/2024" in table
    assert "~17,300" in table and ">794<" in table and "~9,500" in table and ">101<" in table


def test_html_same_bytes_twice(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    first = build_review(review, ["html"], tmp_path / "a").written[0].path.read_bytes()
    second = build_review(review, ["html"], tmp_path / "b").written[0].path.read_bytes()
    assert first == second


# --- PDF -----------------------------------------------------------------------------------


def pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def test_pdf_has_every_note_once_at_the_foot_of_its_page(built: dict[str, Path]) -> None:
    pages = [squash(p) for p in pdf_pages(built["pdf"])]
    assert 5 <= len(pages) <= 9, f"{len(pages)} pages: footnotes pushed onto pages of their own?"
    notes = build_document(load_review(SOCIAL_VALUE_REVIEW)).notes.notes
    last_page = 0
    for note in notes:
        if note.first is not None:
            continue
        # the start of the note text (long URLs are broken across lines in the PDF)
        head = squash(note.text)[:60]
        found = [i for i, page in enumerate(pages) if head in page]
        assert len(found) == 1, f"note {note.number} found on pages {found}"
        assert found[0] >= last_page, f"note {note.number} is before the previous note"
        last_page = found[0]
    whole = "".join(pages)
    for repeat in ("As7", "As10", "As14"):
        assert repeat in whole
    # note 1 is cited on the first page and its text sits at that page's foot
    assert squash("Social value act: information and resources") in pages[0]
    assert "Page1of" in pages[0]


def test_pdf_metadata_and_structure(built: dict[str, Path]) -> None:
    import pikepdf

    with pikepdf.open(built["pdf"]) as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en-GB"
        assert bool(root.MarkInfo.Marked)
        assert "/StructTreeRoot" in root
        assert bool(root.ViewerPreferences.DisplayDocTitle)
        assert "/Outlines" in root, "bookmarks from headings"
        info = pdf.open_metadata()
        assert info["dc:title"] == "What are other local authorities doing around social value?"
        assert "Dr Jack Birch" in str(info["dc:creator"])
        assert "pdfuaid:part" in str(pdf.Root.Metadata.read_bytes())
        links = [
            a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"
        ]
        assert len(links) > 20
        assert all(str(a.get("/Contents", "")).strip() for a in links), "link without alt text"
        fonts = {
            str(f.BaseFont).split("+")[-1]
            for page in pdf.pages
            for f in page.Resources.Font.values()
        }
        assert any(f.startswith("Arimo") for f in fonts)
        assert any(f.startswith("Atkinson") for f in fonts)


def test_pdf_same_bytes_twice(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    first = build_review(review, ["pdf"], tmp_path / "a").written[0].path.read_bytes()
    second = build_review(review, ["pdf"], tmp_path / "b").written[0].path.read_bytes()
    assert first == second


# --- build behaviour ------------------------------------------------------------------------


def test_errors_stop_the_build_unless_forced(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    findings = review / "findings.md"
    findings.write_text(findings.read_text() + "\nSee [@no-such-source].\n")
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(review), "-f", "html"], env=ENV)
    assert result.exit_code == 1
    assert "error[unknown-source]" in result.output
    assert not (review / "build").exists()
    result = runner.invoke(app, ["build", str(review), "-f", "html", "--force"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "[unknown source: no-such-source]" in (review / "build" / "clean.html").read_text()


def test_hand_edited_output_is_kept_unless_forced(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    runner = CliRunner()
    assert runner.invoke(app, ["build", str(review), "-f", "html"], env=ENV).exit_code == 0
    output = review / "build" / "clean.html"
    output.write_text("<p>my edits</p>")
    result = runner.invoke(app, ["build", str(review), "-f", "html"], env=ENV)
    assert result.exit_code == 1
    assert "clean.html was changed since scopekit wrote it" in result.output
    assert output.read_text() == "<p>my edits</p>"
    assert (
        runner.invoke(app, ["build", str(review), "-f", "html", "--force"], env=ENV).exit_code == 0
    )
    assert "my edits" not in output.read_text()
    # unchanged outputs are simply rebuilt
    assert runner.invoke(app, ["build", str(review), "-f", "html"], env=ENV).exit_code == 0


def test_interrupted_build_leaves_previous_output(tmp_path: Path, monkeypatch) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    build_review(review, ["html"])
    output = review / "build" / "clean.html"
    before = output.read_bytes()

    def crash(fd: int) -> None:
        raise KeyboardInterrupt

    (review / "background.md").write_text("# Background\n\nChanged.\n")
    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        build_review(review, ["html"])
    assert output.read_bytes() == before
    assert [p.name for p in output.parent.iterdir()] == ["clean.html"]


def test_disk_full_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    import errno

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = CliRunner().invoke(app, ["build", str(review), "-f", "html"], env=ENV)
    assert result.exit_code == 2
    assert "No space left on device" in result.output
    assert "free some disk space" in result.output
    assert list((review / "build").iterdir()) == []


def test_out_folder_blocked_by_a_file(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    (tmp_path / "out").write_text("a file, not a folder")
    result = CliRunner().invoke(
        app, ["build", str(review), "-f", "html", "--out", str(tmp_path / "out")], env=ENV
    )
    assert result.exit_code == 2
    assert "cannot create the folder" in result.output
    assert "Traceback" not in result.output


def test_unreadable_review_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["build", str(tmp_path)], env=ENV)
    assert result.exit_code == 2
    assert "no review.yaml" in result.output


# --- hostile input --------------------------------------------------------------------------


HOSTILE_SOURCES = """\
- id: evil
  type: webpage
  title: "<script>alert('source')</script> & friends"
  publisher: "<b>Bold</b> Ltd"
  URL: "javascript:alert(1)"
  accessed: 2024-05-01
"""


def test_hostile_text_is_escaped_and_nothing_is_fetched(tmp_path: Path) -> None:
    from servers import RecordingServer

    review = copy_review(CLEAN_REVIEW, tmp_path / "hostile")
    with RecordingServer() as server:
        text = (review / "review.yaml").read_text()
        text = text.replace("title: What helps", "title: <script>alert('t')</script> What helps")
        (review / "review.yaml").write_text(text)
        (review / "sources.yaml").write_text(
            (review / "sources.yaml").read_text() + "\n" + HOSTILE_SOURCES
        )
        (review / "findings.md").write_text(
            (review / "findings.md").read_text()
            + "\nBad [link](javascript:alert(2)) and [evil](@evil) and [@evil].\n\n"
            '<iframe src="https://example.org"></iframe>\n\n'
            "![secret](/etc/passwd) ![remote](" + server.url("pixel.png") + ")\n"
            "![file](file:///etc/passwd)\n"
        )
        result = build_review(review, ["html", "pdf"], force=True)
        assert server.requests == []
    html = (review / "build" / "hostile.html").read_text()
    assert "<script" not in html and "<iframe" not in html
    assert "<title>&lt;script&gt;alert(" in html
    assert "&lt;iframe" in html
    assert 'href="javascript:' not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; Ltd" in html
    assert "root:" not in html
    pdf_text = "".join(pdf_pages(review / "build" / "hostile.pdf"))
    assert "<script>alert('t')</script>" in pdf_text.replace("\n", " ")
    assert {w.format for w in result.written} == {"html", "pdf"}


def test_build_blocked_error_carries_report(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    (review / "methods.md").write_text("# Methods\n\n[gone](#)\n")
    with pytest.raises(BuildBlocked) as caught:
        build_review(review, ["html"])
    assert any(p.code == "bad-url" for p in caught.value.report.problems)


def test_house_style_css_urls_are_refused_with_a_warning(tmp_path: Path) -> None:
    from servers import RecordingServer

    from scopekit.paths import templates_dir

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    style = review / "my-style"
    shutil.copytree(templates_dir() / "coventry-hdrc", style)
    with RecordingServer() as server:
        css = style / "style.css"
        css.write_text(
            css.read_text() + f"\nbody {{ background: url('{server.url('bg.png')}'); }}"
            "\nh1 { background: url(file:///etc/passwd); }\n"
        )
        text = (review / "review.yaml").read_text()
        (review / "review.yaml").write_text(
            text.replace("house_style: coventry-hdrc", "house_style: my-style")
        )
        result = build_review(review, ["html", "pdf"])
        assert server.requests == []
    for written in result.written:
        assert any("refused url(" in w and "bg.png" in w for w in written.warnings)
        assert any("/etc/passwd" in w for w in written.warnings)
    html = (review / "build" / "clean.html").read_text()
    assert "bg.png" not in html and "/etc/passwd" not in html


def test_a_copied_or_moved_review_still_knows_its_outputs(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "first" / "clean")
    build_review(review, ["html", "docx"])
    copied = tmp_path / "elsewhere" / "clean"
    shutil.copytree(review, copied)
    again = build_review(copied, ["html", "docx"])
    assert again.ok and all(w.reused for w in again.written)
    (tmp_path / "moved").mkdir()
    moved = review.rename(tmp_path / "moved" / "clean")
    assert all(w.reused for w in build_review(moved, ["html", "docx"]).written)
    # what is changed by hand in the copy is still kept
    (copied / "build" / "clean.html").write_text("edited by hand")
    kept = build_review(copied, ["html"])
    assert [k.path.name for k in kept.kept] == ["clean.html"]


def test_outputs_recorded_under_an_older_manifests_absolute_keys_are_known(
    tmp_path: Path,
) -> None:
    import json

    review = copy_review(CLEAN_REVIEW, tmp_path / "old" / "clean")
    build_review(review, ["html"])
    manifest = review / ".scopekit" / "build.json"
    data = json.loads(manifest.read_text())
    data = {
        table: {str((review / k).resolve()): v for k, v in entries.items()}
        for table, entries in data.items()
    }
    manifest.write_text(json.dumps(data))
    (tmp_path / "new").mkdir()
    moved = review.rename(tmp_path / "new" / "clean")
    result = build_review(moved, ["html"])
    assert result.ok and not result.written[0].reused  # the inputs of old keys are unknown
    keys = json.loads((moved / ".scopekit" / "build.json").read_text())["outputs"]
    assert list(keys) == ["build/clean.html"]


def test_rebuild_with_nothing_changed_reuses_the_outputs(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    first = build_review(review, ["html", "docx"])
    assert not any(w.reused for w in first.written)
    again = build_review(review, ["html", "docx"])
    assert all(w.reused for w in again.written)
    # a change to any input file rebuilds
    (review / "methods.md").write_text((review / "methods.md").read_text() + "\nMore.\n")
    changed = build_review(review, ["html", "docx"])
    assert not any(w.reused for w in changed.written)
    assert "More." in (review / "build" / "clean.html").read_text()
    # so does a changed image, and --force always rebuilds
    picture = review / "figures" / "mode-share.png"
    picture.write_bytes(picture.read_bytes() + b"changed")
    assert not any(w.reused for w in build_review(review, ["html"]).written)
    assert not any(w.reused for w in build_review(review, ["html"], force=True).written)
    # a deleted output is made again
    (review / "build" / "clean.html").unlink()
    assert not build_review(review, ["html"]).written[0].reused
    assert (review / "build" / "clean.html").is_file()


def test_pdf_footnotes_are_tagged_as_notes(built: dict[str, Path]) -> None:
    import pikepdf

    counts: dict[str, int] = {}
    ids = []
    with pikepdf.open(built["pdf"]) as pdf:
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if not isinstance(node, pikepdf.Dictionary):
                continue
            kind = str(node.get("/S", ""))
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "/Note":
                ids.append(str(node.ID))
                assert str(node.K[0].S) == "/Lbl"
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                stack.extend(kids)
            elif kids is not None:
                stack.append(kids)
    assert counts.get("/Note") == 24, counts
    assert sorted(ids, key=lambda i: int(i.split("-")[1])) == [f"note-{n}" for n in range(1, 25)]
    for kind in ("/H1", "/H2", "/Table", "/TH", "/Link", "/L", "/LI"):
        assert counts.get(kind), f"no {kind} in the structure tree"


def test_revised_briefing_says_updated_and_funding_can_be_turned_off(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    text = (review / "review.yaml").read_text()
    (review / "review.yaml").write_text(
        text.replace("published: 2024-06", "published: 2024-06\nupdated: 2026-11-20\nfunding: ''")
    )
    build_review(review, ["html", "docx"])
    html = (review / "build" / "clean.html").read_text()
    assert "Updated 20 November 2026." in html
    assert "National Institute for Health and Care Research" not in html
    import docx

    texts = [p.text for p in docx.Document(str(review / "build" / "clean.docx")).paragraphs]
    assert "Updated 20 November 2026." in texts


def test_pdf_build_warns_when_footnotes_go_missing(tmp_path: Path, monkeypatch) -> None:
    """WeasyPrint can drop a footnote at a page break; the build must say so, not hide it."""
    from scopekit.render import pdf as pdf_module

    real = pdf_module.tag_footnotes

    def lose_one(pdf) -> int:
        return real(pdf) - 1

    monkeypatch.setattr(pdf_module, "tag_footnotes", lose_one)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    written = build_review(review, ["pdf"]).written[0]
    total = len(build_document(load_review(review)).notes.notes)
    assert f"only {total - 1} of {total} footnotes reached the PDF" in written.warnings[0]


def test_pdf_keeps_note_calls_with_their_word(tmp_path: Path) -> None:
    """`word.[@a; @b; @c]` prints as word.1,2,3: never split, never a call opening a line."""
    import random

    from pypdf import PdfReader

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    ids = ["ohid-physical-activity", "dft-cwis2", "aldred-mini-hollands-2019"]
    rng = random.Random(3)
    words = "council schemes walking cycling routes evaluated trips residents programmes".split()
    paragraphs = []
    for _ in range(40):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(12, 45)))
        paragraphs.append(f"{text.capitalize()}.[@{'; @'.join(ids)}]")
    findings = review / "findings.md"
    findings.write_text(findings.read_text() + "\n## Many groups\n\n" + "\n\n".join(paragraphs))
    build_review(review, ["pdf"])
    lines = [
        line
        for page in PdfReader(review / "build" / f"{review.name}.pdf").pages
        for line in page.extract_text().splitlines()
    ]
    split = [line for line in lines if re.search(r"[a-z.]\d+,(\d+,)*$", line)]
    alone = [  # a line of the generated paragraphs that opens with a note call
        line
        for line in lines
        if re.match(r"\d+(,\d+)*( |$)", line)
        and set(re.findall(r"[a-z]+", line.lower())) <= set(words)
    ]
    assert len([line for line in lines if re.search(r"[a-z]\.\d+,\d+,\d+", line)]) >= 30
    assert split == []
    assert alone == []


def test_an_unclosed_comment_hides_nothing(tmp_path: Path) -> None:
    """`<!--` with no `-->` is no comment: the words after it are shown (as text), not lost."""
    import docx

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    findings = review / "findings.md"
    findings.write_text(
        findings.read_text().replace("## Programmes", "<!-- note to self\n\n## Programmes")
    )
    build_review(review, ["html", "docx"])
    html = (review / "build" / "clean.html").read_text()
    assert "&lt;!-- note to self" in html
    assert "Three kinds of programme recurred" in html
    text = "\n".join(p.text for p in docx.Document(str(review / "build" / "clean.docx")).paragraphs)
    assert "<!-- note to self" in text
    assert "Three kinds of programme recurred" in text


def test_pdf_build_names_characters_the_house_fonts_cannot_show(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    findings = review / "findings.md"
    findings.write_text(findings.read_text() + "\nParents liked it 😀 ★★★, café owners too.\n")
    [written] = build_review(review, ["pdf"]).written
    [warning] = [w for w in written.warnings if "no glyph" in w]
    assert "😀 (U+1F600), ★ (U+2605)" in warning
    assert "é" not in warning


def test_the_example_reviews_pdf_needs_no_other_font() -> None:
    from scopekit.render.fonts import font_face_css, font_faces, missing_glyphs
    from scopekit.render.html import render_html
    from scopekit.render.pdf import visible_text

    faces = font_faces()
    doc = build_document(load_review(SOCIAL_VALUE_REVIEW))
    html = render_html(doc, mode="print", fonts_css=font_face_css(faces), warnings=[])
    assert "Sandwell" in visible_text(html)
    assert missing_glyphs(visible_text(html), faces) == []


def footnote_pages(review: Path) -> tuple[dict[str, int], dict[str, int]]:
    """({note id: page of its text}, {note id: page of its call}) in the laid-out PDF."""
    import weasyprint
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox

    from scopekit.render.fonts import font_face_css, font_faces
    from scopekit.render.html import render_html
    from scopekit.render.pdf_patches import patched

    doc = build_document(load_review(review))
    html = render_html(doc, mode="print", fonts_css=font_face_css(font_faces()), warnings=[])
    with patched():
        document = weasyprint.HTML(string=html, base_url=str(review.resolve()) + "/").render()
    notes: dict[str, int] = {}
    calls: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for area in page._page_box.children:
            if isinstance(area, FootnoteAreaBox):
                notes.update((note.element.get("id"), number) for note in area.children)
        for box in page._page_box.children[0].descendants():
            if getattr(box, "footnote", None) is not None:
                calls[box.element.get("id")] = number
    return notes, calls


def test_every_footnote_sits_at_the_foot_of_the_page_of_its_call() -> None:
    """WeasyPrint moved note 3 to page 2 to keep two lines of a paragraph on page 1;
    footnote-policy: line (honoured by pdf_patches) moves the lines instead."""
    notes, calls = footnote_pages(SOCIAL_VALUE_REVIEW)
    assert len(calls) == 24
    assert notes == calls


def test_html_tables_scroll_sideways_in_a_box_a_keyboard_can_reach(tmp_path: Path) -> None:
    """On a phone a wide table scrolls inside its box: the box takes focus, so keyboard users
    can scroll it too (WCAG 2.1.1), and is a region named after its table: its caption, or
    else its header cells (not "Table 1", which would clash with a captioned "Table 1")."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    html = build_review(review, ["html"]).written[0].path.read_text(encoding="utf-8")
    assert '<div class="search-log" role="region" aria-labelledby="search-log" tabindex="0">' in (
        html
    )
    box = 'class="table-scroll" role="region" aria-label="Table: Search, Where, Terms, Results"'
    assert f'<div {box} tabindex="0">' in html
    assert html.count("<table") == html.count('tabindex="0"') == 2


def test_a_csl_file_citeproc_cannot_run_stops_the_build_in_one_line(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    csl = (REPO_ROOT / "templates" / "csl" / "coventry-hdrc.csl").read_text()
    (review / "my.csl").write_text(csl.replace('variable="title"', 'variabel="title"'))
    yaml_file = review / "review.yaml"
    yaml_file.write_text(
        yaml_file.read_text().replace("citation_style: coventry-hdrc", "citation_style: my.csl")
    )
    result = CliRunner().invoke(app, ["build", str(review), "--format", "html"], env=ENV)
    assert result.exit_code == 1
    assert "scopekit: error: citation style my.csl cannot format a reference" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


def test_a_house_style_of_only_a_theme_takes_the_rest_from_the_default(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    style = review / "plum"
    style.mkdir()
    theme = (REPO_ROOT / "templates" / "coventry-hdrc" / "theme.yaml").read_text()
    (style / "theme.yaml").write_text(theme.replace("#193e72", "#6a1b4d"))
    yaml_file = review / "review.yaml"
    yaml_file.write_text(
        yaml_file.read_text().replace("house_style: coventry-hdrc", "house_style: plum")
    )
    result = build_review(review, ["html", "pdf", "docx"])
    assert [w.format for w in result.written] == ["html", "pdf", "docx"]
    html = (review / "build" / "clean.html").read_text()
    assert "#6a1b4d" in html and "#193e72" not in html
    # a logo is a brand: never borrowed from the default style
    assert "<svg" not in html.split("<body", 1)[1].split("<h1", 1)[0]


def test_a_house_style_folder_without_theme_yaml_is_named_as_such(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    (review / "plum").mkdir()
    yaml_file = review / "review.yaml"
    yaml_file.write_text(
        yaml_file.read_text().replace("house_style: coventry-hdrc", "house_style: plum")
    )
    result = CliRunner().invoke(app, ["check", str(review)], env=ENV)
    assert result.exit_code == 1
    assert (
        "review.yaml:19: error[unknown-style] house style 'plum' has no theme.yaml" in result.output
    )


def test_a_change_to_the_default_style_rebuilds_a_style_that_falls_back_on_it(
    tmp_path: Path, monkeypatch
) -> None:
    from scopekit import theme

    default = tmp_path / "default"
    shutil.copytree(REPO_ROOT / "templates" / "coventry-hdrc", default)
    monkeypatch.setattr(theme, "default_house_style", lambda: default)
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    (review / "plum").mkdir()
    shutil.copy(default / "theme.yaml", review / "plum" / "theme.yaml")
    yaml_file = review / "review.yaml"
    yaml_file.write_text(
        yaml_file.read_text().replace("house_style: coventry-hdrc", "house_style: plum")
    )
    build_review(review, ["html"])
    assert build_review(review, ["html"]).written[0].reused
    (default / "style.css").write_text((default / "style.css").read_text() + "\n.plum {}\n")
    again = build_review(review, ["html"]).written[0]
    assert not again.reused
    assert ".plum {}" in again.path.read_text()


def test_ctrl_c_as_an_output_is_written_waits_for_the_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted between writing the DOCX and saving the manifest, the next build took
    scopekit's own DOCX for one edited by hand (and said to merge it); the Ctrl-C now
    waits until the manifest knows the output."""
    import os
    import signal

    import scopekit.build

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    real = scopekit.build.write_atomic

    def written_then_interrupted(path, data):
        real(path, data)
        if path.suffix == ".docx":
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(scopekit.build, "write_atomic", written_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_review(review, ["docx"])
    monkeypatch.setattr(scopekit.build, "write_atomic", real)
    again = build_review(review, ["docx"])
    assert again.ok and not again.kept
    assert again.written[0].reused

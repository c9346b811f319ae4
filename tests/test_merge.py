"""`scopekit merge`: the build leaves a way back, and colleagues' Word edits come back.

Edits come from real clients where they can: LibreOffice itself (tests/lo_edit.py, run by the
system Python with python3-uno) with recording of changes on; python-docx 1.2's comments
API; and hand-written OOXML in the shapes Word writes (tracked changes with author and date,
rsid-split runs, proofing marks).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import (
    CLEAN_REVIEW,
    EVERY_FORM_REVIEW,
    REPO_ROOT,
    SOCIAL_VALUE_REVIEW,
    TESTS_DIR,
    copy_review,
    edit,
    invoke,
)
from lxml import etree

from scopekit.build import build_review
from scopekit.ooxml import w
from scopekit.wordtext import read_paragraph

LO_EDIT = Path(__file__).resolve().parent / "lo_edit.py"
SCHEMA = REPO_ROOT / "docs" / "schemas" / "merge.schema.json"
ANN = 'w:author="Ann Lee" w:date="2026-11-20T10:00:00Z"'


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """A copy of the social-value review, built to DOCX."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    build_review(folder, ["docx"])
    return folder


def built(review: Path) -> Path:
    return review / "build" / f"{review.name}.docx"


def edit_part(source: Path, target: Path, change, name: str = "word/document.xml") -> None:
    """Copy a DOCX, changing one part's text with `change(text) -> text`."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == name:
                data = change(data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob("*.md")}


def body(docx: Path):
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    return root.find(w("body"))


# --- 1. the build leaves a way back ----------------------------------------------------------


def test_every_block_has_a_hidden_anchor_and_the_record_says_where_it_came_from(review) -> None:
    docx = built(review)
    paragraphs = list(body(docx).iter(w("p")))
    numbers = [read_paragraph(p).anchor for p in paragraphs]
    assert numbers == list(range(1, len(paragraphs) + 1))  # every paragraph and cell, in order
    inside = zipfile.ZipFile(docx).read("customXml/item2.xml")
    record = json.loads(etree.fromstring(inside).text)
    kept = review / ".scopekit" / "records"
    assert json.loads((kept / "latest.json").read_bytes()) == record
    assert json.loads((kept / f"{record['id']}.json").read_bytes()) == record
    texts = [read_paragraph(p).text() for p in paragraphs]
    assert [b["text"] for b in record["blocks"]] == texts
    first = next(b for b in record["blocks"] if b.get("file") == "background.md" and b["line"] == 3)
    assert first["kind"] == "paragraph" and first["source"].startswith("Following the Public")
    assert chr(0xE001) in first["text"]  # note 1's reference, tied by its `_skn1` bookmark
    assert record["notes"][0] == {"n": 1, "key": "gov-social-value-act", "text": ANY_TEXT}
    kinds = {b["kind"] for b in record["blocks"]}
    assert {"heading", "paragraph", "item", "generated"} <= kinds
    assert b'w:name="_skn1"' in zipfile.ZipFile(docx).read("word/document.xml")


class _Any:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(other)


ANY_TEXT = _Any()


def test_same_input_same_bytes_record_included(tmp_path) -> None:
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    first = build_review(folder, ["docx"], tmp_path / "a").written[0].path.read_bytes()
    second = build_review(folder, ["docx"], tmp_path / "b").written[0].path.read_bytes()
    assert first == second


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def test_anchors_and_record_survive_a_save_in_libreoffice(review, tmp_path) -> None:
    out = tmp_path / "lo"
    subprocess.run(
        [
            _soffice(),
            "--headless",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(built(review)),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    saved = out / built(review).name
    before = snapshot(review)
    result = invoke("merge", str(saved), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "matched by anchors" in result.output and "nothing to merge" in result.output
    assert snapshot(review) == before


# --- 2. merge: diff, --apply, --suggest, --json, exit codes ------------------------------------


def test_merging_an_unchanged_docx_changes_no_byte(review) -> None:
    before = snapshot(review)
    result = invoke("merge", str(built(review)), str(review), "--apply")
    assert result.exit_code == 0
    assert "nothing to merge" in result.output
    # the record's date is the reproducible stamp (published), not when the file was built
    assert re.search(r": built from the review as of \d{4}-\d\d-\d\d, paragraphs", result.output)
    assert snapshot(review) == before
    assert not (review / ".scopekit" / "merge-undo").exists()


def word_edits(text: str) -> str:
    """Track changes as Word writes them: a deletion and an insertion in rsid-split runs with
    a proofing mark between, and an untracked edit elsewhere."""
    text = text.replace(
        "organisations – including local authorities – are required to consider",
        "organisations – including local authorities – are </w:t></w:r>"
        f'<w:del w:id="901" {ANN}><w:r w:rsidDel="00AB12CD"><w:delText>requ</w:delText></w:r>'
        '<w:r w:rsidDel="00AB12CE"><w:delText>ired</w:delText></w:r></w:del>'
        '<w:proofErr w:type="spellStart"/>'
        f'<w:ins w:id="902" {ANN}><w:r w:rsidR="00AB12CF"><w:t>obli</w:t></w:r>'
        '<w:r w:rsidR="00AB12D0"><w:t>ged</w:t></w:r></w:ins><w:proofErr w:type="spellEnd"/>'
        '<w:r><w:t xml:space="preserve"> to consider',
        1,
    )
    return text.replace("The act legally requires", "The Act legally requires", 1)


def test_merge_prints_a_diff_with_author_and_date_and_writes_nothing(review, tmp_path) -> None:
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    before = snapshot(review)
    result = invoke("merge", str(edited), str(review))
    assert result.exit_code == 0, result.output
    assert "--- background.md" in result.output
    hunk = r"^@@ -\d+,\d+ \+\d+,\d+ @@ Ann Lee, 2026-11-20; untracked edit$"
    assert re.search(hunk, result.output, re.M)  # the tracked change and the direct edit
    assert (
        "+Following the Public Services (Social Value) Act 2012, organisations – including "
        "local authorities – are obliged to consider" in result.output
    )
    assert snapshot(review) == before


def test_apply_writes_keeps_citations_and_can_be_undone(review, tmp_path) -> None:
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    before = snapshot(review)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "are obliged to consider how" in text and "required" not in text.split("\n")[2]
    assert "benefits.[@gov-social-value-act] The Act legally requires" in text
    undo = review / ".scopekit" / "merge-undo"
    assert (undo / "background.md").read_bytes() == before["background.md"]
    assert "cp -R" in result.output
    shutil.copytree(undo, review, dirs_exist_ok=True)  # the one command the output gives
    assert snapshot(review) == before
    again = invoke("merge", str(edited), str(review), "--apply")  # merged twice: same result
    assert again.exit_code == 0


def test_suggest_writes_criticmarkup(review, tmp_path) -> None:
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    result = invoke("merge", str(edited), str(review), "--suggest")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "are {~~required~>obliged~~} to consider" in text
    assert "{~~act~>Act~~} legally" in text


def test_json_output_follows_its_schema(review, tmp_path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    result = invoke("merge", str(edited), str(review), "--json")
    data = json.loads(result.stdout)
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["matched_by"] == "anchor" and not data["applied"]
    assert data["files"][0]["file"] == "background.md"
    assert {"author": "Ann Lee", "date": "2026-11-20T10:00:00Z"} in data["files"][0]["hunks"][0][
        "changes"
    ]


def test_not_a_docx_and_another_reviews_docx_exit_2(review, tmp_path) -> None:
    junk = tmp_path / "notes.docx"
    junk.write_text("not a zip", encoding="utf-8")
    result = invoke("merge", str(junk), str(review))
    assert result.exit_code == 2 and "is a text file, not a DOCX" in result.output
    assert "import" not in result.output and "scopekit build wrote" in result.output
    other = copy_review(CLEAN_REVIEW, tmp_path / "other")
    result = invoke("merge", str(built(review)), str(other))
    assert result.exit_code == 2
    assert "built from another review" in result.output
    assert "What are other local authorities doing around social value?" in result.output


def test_tracked_edits_made_in_libreoffice_merge(review, tmp_path) -> None:
    _soffice()
    if not Path("/usr/bin/python3").exists():
        pytest.skip("no system python3 with python3-uno")
    edits = {
        "author": "Lee Office",
        "edits": [
            {"old": "are required to consider", "new": "must consider"},
            {
                "old": " The Institute of Health Equity at University College London suggest",
                "new": " The Institute of Health Equity suggests",
            },
        ],
    }
    spec = tmp_path / "edits.json"
    spec.write_text(json.dumps(edits), encoding="utf-8")
    edited = tmp_path / "lo-edited.docx"
    run = subprocess.run(
        ["/usr/bin/python3", str(LO_EDIT), str(built(review)), str(edited), str(spec)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    if run.returncode and "No module named 'uno'" in run.stderr:
        pytest.skip("python3-uno is not installed")
    assert run.returncode == 0, run.stderr
    assert b"<w:ins " in zipfile.ZipFile(edited).read("word/document.xml")
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "Lee Office" in result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "local authorities – must consider how" in text
    assert (
        "[@ihe-social-value-act-health-inequalities] The Institute of Health Equity suggests "
        in text
    )


# --- 6. without anchors ----------------------------------------------------------------------


def test_without_anchors_paragraphs_are_matched_by_text(review, tmp_path) -> None:
    def strip(text: str) -> str:
        text = re.sub(r"<w:bookmark(Start|End) [^>]*/>", "", text)
        return text.replace("The act legally requires", "The Act legally requires", 1)

    edited = tmp_path / "pasted.docx"
    edit_part(built(review), edited, strip)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "by text similarity" in result.output
    assert "The Act legally requires" in (review / "background.md").read_text(encoding="utf-8")


def test_paragraph_deleted_and_added(review, tmp_path) -> None:
    def change(text: str) -> str:
        root = etree.fromstring(text.encode("utf-8"))
        paragraphs = [
            p
            for p in root.iter(w("p"))
            if read_paragraph(p).text().startswith("Coventry City Council has its own")
        ]
        target = paragraphs[0]
        new = etree.fromstring(
            f'<w:p xmlns:w="{w("")[1:-1]}"><w:pPr><w:rPr><w:ins w:id="77" {ANN}/></w:rPr>'
            f'</w:pPr><w:ins w:id="78" {ANN}><w:r><w:t>A new paragraph from Word.</w:t></w:r>'
            "</w:ins></w:p>"
        )
        target.addnext(new)
        target.getparent().remove(target)
        return etree.tostring(root, encoding="unicode")

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, change)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "Coventry City Council has its own" not in text
    assert "health.\n\nA new paragraph from Word.\n" in text


def test_docx_part_io_is_plain(review) -> None:
    """The record part is well-formed XML with the record as its text."""
    data = zipfile.ZipFile(io.BytesIO(built(review).read_bytes())).read("customXml/item2.xml")
    assert etree.fromstring(data).tag == "{urn:scopekit:build-record:1}record"


# --- 4. comments, open-comment, pending-change -------------------------------------------------


def test_word_comments_become_criticmarkup(review, tmp_path) -> None:
    """A comment added with python-docx 1.2's comments API, with a reply written as Word
    threads it (commentsExtended.xml), comes back at its place."""
    import docx

    document = docx.Document(str(built(review)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Coventry City Council"))
    run = paragraph.runs[0]
    comment = document.add_comment(run, text="Is this the 2022 policy?", author="Ann Lee")
    comment_id = comment.comment_id
    edited = tmp_path / "commented.docx"
    document.save(str(edited))
    text = (review / "background.md").read_text(encoding="utf-8")
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "1 comment(s)" in result.output
    merged = (review / "background.md").read_text(encoding="utf-8")
    assert (
        "{==Coventry City Council has its own Social Value and Sustainability policy.==}"
        "{>>Ann Lee, " in merged
    )
    assert ": Is this the 2022 policy?<<}[@coventry-social-value-policy] The policy" in merged
    assert merged.count("\n") == text.count("\n")
    assert comment_id is not None
    checked = invoke("check", str(review))
    assert checked.exit_code == 0 and "warning[open-comment]" in checked.output
    build = invoke("build", str(review), "--format", "html", "--force")
    assert build.exit_code == 0
    html = (review / "build" / f"{review.name}.html").read_text(encoding="utf-8")
    assert "Is this the 2022 policy?" not in html and "{==" not in html


def test_build_refuses_pending_changes_without_force(review, tmp_path) -> None:
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    assert invoke("merge", str(edited), str(review), "--suggest").exit_code == 0
    result = invoke("build", str(review), "--format", "html")
    assert result.exit_code == 1
    assert "warning[pending-change]" in result.output
    assert re.search(r"\d+ pending changes? \(CriticMarkup", result.output)
    assert "nothing built" in result.output
    forced = invoke("build", str(review), "--format", "html", "--force")
    assert forced.exit_code == 0
    html = (review / "build" / f"{review.name}.html").read_text(encoding="utf-8")
    assert "are obliged to consider" in html and "~&gt;" not in html and "{~~" not in html


def test_a_library_build_lists_the_pending_changes_that_stop_a_review(tmp_path) -> None:
    """In a folder of reviews, as for one review: the pending changes that stop it are
    listed in full, not only counted in the one-line summary of warnings."""
    library = tmp_path / "library"
    review = copy_review(CLEAN_REVIEW, library / "clean")
    edit(
        review / "findings.md", "Protected cycle routes", "{~~Protected~>Segregated~~} cycle routes"
    )
    result = invoke("build", str(library), "--format", "html")
    assert result.exit_code == 1
    assert "findings.md:5: warning[pending-change]" in result.output, result.output


def test_half_a_change_mark_is_pending_and_stops_the_build(tmp_path) -> None:
    """A mark written across lines (as `merge --suggest` once wrote a deleted paragraph) is
    no mark CriticMarkup reads: each half left on a line is a pending change all the same."""
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    text = (review / "findings.md").read_text(encoding="utf-8")
    (review / "findings.md").write_text("{--" + text.replace("\n\n", "\n\n--}", 1), "utf-8")
    checked = invoke("check", str(review))
    assert "findings.md:1: warning[pending-change] a change mark {--" in checked.output
    assert "findings.md:3: warning[pending-change] a change mark --}" in checked.output
    assert invoke("build", str(review), "--format", "html").exit_code == 1


def test_a_suggested_change_inside_a_commented_sentence_is_pending(review, tmp_path) -> None:
    """--suggest puts the changes of a commented sentence inside its {==…==}: check lists
    them as pending-change and build refuses them, rather than printing the marks."""
    import docx

    document = docx.Document(str(built(review)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Coventry City Council"))
    run = paragraph.runs[0]
    run.text = run.text.replace("its own", "a new")
    document.add_comment(run, text="Which year?", author="Ann Lee")
    edited = tmp_path / "commented.docx"
    document.save(str(edited))
    assert invoke("merge", str(edited), str(review), "--suggest").exit_code == 0
    merged = (review / "background.md").read_text(encoding="utf-8")
    assert "{==Coventry City Council has {~~its~>a~~} {~~own~>new~~}" in merged
    checked = invoke("check", str(review))
    assert "warning[pending-change] pending change {~~its~>a~~}" in checked.output
    assert invoke("build", str(review), "--format", "html").exit_code == 1
    assert invoke("build", str(review), "--format", "html", "--force").exit_code == 0
    html = (review / "build" / f"{review.name}.html").read_text(encoding="utf-8")
    assert "Coventry City Council has a new Social Value" in html and "{~~" not in html


def test_a_hand_changed_docx_is_kept_and_the_hint_offers_merge(review, tmp_path) -> None:
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    shutil.copy(edited, built(review))
    result = invoke("build", str(review), "--format", "docx")
    assert result.exit_code == 1
    assert f"hint: bring the Word edits into the review with: scopekit merge {built(review)}" in (
        result.output
    )


# --- 3. what it understands; 5. three-way --------------------------------------------------------


def test_a_deleted_footnote_reference_removes_its_citation(review, tmp_path) -> None:
    def change(text: str) -> str:
        reference = re.search(r'<w:bookmarkStart w:id="\d+" w:name="_skn2"/>(<w:r>.*?</w:r>)', text)
        run = reference[1]
        deleted = f'<w:del w:id="950" {ANN}>{run}</w:del>'
        return text.replace(run, deleted, 1)

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, change)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "[@ihe-social-value-act-health-inequalities]" not in text
    assert "local spending. The Institute" in text
    assert "benefits.[@gov-social-value-act] The act" in text


def test_markdown_changed_since_the_build_three_way(review, tmp_path) -> None:
    """An analyst's edit elsewhere survives; the same paragraph changed on both sides is a
    conflict, both versions kept between markers, exit 1."""
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    path = review / "background.md"
    text = path.read_text(encoding="utf-8")
    path.write_text("Added by the analyst.\n\n" + text, encoding="utf-8")
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    merged = path.read_text(encoding="utf-8")
    assert merged.startswith("Added by the analyst.\n\n# Background")
    assert "are obliged to consider" in merged
    path.write_text(text.replace("The act legally", "The law legally"), encoding="utf-8")
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 1
    assert "conflict: background.md:3" in result.output
    merged = path.read_text(encoding="utf-8")
    assert "<<<<<<< Markdown\n" in merged and "The law legally" in merged
    assert "=======\n" in merged and "are obliged to consider" in merged
    assert ">>>>>>> edited.docx (Ann Lee, 2026-11-20)" in merged
    theirs = merged.partition("=======\n")[2].partition(">>>>>>>")[0]
    assert "are obliged to consider" in theirs and "The Act legally" in theirs
    assert "benefits.[@gov-social-value-act] The Act" in theirs  # the citations kept
    checked = invoke("check", str(review))
    assert "background.md:3: error[merge-conflict] merge conflict (lines 3-7)" in checked.output
    blocked = invoke("build", str(review), "--format", "html")
    assert blocked.exit_code == 1 and "nothing built" in blocked.output


def test_an_edit_in_a_table_cell_stays_in_its_cell(tmp_path) -> None:
    folder = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    build_review(folder, ["docx"], force=True)
    edited = tmp_path / "edited.docx"
    edit_part(
        built(folder), edited, lambda t: t.replace("Counts of trips", "Counts of all trips", 1)
    )
    result = invoke("merge", str(edited), str(folder), "--apply")
    assert result.exit_code == 0, result.output
    assert "@@ -23,7 +23,7 @@ untracked edit" in result.output
    text = (folder / "findings.md").read_text(encoding="utf-8")
    assert "| School streets | Counts of all trips [@sustrans-school-streets] |" in text


def test_a_conflict_keeps_the_docx_citations_and_check_refuses_it(review, tmp_path) -> None:
    """Both sides changed one paragraph: the Word version between the markers keeps its
    citations; check reports the markers as an error (merge-conflict) and build refuses."""
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    path = review / "background.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("The act legally", "The law legally"), encoding="utf-8")
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 1, result.output
    merged = path.read_text(encoding="utf-8")
    docx_side = merged.split("=======\n", 1)[1].split("\n>>>>>>>", 1)[0]
    assert "are obliged to consider" in docx_side
    assert "benefits.[@gov-social-value-act] The Act legally requires" in docx_side
    assert "[@ihe-social-value-act-health-inequalities]" in docx_side
    checked = invoke("check", str(review))
    assert checked.exit_code == 1
    line = merged.split("\n").index("<<<<<<< Markdown") + 1
    assert f"background.md:{line}: error[merge-conflict]" in checked.output
    build = invoke("build", str(review), "--format", "html")
    assert build.exit_code == 1 and "merge-conflict" in build.output


# --- 3. footnote references: one key of two, moved, typed in Word; a note's access date -------

FOOTNOTE_RUN = (
    r'<w:bookmarkStart w:id="\d+" w:name="_skn{n}"/>'
    r'(<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
    r'<w:footnoteReference w:id="(\d+)"/></w:r>)'
)
COMMA = (
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
    '<w:t xml:space="preserve">,</w:t></w:r>'
)
DELETED_COMMA = (
    f'<w:del w:id="950" {ANN}>'
    + COMMA.replace("w:t ", "w:delText ").replace("</w:t>", "</w:delText>")
    + "</w:del>"
)


def reference(text: str, number: int) -> re.Match:
    return re.search(FOOTNOTE_RUN.format(n=number), text)


def after_paragraph(words: str, paragraph: str):
    """A change of document.xml putting `paragraph` (OOXML) after the first paragraph that
    holds `words`."""

    def change(text: str) -> str:
        return re.sub(
            rf"(<w:p>(?:(?!<w:p>).)*?{re.escape(words)}.*?</w:p>)",
            lambda m: m[1] + paragraph,
            text,
            count=1,
        )

    return change


def add_parts(source: Path, target: Path, changes: dict) -> None:
    """Copy a DOCX, changing several parts' text: {part name: change(text) -> text}."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename in changes:
                data = changes[info.filename](data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """The clean fixture review (a citation of two keys: `[@dft-cwis2; @aldred-…]`), built."""
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    build_review(folder, ["docx"], force=True)
    return folder


@pytest.mark.parametrize(
    ("deleted", "kept"), [(3, "[@dft-cwis2]"), (2, "[@aldred-mini-hollands-2019]")]
)
def test_deleting_one_of_two_adjacent_references_keeps_the_other(
    clean, tmp_path, deleted, kept
) -> None:
    def change(text: str) -> str:
        run = reference(text, deleted)[1]
        text = text.replace(run, f'<w:del w:id="951" {ANN}>{run}</w:del>', 1)
        return text.replace(COMMA, DELETED_COMMA, 1)  # the comma between them goes too

    edited = tmp_path / "edited.docx"
    edit_part(built(clean), edited, change)
    result = invoke("merge", str(edited), str(clean), "--apply")
    assert result.exit_code == 0, result.output
    text = (clean / "findings.md").read_text(encoding="utf-8")
    assert f"most often evaluated.{kept} In outer London" in text


def test_a_moved_footnote_reference_moves_its_citation(clean, tmp_path) -> None:
    """Cut and pasted with its hidden bookmark (track changes off)."""

    def change(text: str) -> str:
        found = re.search(
            r'<w:bookmarkStart w:id="\d+" w:name="_skn4"/>.*?<w:bookmarkEnd [^>]*/>', text
        )
        text = text.replace(found[0], "", 1)
        return text.replace(
            "In outer London, people",
            f'In outer London,</w:t></w:r>{found[0]}<w:r><w:t xml:space="preserve"> people',
            1,
        )

    edited = tmp_path / "edited.docx"
    edit_part(built(clean), edited, change)
    assert invoke("merge", str(edited), str(clean), "--apply").exit_code == 0
    text = (clean / "findings.md").read_text(encoding="utf-8")
    assert "In outer London,[@aldred-mini-hollands-2019] people living" in text
    assert text.count("[@aldred-mini-hollands-2019]") == 1
    assert "the schemes opened.\n" in text


def test_a_reference_moved_with_track_changes_is_known_by_its_note(review, tmp_path) -> None:
    """Word moves a footnote with track changes on as a deleted reference and an inserted one
    whose footnote is a copy (a new w:id, no bookmark): its text says which note it is."""
    docx = built(review)
    document = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    run, note_id = reference(document, 1).groups()
    notes = zipfile.ZipFile(docx).read("word/footnotes.xml").decode("utf-8")
    note = re.search(rf'<w:footnote w:id="{note_id}">.*?</w:footnote>', notes)[0]
    copy = note.replace(f'w:id="{note_id}"', 'w:id="91"', 1)
    moved = run.replace(f'w:id="{note_id}"', 'w:id="91"')

    def change(text: str) -> str:
        text = text.replace(run, f'<w:del w:id="970" {ANN}>{run}</w:del>', 1)
        return text.replace(
            "The act legally requires",
            f'The act legally requires</w:t></w:r><w:ins w:id="971" {ANN}>{moved}</w:ins>'
            '<w:r><w:t xml:space="preserve">',
            1,
        )

    edited = tmp_path / "edited.docx"
    add_parts(
        docx,
        edited,
        {
            "word/document.xml": change,
            "word/footnotes.xml": lambda t: t.replace("</w:footnotes>", copy + "</w:footnotes>"),
        },
    )
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "benefits. The act legally requires[@gov-social-value-act] consideration" in text
    assert "footnote added in Word" not in result.output


NEW_FOOTNOTE = (
    '<w:footnote w:id="90"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> Social value in procurement. Local Government '
    "Association. https://www.local.gov.uk/our-support/social-value-procurement "
    "(Accessed 12/11/2024)</w:t></w:r></w:p></w:footnote>"
)


def note_after_the_act(text: str) -> str:
    """A change of document.xml: a tracked reference to footnote 90 after "The act legally
    requires"."""
    return text.replace(
        "The act legally requires",
        f'The act legally requires</w:t></w:r><w:ins w:id="960" {ANN}><w:r><w:rPr>'
        '<w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="90"/>'
        '</w:r></w:ins><w:r><w:t xml:space="preserve">',
        1,
    )


def test_a_footnote_typed_in_word_with_a_url_becomes_a_source(review, tmp_path) -> None:
    change = note_after_the_act

    sources = (review / "sources.yaml").read_bytes()
    edited = tmp_path / "edited.docx"
    add_parts(
        built(review),
        edited,
        {
            "word/document.xml": change,
            "word/footnotes.xml": lambda t: t.replace(
                "</w:footnotes>", NEW_FOOTNOTE + "</w:footnotes>"
            ),
        },
    )
    shown = json.loads(invoke("merge", str(edited), str(review), "--json").stdout)
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(shown, json.loads(SCHEMA.read_text(encoding="utf-8")))
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    now = (review / "sources.yaml").read_bytes()
    assert now.startswith(sources)  # every byte kept, the new source after them
    added = now[len(sources) :].decode("utf-8")
    assert "\n- id: social-value-in-procurement" in added or "\n- id: local-" in added
    key = re.search(r"- id: (\S+)", added)[1]
    assert "URL: https://www.local.gov.uk/our-support/social-value-procurement" in added
    assert "accessed: 2024-11-12" in added
    assert f"new source '{key}' in sources.yaml" in result.output
    assert shown["new_sources"] == [key]
    assert [f["file"] for f in shown["files"]] == ["background.md", "sources.yaml"]
    text = (review / "background.md").read_text(encoding="utf-8")
    assert f"The act legally requires[@{key}] consideration" in text
    assert (review / ".scopekit" / "merge-undo" / "sources.yaml").read_bytes() == sources
    checked = invoke("check", str(review))
    assert "unknown-source" not in checked.output
    assert f"source '{key}' is not cited" not in checked.output


def test_a_changed_access_date_in_a_note_names_the_sources_yaml_line(review, tmp_path) -> None:
    review_sources = (review / "sources.yaml").read_text(encoding="utf-8").split("\n")
    start = next(
        i for i, line in enumerate(review_sources) if line.startswith("- id: gov-social-value-act")
    )
    line = (
        next(i for i in range(start, len(review_sources)) if "accessed:" in review_sources[i]) + 1
    )
    docx = built(review)
    document = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    note_id = reference(document, 1)[2]

    def change(text: str) -> str:
        note = re.search(rf'<w:footnote w:id="{note_id}">.*?</w:footnote>', text)[0]
        dated = re.sub(
            r"\d{1,2} [A-Z][a-z]+ \d{4}|\d{2}/\d{2}/\d{4}", "20 November 2026", note, count=1
        )
        assert dated != note
        return text.replace(note, dated)

    edited = tmp_path / "edited.docx"
    add_parts(docx, edited, {"word/footnotes.xml": change})
    result = invoke("merge", str(edited), str(review))
    assert result.exit_code == 0, result.output
    assert f"change accessed on sources.yaml line {line} ('gov-social-value-act')" in result.output


# --- 3. bold and italic, link text, moves -------------------------------------------------------

FORMATTED = f'<w:rPrChange w:id="980" {ANN}><w:rPr/></w:rPrChange>'


def test_bold_and_italic_made_and_unmade_in_word(review, tmp_path) -> None:
    """Bold with a tracked formatting change (w:rPrChange), italic direct, and a Strong run
    made plain."""

    def change(text: str) -> str:
        text = text.replace(
            "The act legally requires consideration",
            f"The act </w:t></w:r><w:r><w:rPr><w:b/>{FORMATTED}</w:rPr><w:t>legally requires"
            '</w:t></w:r><w:r><w:t xml:space="preserve"> consideration',
            1,
        )
        text = text.replace(
            "The Institute of Health Equity at",
            "The Institute of </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>Health Equity</w:t>"
            '</w:r><w:r><w:t xml:space="preserve"> at',
            1,
        )
        return re.sub(
            r'<w:rPr><w:rStyle w:val="Strong"/></w:rPr>(<w:t[^>]*>plan for the most)',
            r'<w:rPr><w:rStyle w:val="Strong"/><w:b w:val="0"/></w:rPr>\1',
            text,
            count=1,
        )

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, change)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "Ann Lee, 2026-11-20" in result.output
    background = (review / "background.md").read_text(encoding="utf-8")
    assert "The act **legally requires** consideration" in background
    assert "The Institute of *Health Equity* at University" in background
    findings = (review / "findings.md").read_text(encoding="utf-8")
    assert "developing a plan for the most deprived communities to access employment " in findings
    assert "across the workforce.\n" in findings
    again = tmp_path / "again"
    build_review(review, ["docx"], again, force=True)  # rebuilt: the bold is Strong again
    document = zipfile.ZipFile(again / f"{review.name}.docx").read("word/document.xml").decode()
    assert re.search(r'<w:rStyle w:val="Strong"/></w:rPr><w:t[^>]*>legally requires<', document)


def test_text_typed_in_bold_is_written_bold(review, tmp_path) -> None:
    def change(text: str) -> str:
        return text.replace(
            "The act legally requires",
            "The act legally</w:t></w:r>"
            f'<w:ins w:id="985" {ANN}><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve"> always'
            '</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> requires',
            1,
        )

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, change)
    assert invoke("merge", str(edited), str(review), "--apply").exit_code == 0
    assert "The act legally **always** requires" in (review / "background.md").read_text(
        encoding="utf-8"
    )


def test_changed_link_text_stays_a_link(review, tmp_path) -> None:
    """Word's shape: the old text deleted and the new inserted inside the w:hyperlink."""

    def change(text: str) -> str:
        text = re.sub(
            r"(<w:hyperlink [^>]*>)<w:r>(<w:rPr>.*?</w:rPr>)<w:t xml:space=\"preserve\">"
            r"West Sussex County Council Social Value Framework</w:t></w:r></w:hyperlink>",
            lambda m: (
                f'{m[1]}<w:del w:id="990" {ANN}><w:r>{m[2]}<w:delText>West Sussex County '
                f'Council Social Value Framework</w:delText></w:r></w:del><w:ins w:id="991" {ANN}>'
                f"<w:r>{m[2]}<w:t>The West Sussex framework</w:t></w:r></w:ins></w:hyperlink>"
            ),
            text,
            count=1,
        )
        return text.replace(  # and one edited with track changes off
            ">Hammersmith and Fulham Council Social value statement<",
            ">Hammersmith and Fulham social value statement<",
            1,
        )

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, change)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "findings.md").read_text(encoding="utf-8")
    assert "- [The West Sussex framework](@west-sussex-social-value-framework) – discusses" in text
    assert "- [Hammersmith and Fulham social value statement](@hammersmith-fulham-social" in text


def _paragraphs_starting(root, *starts: str) -> list:
    """The last paragraph starting with each (the title is the first list item's text too)."""
    paragraphs = list(root.iter(w("p")))
    return [[p for p in paragraphs if read_paragraph(p).text().startswith(s)][-1] for s in starts]


def test_reordered_paragraphs_and_list_items(review, tmp_path) -> None:
    """Cut and pasted with track changes off: each keeps its hidden anchor."""

    def change(text: str) -> str:
        root = etree.fromstring(text.encode("utf-8"))
        coventry, following = _paragraphs_starting(root, "Coventry City Council", "Following disc")
        coventry.addprevious(following)  # the third paragraph now second
        first, second = _paragraphs_starting(root, "What are other", "How are social")
        first.addprevious(second)
        return etree.tostring(root, encoding="unicode")

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, change)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    paragraphs = [p[:20] for p in text.split("\n\n")]
    assert paragraphs[1:4] == [
        "Following the Public",
        "Following discussion",
        "Coventry City Counci",
    ]
    assert "[@coventry-social-value-policy]" in text
    assert text.index("- How are social value") < text.index("- What are other")
    assert text.count("\n- ") == 2 and "social value?\n" in text
    assert invoke("merge", str(built(review)), str(review)).exit_code == 0


def test_a_paragraph_moved_with_track_changes_moves_with_its_citation(review, tmp_path) -> None:
    """Word's shape of a tracked move: the paragraph's runs in w:moveFrom where it was (its
    mark a moveFrom too), a copy in w:moveTo where it went, with move range marks."""
    move = f'w:id="{{}}" {ANN}'

    def change(text: str) -> str:
        root = etree.fromstring(text.encode("utf-8"))
        (coventry, last) = _paragraphs_starting(root, "Coventry City Council", "Following disc")
        copy = etree.fromstring(etree.tostring(coventry))
        for bookmark in copy.iter(w("bookmarkStart"), w("bookmarkEnd")):
            bookmark.getparent().remove(bookmark)
        source = etree.tostring(coventry, encoding="unicode")
        runs = re.search(r"(<w:r>.*</w:r>|<w:r .*</w:r>)", source, re.S)[1]
        moved_from = source.replace(
            runs,
            f'<w:moveFromRangeStart {move.format(1)} w:name="move1"/><w:moveFrom '
            f'{move.format(2)}>{runs}</w:moveFrom><w:moveFromRangeEnd w:id="1"/>',
        ).replace("<w:delText", "<w:delText")
        moved_from = moved_from.replace("<w:t ", "<w:delText ").replace("</w:t>", "</w:delText>")
        target = etree.tostring(copy, encoding="unicode")
        copy_runs = re.search(r"(<w:r>.*</w:r>|<w:r .*</w:r>)", target, re.S)[1]
        moved_to = target.replace(
            copy_runs,
            f'<w:moveToRangeStart {move.format(3)} w:name="move1"/><w:moveTo {move.format(4)}>'
            f'{copy_runs}</w:moveTo><w:moveToRangeEnd w:id="3"/>',
        )
        coventry.addprevious(etree.fromstring(moved_from))
        coventry.getparent().remove(coventry)
        last.addnext(etree.fromstring(moved_to))
        return etree.tostring(root, encoding="unicode")

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, change)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "Ann Lee, 2026-11-20" in result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("Coventry City Council has its own") == 1
    assert text.index("Following discussions") < text.index("Coventry City Council has its own")
    assert "policy.[@coventry-social-value-policy] The policy" in text


W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
COMMENTS_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="{WORD_NS}" xmlns:w14="{W14}">
<w:comment w:id="0" w:author="Ann Lee" w:date="2026-11-20T10:00:00Z" w:initials="AL">
<w:p w14:paraId="1A2B3C01" w14:textId="77777777"><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>
<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>
<w:r><w:t>Which act? Give its year.</w:t></w:r></w:p></w:comment>
<w:comment w:id="1" w:author="Raj Patel" w:date="2026-11-21T09:30:00Z" w:initials="RP">
<w:p w14:paraId="1A2B3C02" w14:textId="77777777"><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>
<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>
<w:r><w:t>2012, it says so above.</w:t></w:r></w:p></w:comment>
</w:comments>"""
COMMENTS_EXTENDED_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:commentsEx xmlns:w15="{W15}">
<w15:commentEx w15:paraId="1A2B3C01" w15:done="0"/>
<w15:commentEx w15:paraId="1A2B3C02" w15:paraIdParent="1A2B3C01" w15:done="0"/>
</w15:commentsEx>"""


def comment_rels(text: str) -> str:
    return text.replace(
        "</Relationships>",
        f'<Relationship Id="rIdC1" Type="{REL}/comments" Target="comments.xml"/>'
        '<Relationship Id="rIdC2" Type="http://schemas.microsoft.com/office/2011/relationships/'
        'commentsExtended" Target="commentsExtended.xml"/></Relationships>',
    )


def with_comments(source: Path, target: Path, document, replies: bool = False) -> None:
    """Copy a DOCX with `document(text) -> text` applied to its body and Word's comment parts
    added (COMMENTS_XML; with `replies`, COMMENTS_EXTENDED_XML threading them)."""
    add_parts(
        source,
        target,
        {
            "word/document.xml": document,
            "word/_rels/document.xml.rels": comment_rels,
            "[Content_Types].xml": comment_types,
        },
    )
    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("word/comments.xml", COMMENTS_XML)
        if replies:
            archive.writestr("word/commentsExtended.xml", COMMENTS_EXTENDED_XML)


def comment_types(text: str) -> str:
    return text.replace(
        "</Types>",
        '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.comments+xml"/><Override PartName="/word/'
        'commentsExtended.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'wordprocessingml.commentsExtended+xml"/></Types>',
    )


def test_a_comment_and_its_reply_written_as_word_writes_them(review, tmp_path) -> None:
    """comments.xml, commentsExtended.xml (the reply's paraIdParent), the ranges of both in
    the text and the reference runs after them, all in the shapes Word writes."""

    def document(text: str) -> str:
        return text.replace(
            "The act legally requires",
            '</w:t></w:r><w:commentRangeStart w:id="0"/><w:commentRangeStart w:id="1"/><w:r>'
            '<w:t>The act</w:t></w:r><w:commentRangeEnd w:id="0"/><w:commentRangeEnd w:id="1"/>'
            '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/>'
            '</w:r><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
            '<w:commentReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> legally requires',
            1,
        )

    edited = tmp_path / "commented.docx"
    with_comments(built(review), edited, document, replies=True)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "1 comment(s)" in result.output  # the reply goes with its comment
    text = (review / "background.md").read_text(encoding="utf-8")
    assert (
        "{==The act==}{>>Ann Lee, 2026-11-20: Which act? Give its year.<<}"
        "{>>Raj Patel, 2026-11-21: 2012, it says so above.<<} legally requires" in text
    )
    checked = invoke("check", str(review))
    assert checked.output.count("warning[open-comment]") == 2


def test_a_comment_on_a_moved_paragraph_moves_with_it(review, tmp_path) -> None:
    def document(text: str) -> str:
        root = etree.fromstring(text.encode("utf-8"))
        coventry, following = _paragraphs_starting(root, "Coventry City Council", "Following disc")
        coventry.addprevious(following)
        ranges = etree.fromstring(
            f'<w:p xmlns:w="{WORD_NS}"><w:commentRangeStart w:id="0"/><w:commentRangeEnd '
            'w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>'
        )
        first = following.find(w("r"))
        for child in list(ranges):
            first.addprevious(child)
        return etree.tostring(root, encoding="unicode")

    edited = tmp_path / "edited.docx"
    with_comments(built(review), edited, document)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "literature on:{>>Ann Lee, 2026-11-20: Which act? Give its year.<<}\n\nCoventry" in text


def test_merging_the_same_docx_again_is_no_conflict(review, tmp_path) -> None:
    """After --apply the Markdown holds the DOCX's change: the same change on both sides."""


def test_the_commands_merge_prints_can_be_pasted_with_spaces_in_the_paths(tmp_path) -> None:
    """A folder named as Windows and OneDrive name them ("My Review"): the undo command and
    the hints quote their paths, so they can be pasted into a shell."""
    review = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "My Review")
    build_review(review, ["docx"])
    edited = tmp_path / "edited AL.docx"
    edit_part(built(review), edited, word_edits)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    undo = f"'{review}/.scopekit/merge-undo/.' '{review}/'"
    assert f"to undo: cp -R {undo}" in result.output
    shutil.copy(edited, built(review))
    kept = invoke("build", str(review), "--format", "docx")
    assert kept.exit_code == 1
    assert f"scopekit merge '{built(review)}' '{review}' (then build again)" in kept.output


@pytest.mark.parametrize("caption", ["", "\nTable: Programmes and their evidence\n"])
def test_a_paragraph_added_after_a_table_follows_the_table(tmp_path, caption: str) -> None:
    """A paragraph typed in Word after a table goes after the table in the Markdown (and after
    its `Table:` caption), not into a table row nor into the unmatched list."""
    import docx

    folder = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    edit(
        folder / "findings.md",
        "| Cycle training | Participants[^table] |\n",
        ("| Cycle training | Participants[^table] |\n" + caption),
    )
    build_review(folder, ["docx"], force=True)
    document = docx.Document(str(built(folder)))
    added = document.add_paragraph("A paragraph the manager added.")
    document.tables[-1]._tbl.addnext(added._p)
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    result = invoke("merge", str(edited), str(folder), "--apply")
    assert result.exit_code == 0, result.output
    assert "unmatched" not in result.output
    text = (folder / "findings.md").read_text(encoding="utf-8")
    expected = "| Cycle training | Participants[^table] |\n" + caption
    assert expected + "\nA paragraph the manager added.\n\n> Few of these" in text


def test_a_heading_added_in_word_comes_back_as_a_heading(review, tmp_path) -> None:
    """A paragraph a colleague puts in Word's Heading 2 style is a `##` heading, not prose."""
    import docx

    document = docx.Document(str(built(review)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Coventry City Council"))
    paragraph.insert_paragraph_before("Coventry's own policy", style="Heading 2")
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "\n\n## Coventry's own policy\n\nCoventry City Council" in text


def test_merging_the_same_docx_again_changes_nothing(review, tmp_path) -> None:
    """A copy merged twice (or two colleagues making the same edit) is no conflict: the
    Markdown already says what the DOCX says."""
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    assert invoke("merge", str(edited), str(review), "--apply").exit_code == 0
    merged = snapshot(review)
    again = invoke("merge", str(edited), str(review), "--apply")
    assert again.exit_code == 0, again.output
    assert "conflict" not in again.output and "nothing to merge" in again.output
    assert snapshot(review) == merged


def test_two_colleagues_copies_of_one_build_merge_one_after_the_other(review, tmp_path) -> None:
    """Ann's copy, then Raj's: edits to different blocks all survive; Raj's copy still has
    the built text where Ann changed it, which is no change of his."""
    ann, raj = tmp_path / "ann.docx", tmp_path / "raj.docx"
    edit_part(built(review), ann, word_edits)
    edit_part(
        built(review),
        raj,
        lambda t: t.replace("has its own Social Value", "has had its own Social Value", 1),
    )
    assert invoke("merge", str(ann), str(review), "--apply").exit_code == 0
    second = invoke("merge", str(raj), str(review), "--apply")
    assert second.exit_code == 0, second.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "are obliged to consider" in text and "The Act legally requires" in text
    assert "Coventry City Council has had its own Social Value" in text
    assert "<<<<<<<" not in text


def test_text_typed_in_word_reads_back_as_typed_not_as_pandoc_syntax(review, tmp_path) -> None:
    """A colleague types `CO~2~`, `m^2^`, `--` and `...` in Word: the merged Markdown escapes
    them, so the briefing shows what they typed (no subscript, dash or ellipsis made of it);
    quotes are curled, as Word curls them."""
    typed = 'CO~2~ per m^2^ -- "up" ... {x}'
    edited = tmp_path / "edited.docx"
    edit_part(
        built(review),
        edited,
        lambda t: t.replace("has its own Social Value", f"has its own {typed} Social Value", 1),
    )
    assert invoke("merge", str(edited), str(review), "--apply").exit_code == 0
    result = build_review(review, ["html"], force=True)
    html = result.written[0].path.read_text(encoding="utf-8")
    assert "CO~2~ per m^2^ -- “up” ... {x}" in html
    assert ' "up" ' in (review / "background.md").read_text(encoding="utf-8")


def test_reordered_paragraphs_without_anchors_are_moved_too(review, tmp_path) -> None:
    """Matched by text (the bookmarks gone, as in a DOCX pasted into a new document), a
    paragraph cut and pasted elsewhere still moves in the Markdown."""

    def change(text: str) -> str:
        text = re.sub(r"<w:bookmark(Start|End) [^>]*/>", "", text)
        root = etree.fromstring(text.encode("utf-8"))
        coventry, following = _paragraphs_starting(root, "Coventry City Council", "Following disc")
        coventry.addprevious(following)
        return etree.tostring(root, encoding="unicode")

    edited = tmp_path / "pasted.docx"
    edit_part(built(review), edited, change)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "by text similarity" in result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    paragraphs = [p[:20] for p in text.split("\n\n")]
    assert paragraphs[1:4] == [
        "Following the Public",
        "Following discussion",
        "Coventry City Counci",
    ]
    assert text.count("[@coventry-social-value-policy]") == 1


def lo_edit(
    source: Path, target: Path, edits: list[dict], tmp_path: Path, record: bool = True
) -> None:
    """`source` edited in LibreOffice (tests/lo_edit.py) with recording of changes on (off:
    not `record`)."""
    _soffice()
    if not Path("/usr/bin/python3").exists():
        pytest.skip("no system python3 with python3-uno")
    spec = tmp_path / "edits.json"
    spec.write_text(
        json.dumps({"author": "Lee Office", "record": record, "edits": edits}), encoding="utf-8"
    )
    run = subprocess.run(
        ["/usr/bin/python3", str(LO_EDIT), str(source), str(target), str(spec)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    if run.returncode and "No module named 'uno'" in run.stderr:
        pytest.skip("python3-uno is not installed")
    assert run.returncode == 0, run.stderr


def test_bold_and_a_move_made_in_libreoffice_merge(review, tmp_path) -> None:
    """LibreOffice's own shapes, in a folder whose name has a space: a word made bold, one
    italic, and part of a bold stretch made plain (tracked formatting changes), a paragraph
    cut and pasted elsewhere (its citation comes along)."""
    spaced = tmp_path / "aud it"
    spaced.mkdir()
    source = spaced / "built copy.docx"
    shutil.copy(built(review), source)
    edited = spaced / "lo edited.docx"
    edits = [
        {"bold": "legally"},
        {"italic": "Health Equity"},
        {"plain": "deprived communities"},
        {"move": "Coventry City Council has its own", "before": "Following the Public"},
    ]
    lo_edit(source, edited, edits, tmp_path)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    background = (review / "background.md").read_text(encoding="utf-8")
    assert "The act **legally** requires" in background
    assert "The Institute of *Health Equity* at University" in background
    findings = (review / "findings.md").read_text(encoding="utf-8")
    assert (
        "a **plan for the most** deprived communities **to access employment opportunities "
        "across the workforce.**" in findings
    )
    paragraphs = [p[:20] for p in background.split("\n\n")]
    assert paragraphs[1:4] == [
        "Coventry City Counci",
        "Following the Public",
        "Following discussion",
    ]
    assert background.count("[@coventry-social-value-policy]") == 1


def test_a_new_paragraph_keeps_its_notes_emphasis_and_links(review, tmp_path) -> None:
    """A paragraph typed in Word (a tracked insertion) with bold, italic, a link to a URL the
    review cites, a footnote typed with a URL, and a copy of note 1 (same text, new id)."""
    docx = built(review)
    document = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    note_one = reference(document, 1)[2]
    link = re.search(
        r'<w:hyperlink r:id="(\w+)"[^>]*>(?:(?!</w:hyperlink>).)*West Sussex', document
    )
    ins = f'<w:ins w:id="{{}}" {ANN}>'

    def run(text: str, props: str = "") -> str:
        return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'

    def note(number: int) -> str:
        return (
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{number}"/></w:r>'
        )

    linked = run("framework", '<w:rStyle w:val="Hyperlink"/>')
    paragraph = (
        f"<w:p><w:pPr><w:rPr>{ins.format(970)[:-1]}/></w:rPr></w:pPr>{ins.format(971)}"
        + run("New work ")
        + run("matters", "<w:b/>")
        + run(" for ")
        + run("councils", "<w:i/>")
        + run(", as the ")
        + f'<w:hyperlink r:id="{link[1]}">{linked}'
        + "</w:hyperlink>"
        + run(" shows.")
        + note(90)
        + run(" So does the act.")
        + note(91)
        + "</w:ins></w:p>"
    )

    change = after_paragraph("Coventry City Council has its own", paragraph)

    def footnotes(text: str) -> str:
        copied = re.search(rf'<w:footnote w:id="{note_one}">.*?</w:footnote>', text)[0]
        copied = copied.replace(f'w:id="{note_one}"', 'w:id="91"', 1)
        return text.replace("</w:footnotes>", NEW_FOOTNOTE + copied + "</w:footnotes>")

    edited = tmp_path / "edited.docx"
    add_parts(docx, edited, {"word/document.xml": change, "word/footnotes.xml": footnotes})
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    key = re.findall(r"- id: (\S+)", (review / "sources.yaml").read_text(encoding="utf-8"))[-1]
    assert f"new source '{key}' in sources.yaml" in result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert (
        "\n\nNew work **matters** for *councils*, as the "
        f"[framework](@west-sussex-social-value-framework) shows.[@{key}] "
        "So does the act.[@gov-social-value-act]\n\n" in text
    )
    assert "not merged" not in result.output.lower()


def test_an_edit_in_a_table_caption_stays_in_its_caption(tmp_path) -> None:
    """The build record ties a table's caption to its own line (`Table: …` above the table,
    `: …` below it), not to the paragraph before it."""
    folder = copy_review(TESTS_DIR / "reviews" / "figures", tmp_path / "figures")
    build_review(folder, ["docx"], force=True)
    edited = tmp_path / "edited.docx"

    def change(text: str) -> str:
        text = text.replace("Schemes councils described, by kind", "Schemes described", 1)
        return text.replace("Programmes councils ran", "Programmes run", 1)

    edit_part(built(folder), edited, change)
    result = invoke("merge", str(edited), str(folder), "--apply")
    assert result.exit_code == 0, result.output
    text = (folder / "findings.md").read_text(encoding="utf-8")
    assert "\nTable: Schemes described\n" in text
    assert "\n: Programmes run\n" in text
    assert "Protected cycle routes and low-traffic neighbourhoods were the schemes" in text
    assert "3. led walks and social cycling groups for people who are new to activity." in text

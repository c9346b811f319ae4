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
    assert result.exit_code == 2 and "not a DOCX file" in result.output
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
    assert "pending change(s)" in result.output and "nothing built" in result.output
    forced = invoke("build", str(review), "--format", "html", "--force")
    assert forced.exit_code == 0
    html = (review / "build" / f"{review.name}.html").read_text(encoding="utf-8")
    assert "are obliged to consider" in html and "~&gt;" not in html and "{~~" not in html


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
    assert "background.md:3: warning[pending-change] merge conflict (lines 3–7)" in checked.output
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

"""`scopekit build --format docx --changes-since EARLIER.docx`: what changed since an earlier
build, as Word tracked changes (author "scopekit", dated the build moment), read back with
merge's paragraph reader and by LibreOffice itself."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, SOCIAL_VALUE_REVIEW, copy_review, invoke
from lxml import etree

from scopekit.ooxml import w
from scopekit.wordtext import is_note, read_paragraph


def _plain(text: str) -> str:
    return "".join(c for c in text if not is_note(c))


def _paragraphs(docx: Path) -> list:
    root = etree.fromstring(zipfile.ZipFile(docx).read("word/document.xml"))
    return [read_paragraph(p) for p in root.find(w("body")).iter(w("p"))]


def _record(docx: Path) -> dict:
    return json.loads(etree.fromstring(zipfile.ZipFile(docx).read("customXml/item2.xml")).text)


def _edit_review(folder: Path) -> None:
    path = folder / "background.md"
    text = path.read_text(encoding="utf-8")
    text = text.replace("The act legally requires", "The Act clearly requires")
    text = text.replace(
        "Coventry City Council has its own", "Coventry City Council has, since 2022, its own"
    )
    text = text.replace(
        "implemented by local authorities?\n",
        "implemented by local authorities?\n- What did they find?\n",
    )
    text = text.replace(  # a citation added before the others: every later note renumbered
        "Following discussions between", "Following discussions[@gov-social-value-act] between"
    )
    path.write_text(text, encoding="utf-8")
    methods = folder / "methods.md"
    parts = methods.read_text(encoding="utf-8").split("\n\n")
    del parts[1]  # a paragraph gone
    methods.write_text("\n\n".join(parts), encoding="utf-8")


@pytest.fixture
def built_twice(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(the review, the earlier DOCX, the DOCX built with --changes-since it)."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    first = invoke("build", str(folder), "--format", "docx")
    assert first.exit_code == 0, first.output
    earlier = tmp_path / "seen-by-ann.docx"
    shutil.copy(folder / "build" / "social-value.docx", earlier)
    _edit_review(folder)
    result = invoke("build", str(folder), "--format", "docx", "--changes-since", str(earlier))
    assert result.exit_code == 0, result.output
    return folder, earlier, folder / "build" / "social-value.docx"


def test_every_difference_is_a_tracked_change_by_scopekit(built_twice) -> None:
    _folder, earlier, now = built_twice
    paragraphs = _paragraphs(now)
    record, old = _record(now), _record(earlier)
    moment = record["built"]
    changes = [c for p in paragraphs for c in p.changes]
    assert changes and {(c.author, c.date) for c in changes} == {("scopekit", moment)}
    # after the changes: exactly this build's text; before them: exactly the earlier one's
    after = [p.text("after") for p in paragraphs if not (p.mark and p.mark.kind == "del")]
    assert after == [b["text"] for b in record["blocks"]]
    before = [_plain(p.text("before")) for p in paragraphs if not (p.mark and p.mark.kind == "ins")]
    assert before == [_plain(b["text"]) for b in old["blocks"]]
    changed = [p for p in paragraphs if p.changes]
    assert len(changed) == 5  # four blocks edited or added, one deleted; renumbered notes are not
    act = next(p for p in changed if "clearly" in p.text())
    assert "The act legally" in act.text("before") and "The Act clearly" in act.text("after")
    assert any(
        p.mark and p.mark.kind == "ins" and p.text() == "What did they find?" for p in changed
    )


def test_merge_reads_it_as_the_build_it_is(built_twice) -> None:
    folder, _earlier, now = built_twice
    result = invoke("merge", str(now), str(folder))
    assert result.exit_code == 0, result.output
    assert "nothing to merge" in result.output


def test_a_plain_build_after_it_has_no_tracked_changes(built_twice) -> None:
    folder, _earlier, now = built_twice
    assert b"<w:ins " in zipfile.ZipFile(now).read("word/document.xml")
    result = invoke("build", str(folder), "--format", "docx")
    assert result.exit_code == 0 and "up to date" not in result.output
    assert b"<w:ins " not in zipfile.ZipFile(now).read("word/document.xml")


def test_the_same_docx_since_itself_changes_nothing(tmp_path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    assert invoke("build", str(folder), "--format", "docx").exit_code == 0
    plain = (folder / "build" / "clean.docx").read_bytes()
    earlier = tmp_path / "earlier.docx"
    earlier.write_bytes(plain)
    result = invoke("build", str(folder), "--format", "docx", "--changes-since", str(earlier))
    assert result.exit_code == 0, result.output
    assert (folder / "build" / "clean.docx").read_bytes() == plain


def test_not_a_scopekit_docx_or_another_reviews_exit_2(tmp_path, built_twice) -> None:
    folder, earlier, _now = built_twice
    other = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    result = invoke("build", str(other), "--format", "docx", "--changes-since", str(earlier))
    assert result.exit_code == 2 and "built from another review" in result.output
    junk = tmp_path / "junk.docx"
    junk.write_text("not a zip", encoding="utf-8")
    result = invoke("build", str(folder), "--format", "docx", "--changes-since", str(junk))
    assert result.exit_code == 2 and "junk.docx" in result.output


def test_libreoffice_reads_the_changes(built_twice, tmp_path) -> None:
    """LibreOffice shows the changes in its text (old and new words both, changes shown)
    and keeps them as its own tracked changes when it saves the DOCX again."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        pytest.skip("LibreOffice (soffice) is not installed")
    _folder, _earlier, now = built_twice
    out = tmp_path / "lo"
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    for target in ("txt:Text", "docx:MS Word 2007 XML"):
        subprocess.run(
            [
                soffice,
                "--headless",
                profile,
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(now),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    text = (out / "social-value.txt").read_text(encoding="utf-8-sig")
    assert "The actAct legallyclearly requires" in text  # deleted then inserted, both shown
    assert "What did they find?" in text
    saved = _paragraphs(out / "social-value.docx")
    act = next(p for p in saved if "clearly requires" in p.text())
    assert "legally requires" in act.text("before")
    assert {c.author for c in act.changes} == {"scopekit"}


def test_changes_since_without_a_docx_to_build_is_a_usage_error(tmp_path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    result = invoke("build", str(folder), "--format", "html", "--changes-since", "x.docx")
    assert result.exit_code == 2
    assert "no DOCX is being built" in result.output and "--format docx" in result.output


def test_a_table_row_gone_is_shown_deleted_before_its_table(tmp_path) -> None:
    """A block gone just before a table goes before the table, never into its first cell."""
    from conftest import EVERY_FORM_REVIEW

    folder = copy_review(EVERY_FORM_REVIEW, tmp_path / "every-form")
    assert invoke("build", str(folder), "--format", "docx", "--force").exit_code == 0
    earlier = tmp_path / "earlier.docx"
    shutil.copy(folder / "build" / "every-form.docx", earlier)
    path = folder / "findings.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(i for i, line in enumerate(lines) if line.startswith("| School streets"))
    del lines[row]
    path.write_text("\n".join(lines), encoding="utf-8")
    result = invoke(
        "build", str(folder), "--format", "docx", "--force", "--changes-since", str(earlier)
    )
    assert result.exit_code == 0, result.output
    root = etree.fromstring(
        zipfile.ZipFile(folder / "build" / "every-form.docx").read("word/document.xml")
    )
    gone = [p for p in root.iter(w("p")) if read_paragraph(p).mark is not None]
    assert [_plain(read_paragraph(p).text("before")).strip() for p in gone] == [
        "School streets",
        "Counts of trips",
    ]
    assert all(read_paragraph(p).text() == "" for p in gone)
    for p in gone:  # every deleted paragraph sits in the body, none inside a cell
        assert not any(a.tag == w("tc") for a in p.iterancestors())


def test_a_heavy_rewrite_pairs_paragraphs_by_similarity(tmp_path) -> None:
    """A paragraph gone and the next one edited: the edited one is paired with its earlier
    self (not with the paragraph gone, as pairing by position did); the paragraph and the
    list item gone come back deleted in their styles, the paragraph's footnote reference a
    deleted reference to a footnote with the earlier note's text."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    assert invoke("build", str(folder), "--format", "docx").exit_code == 0
    earlier = tmp_path / "earlier.docx"
    shutil.copy(folder / "build" / "social-value.docx", earlier)
    path = folder / "background.md"
    parts = path.read_text(encoding="utf-8").split("\n\n")
    assert parts[2].startswith("Coventry City Council") and parts[3].startswith("Following")
    parts[3] = parts[3].replace("Following discussions between", "After long discussions between")
    parts[4] = parts[4].replace(
        "- What are other local authorities doing around social value?\n", ""
    )
    del parts[2]
    path.write_text("\n\n".join(parts), encoding="utf-8")
    result = invoke("build", str(folder), "--format", "docx", "--changes-since", str(earlier))
    assert result.exit_code == 0, result.output
    now = folder / "build" / "social-value.docx"
    root = etree.fromstring(zipfile.ZipFile(now).read("word/document.xml"))
    paragraphs = list(root.find(w("body")).iter(w("p")))
    read = [read_paragraph(p) for p in paragraphs]
    edited = next(k for k, p in enumerate(read) if p.text().startswith("After long discussions"))
    assert read[edited].text("before").startswith("Following discussions between")
    inserted = [
        "".join(t.text for t in ins.iter(w("t"))) for ins in paragraphs[edited].iter(w("ins"))
    ]
    assert "".join(inserted).strip() == "After long"
    gone = read[edited - 1]
    assert gone.mark is not None and gone.mark.kind == "del"
    assert _plain(gone.text("before")).startswith("Coventry City Council has its own")
    style = paragraphs[edited - 1].find(f"{w('pPr')}/{w('pStyle')}")
    built_style = paragraphs[edited].find(f"{w('pPr')}/{w('pStyle')}")
    assert (style is None) == (built_style is None)
    if style is not None:
        assert style.get(w("val")) == built_style.get(w("val"))
    refs = [
        r.get(w("id"))
        for d in paragraphs[edited - 1].iter(w("del"))
        for r in d.iter(w("footnoteReference"))
    ]
    assert len(refs) == 1
    notes = etree.fromstring(zipfile.ZipFile(now).read("word/footnotes.xml"))
    note = next(n for n in notes.iter(w("footnote")) if n.get(w("id")) == refs[0])
    old_note = next(
        n for n in _record(earlier)["notes"] if n["key"] == "coventry-social-value-policy"
    )
    assert " ".join("".join(t.text for t in note.iter(w("t"))).split()) == " ".join(
        old_note["text"].split()
    )
    item = next(
        k
        for k, p in enumerate(read)
        if _plain(p.text("before")).startswith("What are other local")
        and p.mark is not None
        and p.mark.kind == "del"
    )
    assert paragraphs[item].find(f"{w('pPr')}/{w('pStyle')}").get(w("val")) == "ListBullet"


def test_a_citation_gone_is_a_deleted_reference_and_merges_as_nothing(tmp_path) -> None:
    """A citation removed from a paragraph: its reference is shown deleted where it stood,
    to a footnote with the earlier text; merging that DOCX back changes nothing."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    assert invoke("build", str(folder), "--format", "docx").exit_code == 0
    earlier = tmp_path / "earlier.docx"
    shutil.copy(folder / "build" / "social-value.docx", earlier)
    path = folder / "background.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("policy.[@coventry-social-value-policy]", "policy."), "utf-8")
    sources = folder / "sources.yaml"
    entries = sources.read_text(encoding="utf-8").split("\n- ")
    sources.write_text(  # its source gone too: merging must not make it a new one
        "\n- ".join(e for e in entries if not e.startswith("id: coventry-social-value-policy")),
        encoding="utf-8",
    )
    result = invoke("build", str(folder), "--format", "docx", "--changes-since", str(earlier))
    assert result.exit_code == 0, result.output
    now = folder / "build" / "social-value.docx"
    root = etree.fromstring(zipfile.ZipFile(now).read("word/document.xml"))
    coventry = next(
        p for p in root.iter(w("p")) if read_paragraph(p).text().startswith("Coventry City")
    )
    refs = [r for d in coventry.iter(w("del")) for r in d.iter(w("footnoteReference"))]
    assert len(refs) == 1
    notes = etree.fromstring(zipfile.ZipFile(now).read("word/footnotes.xml"))
    ids = [n.get(w("id")) for n in notes.iter(w("footnote"))]
    assert ids.count(refs[0].get(w("id"))) == 1
    merged = invoke("merge", str(now), str(folder))
    assert merged.exit_code == 0, merged.output
    assert "nothing to merge" in merged.output

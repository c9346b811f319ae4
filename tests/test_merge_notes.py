"""`scopekit merge`: a note's text edited in Word.

A note of the author's own (`[^label]: …`, `^[…]`) is the analyst's Markdown: an edit of
it is merged into that Markdown when it is plain text, and otherwise the merge names the
file, line and note to change. A note citing a source is made from sources.yaml: the merge
names the line to change. Both hold for a copy that lost scopekit's hidden anchors (text
pasted into a new document), where the edited note is known by its text.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import SOCIAL_VALUE_REVIEW, copy_review, invoke
from test_merge import add_parts, built

from scopekit.build import build_review

OWN = "The toolkit is internal and was not read for this review."
INLINE = "An inline note of the author's own."
CALL = "into everyday council activities;"


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """The social-value review with an own note in Background and an inline one in
    Methods, built to DOCX."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    background = folder / "background.md"
    text = background.read_text(encoding="utf-8")
    assert CALL in text
    text = text.replace(CALL, CALL + "[^toolkit]", 1) + f"\n[^toolkit]: {OWN}\n"
    background.write_text(text, encoding="utf-8")
    methods = folder / "methods.md"
    paragraphs = methods.read_text(encoding="utf-8").split("\n\n")
    last = next(i for i, p in enumerate(paragraphs) if p.rstrip().endswith("."))
    paragraphs[last] = paragraphs[last].rstrip() + f"^[{INLINE}]"
    methods.write_text("\n\n".join(paragraphs), encoding="utf-8")
    build_review(folder, ["docx"])
    return folder


def _anchorless(text: str) -> str:
    """A part as if pasted into a new document: no `_skN`/`_sknN` bookmarks."""
    ids = re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="_sk[^"]*"/>', text)
    text = re.sub(r'<w:bookmarkStart w:id="\d+" w:name="_sk[^"]*"/>', "", text)
    for found in ids:
        text = text.replace(f'<w:bookmarkEnd w:id="{found}"/>', "")
    return text


def _edited(review: Path, target: Path, was: str, now: str, anchors: bool) -> Path:
    """The built DOCX with the words `was` of a note changed to `now`."""

    def notes(text: str) -> str:
        assert was in text
        text = text.replace(was, now, 1)
        return text if anchors else _anchorless(text)

    changes = {"word/footnotes.xml": notes}
    if not anchors:
        changes["word/document.xml"] = _anchorless
    add_parts(built(review), target, changes)
    return target


@pytest.mark.parametrize("anchors", [True, False], ids=["anchored", "pasted"])
def test_an_own_notes_edit_is_merged_into_its_definition(review, tmp_path, anchors) -> None:
    edited = _edited(
        review, tmp_path / "e.docx", "is internal and", "is internal, confidential and", anchors
    )
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert CALL + "[^toolkit]" in text  # the note stays where it was called
    assert "[^toolkit]: The toolkit is internal, confidential and was not read" in text
    assert text.count("[^toolkit]") == 2
    assert invoke("check", str(review)).exit_code == 0


@pytest.mark.parametrize("anchors", [True, False], ids=["anchored", "pasted"])
def test_an_inline_notes_edit_is_merged_in_place(review, tmp_path, anchors) -> None:
    edited = _edited(review, tmp_path / "e.docx", "An inline note", "An inline remark", anchors)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "methods.md").read_text(encoding="utf-8")
    assert "^[An inline remark of the author's own.]" in text
    assert "An inline note" not in text


@pytest.mark.parametrize(
    "marked",
    [
        "The toolkit is internal and was *not* read for this review.",
        "The toolkit is internal and was not read for [this review](https://example.org/r).",
    ],
    ids=["emphasis", "link"],
)
def test_an_own_note_with_markup_names_its_file_and_line(review, tmp_path, marked) -> None:
    background = review / "background.md"
    text = background.read_text(encoding="utf-8").replace(OWN, marked)
    background.write_text(text, encoding="utf-8")
    build_review(review, ["docx"], force=True)
    line = text.split("\n").index(f"[^toolkit]: {marked}") + 1
    edited = _edited(
        review, tmp_path / "e.docx", "is internal and", "is internal, confidential and", True
    )
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert f"change [^toolkit] on background.md line {line}" in result.output
    assert background.read_text(encoding="utf-8") == text  # nothing guessed


@pytest.mark.parametrize("anchors", [True, False], ids=["anchored", "pasted"])
def test_a_source_notes_access_date_edit_names_the_sources_line(review, tmp_path, anchors) -> None:
    notes = zipfile.ZipFile(built(review)).read("word/footnotes.xml").decode("utf-8")
    date = re.search(r"Accessed (\d{2}/\d{2}/\d{4})\)", notes)[1]
    day = "28" if not date.startswith("28") else "27"
    edited = _edited(
        review, tmp_path / "e.docx", f"Accessed {date})", f"Accessed {day}{date[2:]})", anchors
    )
    sources = (review / "sources.yaml").read_bytes()
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"the access date is now \S+: change accessed on sources.yaml line \d+", result.output
    )
    assert (review / "sources.yaml").read_bytes() == sources


def test_an_own_notes_edit_merged_once_is_not_said_again(review, tmp_path) -> None:
    edited = _edited(
        review, tmp_path / "e.docx", "is internal and", "is internal, confidential and", True
    )
    assert invoke("merge", str(edited), str(review), "--apply").exit_code == 0
    merged = (review / "background.md").read_bytes()
    again = invoke("merge", str(edited), str(review), "--apply")
    assert again.exit_code == 0, again.output
    assert "nothing to merge" in again.output and "not merged" not in again.output, again.output
    assert (review / "background.md").read_bytes() == merged


def _footnote_id(review: Path, words: str) -> str:
    notes = zipfile.ZipFile(built(review)).read("word/footnotes.xml").decode("utf-8")
    found = re.search(rf'<w:footnote w:id="(\d+)">(?:(?!</w:footnote>).)*{re.escape(words)}', notes)
    assert found is not None
    return found[1]


def test_a_deleted_inline_note_reference_takes_the_whole_note(review, tmp_path) -> None:
    """`^[…]` is the note's call and its text at once: deleting the reference deletes it
    all, not its `^[` alone (which left the note's words and a `]` in the paragraph)."""
    note = _footnote_id(review, INLINE)

    def deleted(text: str) -> str:
        run = re.search(rf'<w:r>(?:(?!</w:r>).)*<w:footnoteReference w:id="{note}"/></w:r>', text)
        assert run is not None
        return text.replace(run[0], "", 1)

    edited = tmp_path / "e.docx"
    add_parts(built(review), edited, {"word/document.xml": deleted})
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "methods.md").read_text(encoding="utf-8")
    assert "^[" not in text and INLINE not in text and "author's own.]" not in text
    assert invoke("check", str(review)).exit_code == 0


def test_a_pasted_copy_whose_own_note_was_reworded_keeps_the_note(review, tmp_path) -> None:
    """Without anchors, a note reworded beyond telling by its text is still the one note
    of the author's own its paragraph called, and no longer calls: its edit is merged."""
    reworded = "The toolkit belongs to the council and has never been published."
    edited = _edited(review, tmp_path / "e.docx", OWN, reworded, False)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert CALL + "[^toolkit]" in text and f"[^toolkit]: {reworded}" in text
    assert "cites no URL" not in result.output


def test_an_own_notes_edit_suggested_is_not_said_again(review, tmp_path) -> None:
    edited = _edited(
        review, tmp_path / "e.docx", "is internal and", "is internal, secret and", True
    )
    assert invoke("merge", str(edited), str(review), "--suggest").exit_code == 0
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "{~~" in text or "{++" in text
    for mode in ("--suggest", "--apply"):
        again = invoke("merge", str(edited), str(review), mode)
        assert again.exit_code == 0, again.output
        assert "not merged" not in again.output, again.output
    assert (review / "background.md").read_text(encoding="utf-8") == text


def test_a_tracked_edit_of_an_own_note_says_who_made_it(review, tmp_path) -> None:
    tracked = (
        'is internal</w:t></w:r><w:ins w:id="901" w:author="Ann Lee" '
        'w:date="2026-11-20T10:00:00Z"><w:r><w:t xml:space="preserve">, secret</w:t></w:r>'
        '</w:ins><w:r><w:t xml:space="preserve"> and'
    )
    edited = _edited(review, tmp_path / "e.docx", "is internal and", tracked, True)
    result = invoke("merge", str(edited), str(review))
    assert result.exit_code == 0, result.output
    assert "Ann Lee, 2026-11-20" in result.output and "untracked" not in result.output
    assert "The toolkit is internal, secret and was not read" in result.output


def test_an_own_note_changed_in_its_markdown_and_in_word_is_a_conflict(review, tmp_path) -> None:
    """As for a paragraph: both versions are kept between conflict markers, the merge exits
    1, and check reports merge-conflict until one is chosen."""
    edited = _edited(review, tmp_path / "e.docx", "was not read", "was never read", True)
    background = review / "background.md"
    mine = OWN.replace("is internal", "is internal to the council")
    background.write_text(background.read_text(encoding="utf-8").replace(OWN, mine), "utf-8")
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 1, result.output
    text = background.read_text(encoding="utf-8")
    assert f"<<<<<<< Markdown\n[^toolkit]: {mine}\n=======\n" in text
    assert (
        "[^toolkit]: The toolkit is internal and was never read for this review.\n>>>>>>>" in text
    )
    checked = invoke("check", str(review))
    assert checked.exit_code == 1 and "error[merge-conflict]" in checked.output


def test_italic_made_in_an_own_note_is_listed_not_lost(review, tmp_path) -> None:
    italic = (
        '</w:t></w:r><w:r><w:rPr><w:i/><w:rPrChange w:id="902" w:author="Ann Lee" '
        'w:date="2026-11-20T10:00:00Z"><w:rPr/></w:rPrChange></w:rPr>'
        '<w:t xml:space="preserve">was not read</w:t></w:r><w:r><w:t xml:space="preserve">'
    )
    edited = _edited(review, tmp_path / "e.docx", "was not read", italic, True)
    result = invoke("merge", str(edited), str(review))
    assert result.exit_code == 0, result.output
    line = (review / "background.md").read_text(encoding="utf-8").split("\n").index(
        f"[^toolkit]: {OWN}"
    ) + 1
    said = f"bold or italic changed in the DOCX: make it in [^toolkit] on background.md line {line}"
    assert said in result.output

"""`scopekit merge --apply` run twice with the same DOCX: the second run merges nothing."""

from __future__ import annotations

from pathlib import Path

from conftest import invoke
from test_merge import (
    ANN,
    NEW_FOOTNOTE,
    add_parts,
    built,
    edit_part,
    note_after_the_act,
    snapshot,
    word_edits,
)
from test_merge_newpara import COMMENTED, after_coventry, inserted, review  # noqa: F401
from test_merge_newpara import run as text_run

PLAIN = inserted(text_run("Councils should publish what they spend."))


def twice(edited: Path, folder: Path) -> None:
    """Apply `edited`, then check a second apply, diff and JSON find nothing new."""
    first = invoke("merge", str(edited), str(folder), "--apply")
    assert first.exit_code == 0, first.output
    merged = snapshot(folder)
    for extra in ("--apply", None, "--json"):
        args = ["merge", str(edited), str(folder)] + ([extra] if extra else [])
        again = invoke(*args)
        assert again.exit_code == 0, again.output
        if extra == "--json":
            assert '"files": []' in again.stdout, again.stdout
        else:
            assert "nothing to merge" in again.output, again.output
            assert "unmatched" not in again.output and "conflict" not in again.output
        assert snapshot(folder) == merged


def test_a_new_paragraph_is_added_once(review, tmp_path) -> None:  # noqa: F811
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, after_coventry(PLAIN))
    twice(edited, review)
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("Councils should publish what they spend.") == 1


def test_two_new_paragraphs_with_a_comment_are_added_once(review, tmp_path) -> None:  # noqa: F811
    from test_merge import with_comments

    edited = tmp_path / "edited.docx"
    with_comments(built(review), edited, after_coventry(PLAIN + COMMENTED), replies=True)
    twice(edited, review)
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("Councils should publish what they spend.") == 1
    assert text.count("their results==}") == 1


def test_tracked_edits_of_existing_paragraphs_are_merged_once(review, tmp_path) -> None:  # noqa: F811
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    twice(edited, review)


def test_a_new_footnote_source_is_added_once(review, tmp_path) -> None:  # noqa: F811
    change = note_after_the_act

    edited = tmp_path / "edited.docx"
    footnotes = {
        "word/footnotes.xml": lambda t: t.replace("</w:footnotes>", NEW_FOOTNOTE + "</w:footnotes>")
    }
    add_parts(built(review), edited, {"word/document.xml": change, **footnotes})
    twice(edited, review)
    sources = (review / "sources.yaml").read_text(encoding="utf-8")
    assert sources.count("URL: https://www.local.gov.uk/our-support/social-value-procurement") == 1


ITEM = (
    '<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr>'
    + text_run("What do councils spend on social value?")
    + "</w:p>"
)


def test_a_new_list_item_is_added_once(review, tmp_path) -> None:  # noqa: F811
    from test_merge import after_paragraph

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, after_paragraph("How are social value initiatives", ITEM))
    twice(edited, review)
    text = (review / "background.md").read_text(encoding="utf-8")
    assert "by local authorities?\n- What do councils spend on social value?\n" in text
    assert text.count("What do councils spend") == 1


def test_a_comment_on_an_existing_paragraph_is_added_once(review, tmp_path) -> None:  # noqa: F811
    import docx

    document = docx.Document(str(built(review)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Coventry City Council"))
    document.add_comment(paragraph.runs[0], text="Is this the 2022 policy?", author="Ann Lee")
    edited = tmp_path / "commented.docx"
    document.save(str(edited))
    twice(edited, review)
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("Is this the 2022 policy?") == 1


def test_suggest_after_an_apply_suggests_nothing(review, tmp_path) -> None:  # noqa: F811
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, after_coventry(PLAIN))
    assert invoke("merge", str(edited), str(review), "--apply").exit_code == 0
    merged = snapshot(review)
    again = invoke("merge", str(edited), str(review), "--suggest")
    assert again.exit_code == 0 and "nothing to merge" in again.output, again.output
    assert snapshot(review) == merged


def test_a_new_paragraph_after_an_edited_one_is_added_once(review, tmp_path) -> None:  # noqa: F811
    def change(text: str) -> str:
        return after_coventry(PLAIN)(text).replace("has its own", "has its very own", 1)

    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, change)
    twice(edited, review)
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("Councils should publish what they spend.") == 1
    assert "has its very own" in text


def test_edits_and_a_move_made_in_libreoffice_are_merged_once(review, tmp_path) -> None:  # noqa: F811
    from test_merge import lo_edit

    edited = tmp_path / "lo.docx"
    edits = [
        {"bold": "legally"},
        {"move": "Coventry City Council has its own", "before": "Following the Public"},
    ]
    lo_edit(built(review), edited, edits, tmp_path)
    twice(edited, review)
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("Coventry City Council has its own") == 1
    assert text.count("**legally**") == 1


def test_a_new_paragraph_with_a_new_footnote_is_added_once(review, tmp_path) -> None:  # noqa: F811
    note = (
        f'<w:ins w:id="970" {ANN}><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        '<w:footnoteReference w:id="90"/></w:r></w:ins>'
    )
    paragraph = PLAIN.replace("</w:p>", note + "</w:p>")
    edited = tmp_path / "edited.docx"
    footnotes = {
        "word/footnotes.xml": lambda t: t.replace("</w:footnotes>", NEW_FOOTNOTE + "</w:footnotes>")
    }
    add_parts(built(review), edited, {"word/document.xml": after_coventry(paragraph), **footnotes})
    twice(edited, review)
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("Councils should publish what they spend.") == 1
    sources = (review / "sources.yaml").read_text(encoding="utf-8")
    assert sources.count("URL: https://www.local.gov.uk/our-support/social-value-procurement") == 1

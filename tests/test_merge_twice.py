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


def suggested_twice(edited: Path, folder: Path) -> str:
    """Suggest `edited`, then check a second suggest finds nothing new; the file's text."""
    first = invoke("merge", str(edited), str(folder), "--suggest")
    assert first.exit_code == 0, first.output
    suggested = snapshot(folder)
    again = invoke("merge", str(edited), str(folder), "--suggest")
    assert again.exit_code == 0, again.output
    assert "nothing to merge" in again.output, again.output
    assert "conflict" not in again.output and "unmatched" not in again.output
    assert snapshot(folder) == suggested
    return (folder / "background.md").read_text(encoding="utf-8")


def test_a_new_paragraph_is_suggested_once(review, tmp_path) -> None:  # noqa: F811
    from test_merge import with_comments

    edited = tmp_path / "edited.docx"
    with_comments(built(review), edited, after_coventry(PLAIN + COMMENTED), replies=True)
    text = suggested_twice(edited, review)
    assert text.count("\n\n{++Councils should publish what they spend.++}") == 1
    assert text.count("Which act? Give its year.") == 1


def test_tracked_edits_are_suggested_once(review, tmp_path) -> None:  # noqa: F811
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    text = suggested_twice(edited, review)
    assert text.count("{~~") + text.count("{++") + text.count("{--") >= 1


def test_apply_after_suggest_writes_nothing(review, tmp_path) -> None:  # noqa: F811
    edited = tmp_path / "edited.docx"
    edit_part(built(review), edited, word_edits)
    assert invoke("merge", str(edited), str(review), "--suggest").exit_code == 0
    suggested = snapshot(review)
    again = invoke("merge", str(edited), str(review), "--apply")
    assert again.exit_code == 0, again.output
    assert "nothing to merge" in again.output and "conflict" not in again.output
    assert "stand as CriticMarkup suggestions in background.md" in again.output
    assert snapshot(review) == suggested


def hand_edited(folder: Path, tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    """A new paragraph merged, then `old` in it edited to `new` by hand; the re-merge."""
    edited = tmp_path / "edited.docx"
    edit_part(built(folder), edited, after_coventry(PLAIN))
    assert invoke("merge", str(edited), str(folder), "--apply").exit_code == 0
    path = folder / "background.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new), encoding="utf-8")
    merged = snapshot(folder)
    again = invoke("merge", str(edited), str(folder), "--apply")
    assert again.exit_code == 0, again.output
    assert snapshot(folder) == merged
    return path, again.output


def test_a_new_paragraph_edited_by_hand_is_not_added_again(review, tmp_path) -> None:  # noqa: F811
    path, output = hand_edited(
        review, tmp_path, "publish what they spend.", "publish what they spend each year."
    )
    assert "nothing to merge" in output, output
    assert path.read_text(encoding="utf-8").count("Councils should publish") == 1


def test_a_new_paragraph_rewritten_by_hand_is_reported(review, tmp_path) -> None:  # noqa: F811
    path, output = hand_edited(
        review,
        tmp_path,
        "Councils should publish what they spend.",
        "Councils should say plainly, every year, what social value they buy.",
    )
    assert "may be merged already" in output and "background.md:" in output, output
    assert "Councils should publish" not in path.read_text(encoding="utf-8")


def test_another_docx_is_suggested_beside_standing_suggestions(review, tmp_path) -> None:  # noqa: F811
    first, second = tmp_path / "first.docx", tmp_path / "second.docx"
    edit_part(built(review), first, after_coventry(PLAIN))
    edit_part(built(review), second, word_edits)
    assert invoke("merge", str(first), str(review), "--suggest").exit_code == 0
    again = invoke("merge", str(second), str(review), "--suggest")
    assert again.exit_code == 0 and "conflict" not in again.output, again.output
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("\n\n{++Councils should publish what they spend.++}") == 1
    assert "are {~~required~>obliged~~} to consider" in text and "The {~~act~>Act~~}" in text


def test_a_docx_meeting_standing_suggestions_is_said_not_merged(review, tmp_path) -> None:  # noqa: F811
    first, second = tmp_path / "first.docx", tmp_path / "second.docx"
    edit_part(built(review), first, word_edits)
    edit_part(built(review), second, lambda t: t.replace("are required to", "are asked to", 1))
    assert invoke("merge", str(first), str(review), "--suggest").exit_code == 0
    suggested = snapshot(review)
    again = invoke("merge", str(second), str(review), "--suggest")
    assert again.exit_code == 0, again.output
    assert "not merged: background.md: changes from this DOCX meet CriticMarkup" in again.output
    assert "nothing to merge" in again.output, again.output
    assert snapshot(review) == suggested


def test_a_deleted_and_a_new_paragraph_are_suggested_line_by_line(review, tmp_path) -> None:  # noqa: F811
    """A mark never spans lines: each paragraph's text is marked on its own, so `check`
    finds every suggestion and `build` stops at them (a mark across the blank line was read
    by neither, and the briefing printed `--}## Examples…` as a paragraph)."""
    from test_merge import lo_edit

    edited = tmp_path / "edited.docx"
    edits = [
        {"delete": "There is also local academic expertise"},
        {"after": "Sandwell have a section", "paragraph": "Sandwell also reports each year."},
    ]
    lo_edit(built(review), edited, edits, tmp_path)
    assert invoke("merge", str(edited), str(review), "--suggest").exit_code == 0
    text = (review / "findings.md").read_text(encoding="utf-8")
    lines = text.split("\n")
    deleted = next(n for n, line in enumerate(lines) if "There is also local academic" in line)
    assert lines[deleted].startswith("{--") and lines[deleted].endswith("--}")
    assert lines[deleted + 1] == "" and lines[deleted + 2].startswith("## Examples from")
    assert "\n\n{++Sandwell also reports each year.++}" in text
    checked = invoke("check", str(review))
    assert checked.output.count("pending-change") == 2, checked.output
    assert invoke("build", str(review), "--format", "html").exit_code == 1


def test_a_new_paragraph_after_a_commented_one_is_added_once(review, tmp_path) -> None:  # noqa: F811
    """The block before the new paragraph got a comment: merged, its source no longer reads
    as built, yet the new paragraph is found where it went."""
    import docx

    plain = tmp_path / "new.docx"
    edit_part(built(review), plain, after_coventry(PLAIN))
    document = docx.Document(str(plain))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Coventry City Council"))
    document.add_comment(paragraph.runs[-1], text="Which year?", author="Ann Lee")
    edited = tmp_path / "commented.docx"
    document.save(str(edited))
    twice(edited, review)
    text = (review / "background.md").read_text(encoding="utf-8")
    assert text.count("Councils should publish what they spend.") == 1
    assert text.count("Which year?") == 1

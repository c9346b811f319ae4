"""review.yaml's key messages are Markdown like the sections: emphasis, links, citations."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import CLEAN_REVIEW, copy_review, edit, run_check

from scopekit.build import build_review
from scopekit.notes import build_notes
from scopekit.render.docx import footnote_texts
from scopekit.review import load_review

MESSAGES = """key_messages:
  - Protected cycle routes are a **legal** duty in [the strategy](@dft-cwis2).[@dft-cwis2]
  - Most evaluations counted *trips*, not physical activity [@aldred-mini-hollands-2019, p. 3].
"""
OLD = """key_messages:
  - Protected cycle routes and school streets were the schemes councils most often described.
  - Most evaluations counted trips, not physical activity.
"""


def with_messages(tmp_path: Path, messages: str = MESSAGES) -> Path:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    edit(review / "review.yaml", OLD, messages)
    return review


def test_key_messages_are_numbered_first_and_render_their_markdown(tmp_path: Path) -> None:
    review = with_messages(tmp_path)
    notes = build_notes(load_review(review)).notes
    assert [n.source_id for n in notes[:2]] == ["dft-cwis2", "aldred-mini-hollands-2019"]
    assert "p. 3." in notes[1].text
    result = build_review(review, ["html", "docx"], out_dir=tmp_path / "out")
    html, docx = (w.path for w in result.written)
    page = html.read_text(encoding="utf-8")
    box = page[page.index('<aside class="key-messages"') : page.index("</aside>")]
    assert "<strong>legal</strong>" in box and "**" not in box and "[@" not in box
    assert '<a href="https://www.gov.uk/government/publications/the-second-cycling' in box
    assert 'href="#note-1"' in box and 'href="#note-2"' in box
    document = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert '<w:footnoteReference w:id="1"/>' in document
    assert document.index("legal") < document.index('<w:footnoteReference w:id="1"/>')
    assert dict(footnote_texts(docx.read_bytes()))[1].startswith("The second cycling")


def test_check_reads_key_messages_at_their_line(tmp_path: Path) -> None:
    review = with_messages(tmp_path, MESSAGES.replace("@dft-cwis2]", "@dft-cwis]"))
    code, data = run_check(review, "--json")
    [problem] = [p for p in data["problems"] if p["code"] == "unknown-source"]
    assert (code, problem["file"], problem["line"]) == (1, "review.yaml", 17)
    assert "dft-cwis2" in problem["hint"]


def test_a_todo_in_a_key_message_is_reported_once(tmp_path: Path) -> None:
    review = with_messages(tmp_path, MESSAGES.replace("Most evaluations", "TODO most evaluations"))
    _, data = run_check(review, "--json")
    assert [p["line"] for p in data["problems"] if p["code"] == "todo"] == [18]

"""`scopekit merge` of edits made in LibreOffice with track changes off at a paragraph's
start, where LibreOffice drops the hidden `_skN` bookmark with the text it replaces: the
block is found by its neighbours' anchors and its text, and keeps its kind (a numbered
item its number, a table cell its cell)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SOCIAL_VALUE_REVIEW, copy_review, invoke
from test_merge import built, lo_edit

from scopekit.build import build_review

TABLE = """
Table: Websites searched, by kind {#tbl-sites}

| Kind | Website | Searched |
| --- | --- | --- |
| Council | Warwick District | Yes |
| Think tank | The King's Fund | Yes |

1. First numbered step of the method.
2. Second numbered step, with **bold words** kept.
"""


@pytest.fixture
def review(tmp_path: Path) -> Path:
    """The social-value review, a table and a numbered list added to methods.md, built."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    methods = folder / "methods.md"
    methods.write_text(methods.read_text(encoding="utf-8") + TABLE, encoding="utf-8")
    build_review(folder, ["docx"])
    return folder


def merged(review: Path, tmp_path: Path, edits: list[dict]) -> str:
    """methods.md after merging `edits` made in LibreOffice with track changes off (a
    second merge of the same DOCX finding nothing)."""
    edited = tmp_path / "untracked.docx"
    lo_edit(built(review), edited, edits, tmp_path, record=False)
    result = invoke("merge", str(edited), str(review), "--apply")
    assert result.exit_code == 0, result.output
    assert "unmatched" not in result.output, result.output
    again = invoke("merge", str(edited), str(review))
    assert again.exit_code == 0 and "nothing to merge" in again.output, again.output
    return (review / "methods.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("new", ["Warwick DC", "Leamington Spa"])  # alike, or not at all
def test_a_table_cell_edited_at_its_start_is_merged(review, tmp_path, new) -> None:
    text = merged(review, tmp_path, [{"old": "Warwick District", "new": new}])
    assert f"| Council | {new} | Yes |\n" in text
    assert "Warwick District" not in text


def test_a_numbered_item_edited_at_its_start_keeps_its_number(review, tmp_path) -> None:
    text = merged(review, tmp_path, [{"old": "Second numbered step", "new": "Second step"}])
    assert text.endswith(
        "1. First numbered step of the method.\n2. Second step, with **bold words** kept.\n"
    )


def test_the_first_numbered_item_edited_at_its_start_stays_in_its_list(review, tmp_path) -> None:
    text = merged(review, tmp_path, [{"old": "First numbered step", "new": "Opening step"}])
    assert text.endswith(
        "1. Opening step of the method.\n2. Second numbered step, with **bold words** kept.\n"
    )

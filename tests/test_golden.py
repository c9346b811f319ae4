"""conftest's `assert_matches_golden`, which every golden file of tests/golden/ is compared
with: a readable diff when the output changed, and a rewrite only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import UPDATE_GOLDEN, assert_matches_golden

BEFORE = "<p>one</p>\n<p>two</p>\n<p>three</p>\n"
AFTER = "<p>one</p>\n<p>2</p>\n<p>three</p>\n"


@pytest.fixture
def golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv(UPDATE_GOLDEN, raising=False)
    path = tmp_path / "golden" / "page.html"
    path.parent.mkdir()
    path.write_text(BEFORE, encoding="utf-8")
    return path


def test_the_same_text_passes(golden: Path) -> None:
    assert_matches_golden(BEFORE, golden)


def test_a_change_fails_with_a_diff_and_the_way_to_regenerate(golden: Path) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_matches_golden(AFTER, golden, "the page HTML")
    message = str(failed.value)
    assert message.startswith(f"the page HTML differs from {golden}")
    assert f"{UPDATE_GOLDEN}=1" in message
    assert "-<p>two</p>" in message and "+<p>2</p>" in message
    assert " <p>one</p>" in message, "the diff shows context"
    assert golden.read_text(encoding="utf-8") == BEFORE, "the golden is left alone"


def test_a_difference_the_lines_do_not_show_is_named(golden: Path) -> None:
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_matches_golden(BEFORE.rstrip("\n"), golden)
    assert "final newline" in str(failed.value)


def test_a_long_diff_is_cut(golden: Path) -> None:
    golden.write_text("".join(f"{n}\n" for n in range(200)), encoding="utf-8")
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_matches_golden("".join(f"{n}!\n" for n in range(200)), golden)
    assert "more diff lines" in str(failed.value)


def test_update_golden_rewrites_the_file(golden: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(UPDATE_GOLDEN, "1")
    assert_matches_golden(AFTER, golden)
    assert golden.read_text(encoding="utf-8") == AFTER
    new = golden.parent / "docx" / "word" / "document.xml"
    assert_matches_golden("<w:document/>\n", new)
    assert new.read_text(encoding="utf-8") == "<w:document/>\n"


def test_a_missing_golden_says_how_to_make_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(UPDATE_GOLDEN, raising=False)
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_matches_golden(BEFORE, tmp_path / "none.html")
    assert "does not exist" in str(failed.value) and UPDATE_GOLDEN in str(failed.value)

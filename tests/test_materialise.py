"""The fixtures of tests/checks are overlays on clean/, and tests/materialise.py makes them
real review folders: the same folder whether a fixture is a full copy or its overlay."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from conftest import CHECKS_DIR, CLEAN_REVIEW, copy_review, expected_folders, fixture_ids
from materialise import (
    OVERLAY_FILE,
    identical_files,
    main,
    materialise,
    removed,
    review_files,
    strip,
)

OVERLAYS = [f for f in expected_folders() if f != CLEAN_REVIEW]


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under `folder`, by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
        for p in folder.rglob("*")
    }


@pytest.mark.parametrize("fixture", OVERLAYS, ids=fixture_ids(OVERLAYS))
def test_an_overlay_holds_only_what_differs_from_clean(fixture: Path) -> None:
    same = identical_files(fixture)
    where = fixture.relative_to(CHECKS_DIR.parent.parent).as_posix()
    assert same == [], (
        f"{where}/ holds files byte-identical to clean's; delete them "
        f"({', '.join(f'{where}/{rel}' for rel in same)}), "
        "or strip every fixture with: python tests/materialise.py strip"
    )


@pytest.mark.parametrize("fixture", OVERLAYS, ids=fixture_ids(OVERLAYS))
def test_an_overlay_removes_only_what_clean_has_and_it_does_not(fixture: Path) -> None:
    files = review_files(fixture)
    for rel in removed(fixture):
        assert (CLEAN_REVIEW / rel).exists(), f"{fixture / OVERLAY_FILE}: clean/ has no {rel}"
        assert not any(f == rel or f.startswith(f"{rel}/") for f in files), (
            f"{fixture / OVERLAY_FILE} removes {rel}, which the overlay also holds"
        )


def test_an_overlay_is_put_on_clean(tmp_path: Path) -> None:
    review = copy_review(CHECKS_DIR / "unknown-source" / "citation", tmp_path / "citation")
    assert sorted(tree(review)) == sorted(tree(copy_review(CLEAN_REVIEW, tmp_path / "clean")))
    assert (review / "findings.md").read_bytes() == (
        CHECKS_DIR / "unknown-source" / "citation" / "findings.md"
    ).read_bytes()
    assert filecmp.cmp(review / "review.yaml", CLEAN_REVIEW / "review.yaml", shallow=False)
    assert not (review / "expected.txt").exists()


def test_overlay_yaml_removes_a_file_of_clean(tmp_path: Path) -> None:
    folder = copy_review(CHECKS_DIR / "unreadable" / "no-review-yaml", tmp_path / "review")
    assert (folder / "findings.md").is_file()
    assert not (folder / "review.yaml").exists()
    assert not (folder / OVERLAY_FILE).exists()


def test_a_folder_in_the_overlay_replaces_a_file_of_clean(tmp_path: Path) -> None:
    folder = copy_review(CHECKS_DIR / "missing-section" / "folder", tmp_path / "review")
    assert (folder / "methods.md").is_dir()
    assert (folder / "methods.md" / "methods.md").is_file()


def full_copy(tmp_path: Path) -> Path:
    """A fixture made the old way: a whole copy of clean with changes, a file deleted, a
    folder deleted, a file turned into a folder, and a file added."""
    fixture = tmp_path / "checks" / "some-code" / "variant"
    shutil.copytree(CLEAN_REVIEW, fixture)
    findings = fixture / "findings.md"
    findings.write_text(findings.read_text(encoding="utf-8") + "\nTODO: more.\n")
    (fixture / "searches.yaml").unlink()
    shutil.rmtree(fixture / "figures")
    (fixture / "methods.md").unlink()
    (fixture / "methods.md").mkdir()
    (fixture / "methods.md" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    (fixture / "extra.csl").write_text("<style/>\n", encoding="utf-8")
    return fixture


def test_a_full_copy_and_its_stripped_overlay_make_the_same_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = full_copy(tmp_path)
    before = tree(materialise(fixture, tmp_path / "before"))
    assert before == tree(copy_review(fixture, tmp_path / "copied")), "a full copy is as is"
    assert "searches.yaml" not in before and "figures" not in before

    assert main(["strip", str(fixture)]) == 0
    printed = capsys.readouterr().out
    assert f"{fixture}/background.md: deleted" in printed
    assert sorted(removed(fixture)) == ["figures", "searches.yaml"]
    assert set(review_files(fixture)) == {"findings.md", "methods.md/notes.md", "extra.csl"}
    assert identical_files(fixture) == []
    assert tree(materialise(fixture, tmp_path / "after")) == before
    assert main(["strip", str(fixture)]) == 0
    assert capsys.readouterr().out == "", "stripping an overlay again changes nothing"


def test_stripping_keeps_every_kind_of_replacement(tmp_path: Path) -> None:
    """On a made-up clean: a folder removed whole, a folder turned into a file, a file into a
    folder, a file emptied."""
    clean = tmp_path / "clean"
    for rel, text in [
        ("a/x.md", "x"),
        ("a/y.md", "y"),
        ("b/z.md", "z"),
        ("c.md", "c"),
        ("d.md", "d"),
        ("e.md", "e"),
    ]:
        (clean / rel).parent.mkdir(parents=True, exist_ok=True)
        (clean / rel).write_text(text, encoding="utf-8")
    fixture = tmp_path / "fixture"
    shutil.copytree(clean, fixture)
    shutil.rmtree(fixture / "a")
    shutil.rmtree(fixture / "b")
    (fixture / "b").write_text("b is a file now", encoding="utf-8")
    (fixture / "c.md").unlink()
    (fixture / "c.md").mkdir()
    (fixture / "c.md" / "inner.md").write_text("inner", encoding="utf-8")
    (fixture / "d.md").write_text("", encoding="utf-8")
    before = tree(materialise(fixture, tmp_path / "before", clean))
    assert strip(fixture, clean) != []
    assert removed(fixture) == ["a"]
    assert set(review_files(fixture)) == {"b", "c.md/inner.md", "d.md"}
    assert tree(materialise(fixture, tmp_path / "after", clean)) == before

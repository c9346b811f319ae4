"""The fingerprint of a build's inputs: which files of a folder it reads, in which order."""

from __future__ import annotations

from pathlib import Path

from scopekit.fingerprint import _tree_files


def test_the_files_of_a_folder_in_path_order_without_hidden_caches_or_skipped(
    tmp_path: Path,
) -> None:
    for name in (
        "review.yaml",
        "a-b/x.md",
        "a/x.md",
        "a/b/deep.png",
        ".hidden.md",
        ".git/config",
        "__pycache__/m.pyc",
        "build/old.html",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")  # a broken link: no file

    found = _tree_files(tmp_path, {(tmp_path / "build").resolve()})
    assert [Path(relative).as_posix() for relative, _ in found] == [
        "a/b/deep.png",  # by the parts of the path: "a" before "a-b"
        "a/x.md",
        "a-b/x.md",
        "linked/b/deep.png",
        "linked/x.md",
        "review.yaml",
    ]
    assert all(stat.st_size == 1 for _, stat in found)  # each file's own status

"""Fixture reviews stored as overlays on tests/checks/clean/, and the real folders made of them.

A fixture folder (`tests/checks/<code>/` or `<code>/<variant>/`, holding an expected.txt)
holds only the files that differ from clean's, and may list in `overlay.yaml` the files of
clean it does not have. `materialise` builds the review folder the fixture stands for:
clean, less what overlay.yaml removes, with the overlay's files on top (an overlay's file
or folder replaces whatever clean has at that path). A folder that still holds a file
byte-identical to clean's is a full copy made the old way and is used as it is.

Run as a script it builds one fixture's folder, or strips full copies down to overlays:

    python tests/materialise.py build tests/checks/todo /tmp/todo
    python tests/materialise.py strip            # every fixture; or name some
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
from pathlib import Path

import yaml

CHECKS_DIR = Path(__file__).resolve().parent / "checks"
CLEAN = CHECKS_DIR / "clean"
OVERLAY_FILE = "overlay.yaml"
# Names that are never part of a review: the fixture's own files and what a build leaves.
NOT_REVIEW = ("expected.txt", OVERLAY_FILE, "build", ".scopekit")
IGNORE = shutil.ignore_patterns(*NOT_REVIEW)


def fixture_folders(root: Path = CHECKS_DIR) -> list[Path]:
    """Every fixture folder under `root`: each folder that holds an expected.txt."""
    return sorted(p.parent for p in root.rglob("expected.txt"))


def review_files(folder: Path) -> list[str]:
    """The files of a review folder as paths relative to it, leaving out NOT_REVIEW names."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not set(p.relative_to(folder).parts) & set(NOT_REVIEW)
    )


def identical_files(fixture: Path, clean: Path = CLEAN) -> list[str]:
    """The files of `fixture` that are byte-identical to clean's at the same path."""
    return [
        rel
        for rel in review_files(fixture)
        if (clean / rel).is_file() and filecmp.cmp(fixture / rel, clean / rel, shallow=False)
    ]


def is_full_copy(fixture: Path, clean: Path = CLEAN) -> bool:
    """Whether a fixture is a whole review (the old way): it has no overlay.yaml and holds a
    file identical to clean's, which an overlay never does."""
    return not (fixture / OVERLAY_FILE).exists() and bool(identical_files(fixture, clean))


def removed(fixture: Path) -> list[str]:
    """The paths of clean that a fixture's overlay.yaml removes (`remove:` list)."""
    path = fixture / OVERLAY_FILE
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or set(data) - {"remove"}:
        raise ValueError(f"{path}: the only key is 'remove:', a list of paths in clean/")
    paths = data.get("remove") or []
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ValueError(f"{path}: 'remove:' must be a list of paths")
    for rel in paths:
        if Path(rel).is_absolute() or ".." in Path(rel).parts:
            raise ValueError(f"{path}: {rel!r} is not a path inside clean/")
    return paths


def materialise(fixture: Path, into: Path, clean: Path = CLEAN) -> Path:
    """Build the real review folder of `fixture` at `into` (which must not exist) and
    return it."""
    fixture = fixture.resolve()
    if fixture == clean.resolve() or is_full_copy(fixture, clean):
        shutil.copytree(fixture, into, ignore=IGNORE)
        return into
    shutil.copytree(clean, into, ignore=IGNORE)
    for rel in removed(fixture):
        target = into / rel
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        else:
            raise ValueError(f"{fixture / OVERLAY_FILE}: clean/ has no {rel}")
    for rel in review_files(fixture):
        target = into / rel
        for parent in reversed(target.relative_to(into).parents[:-1]):
            if (into / parent).is_file():
                (into / parent).unlink()
        if target.is_dir():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(fixture / rel, target)
    return into


def _shadowed(fixture: Path, rel: str) -> bool:
    """Whether the fixture has something at `rel`, or a file at one of its parents, which
    replaces clean's file there."""
    parents = Path(rel).parents[:-1]
    return (fixture / rel).exists() or any((fixture / p).is_file() for p in parents)


def strip(fixture: Path, clean: Path = CLEAN) -> list[str]:
    """Turn a fixture into an overlay: delete its files identical to clean's and, for a full
    copy, list in overlay.yaml what of clean it lacks. Returns what was done, a line each."""
    done = []
    if is_full_copy(fixture, clean):
        lacking = [rel for rel in review_files(clean) if not _shadowed(fixture, rel)]
        # A folder of clean that the fixture lacks whole is removed as one path.
        gone = sorted(
            {
                next(
                    (
                        p.as_posix()
                        for p in reversed(Path(rel).parents[:-1])
                        if not (fixture / p).exists()
                    ),
                    rel,
                )
                for rel in lacking
            }
        )
        if gone:
            text = "# Files of clean/ this fixture does not have.\n" + yaml.safe_dump(
                {"remove": gone}, sort_keys=False
            )
            (fixture / OVERLAY_FILE).write_text(text, encoding="utf-8")
            done.append(f"{fixture}/{OVERLAY_FILE}: remove {', '.join(gone)}")
    for rel in identical_files(fixture, clean):
        (fixture / rel).unlink()
        done.append(f"{fixture}/{rel}: deleted (the same as clean's)")
    for folder in sorted((p for p in fixture.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build a fixture's review folder")
    build.add_argument("fixture", type=Path)
    build.add_argument("into", type=Path)
    stripping = commands.add_parser("strip", help="strip full copies down to overlays")
    stripping.add_argument("fixtures", type=Path, nargs="*")
    args = parser.parse_args(argv)
    if args.command == "build":
        print(materialise(args.fixture, args.into))
        return 0
    for fixture in args.fixtures or fixture_folders():
        if fixture.resolve() != CLEAN.resolve():
            for line in strip(fixture):
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

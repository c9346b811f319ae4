"""What an output depends on, as one hash: equal fingerprints mean an output can be reused
(`build`'s manifest)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from scopekit.errors import ScopekitError
from scopekit.review import Review


def input_fingerprint(review: Review, out_dir: Path, loaded_since: int | None = None) -> str:
    """A hash of everything an output depends on: the review's files, its house style (and
    the default style it falls back on) and citation style, the archived copies its notes
    show because the last check-links found the live URL down, and scopekit itself. Equal
    fingerprints mean an output can be reused.

    `loaded_since` (`time.time_ns()` before the review was loaded): a file of the review
    changed since then may not be what was loaded, so the fingerprint is one never seen
    again (the next build renders anew, rather than take an output of the old text as
    up to date)."""
    from scopekit import __version__
    from scopekit.cite import resolve_style
    from scopekit.links.seen import SEEN_FILE
    from scopekit.links.versions import archived_shown
    from scopekit.theme import default_house_style, resolve_house_style

    digest = hashlib.sha256(f"scopekit {__version__}\n".encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    skip = {
        out_dir.resolve(),
        (review.root / "build").resolve(),
        (review.root / ".scopekit").resolve(),
        (review.root / SEEN_FILE).resolve(),  # drift baselines: nothing a briefing shows
    }
    for source_id, version in sorted(archived_shown(review).items()):  # a link found down
        digest.update(f"archived\0{source_id}\0{version.url}\0".encode())

    changed = False

    def add_tree(folder: Path, contents: bool) -> None:
        nonlocal changed
        for relative, stat in _tree_files(folder, skip):
            changed = changed or (loaded_since is not None and stat.st_mtime_ns >= loaded_since)
            digest.update(f"{relative}\0{stat.st_size}\0".encode())
            if contents:
                with open(os.path.join(folder, relative), "rb") as file:
                    digest.update(file.read())
            else:
                digest.update(str(stat.st_mtime_ns).encode())

    try:
        add_tree(review.root.resolve(), contents=True)
        if changed:
            raise OSError("changed while it was read")
        style = resolve_house_style(review.meta.house_style, review.root)
        add_tree(style, contents=True)
        if style.resolve() != default_house_style().resolve():  # what the style leaves out
            add_tree(default_house_style(), contents=True)
        digest.update(resolve_style(review.meta.citation_style, review.root).read_bytes())
        add_tree(Path(__file__).parent, contents=False)
    except (OSError, ScopekitError):
        digest.update(os.urandom(16))  # cannot tell: never reuse
    return digest.hexdigest()


def _tree_files(folder: Path, skip: set[Path]) -> list[tuple[str, os.stat_result]]:
    """The files below `folder` in path order, each as its path relative to `folder` and
    its status: hidden files and folders, `__pycache__` and the files and folders of `skip`
    (and what is in them) left out. Symbolic links are followed. (os.scandir and plain
    strings: a build walks scopekit's own ~200 files, and pathlib's walk and stat took
    several times as long.)"""
    skipped = {str(path) for path in skip}
    found: list[tuple[list[str], os.stat_result]] = []

    def walk(top: str, parts: list[str]) -> None:
        with os.scandir(top) as entries:
            for entry in entries:
                if entry.name.startswith(".") or entry.path in skipped:
                    continue
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        walk(entry.path, [*parts, entry.name])
                elif entry.is_file():
                    try:
                        found.append(([*parts, entry.name], entry.stat()))
                    except FileNotFoundError:  # gone since the folder was listed
                        continue

    walk(str(folder), [])
    found.sort(key=lambda item: item[0])
    return [(os.sep.join(parts), stat) for parts, stat in found]

"""Polling for changed files: a snapshot of every file below some folders, compared with
the one before. No dependency and no OS notification API: polling sees files added later,
files replaced by an editor's save-and-rename, and folders on network disks alike."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

# A file's state: modification time (ns), size, inode. Any change in them is a change.
State = tuple[int, int, int]
Snapshot = dict[Path, State]

SKIPPED = frozenset({"build", "__pycache__", "node_modules"})


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """The state of every file in `roots` (folders are walked, hidden entries and folders
    named build/ skipped; a root may also be a single file)."""
    found: Snapshot = {}
    unique = sorted({Path(os.path.abspath(root)) for root in roots})
    for root in unique:
        if any(other in root.parents for other in unique):
            continue  # walked as part of a folder above it
        if root.is_file():
            _add(found, root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED]
            for name in files:
                if not name.startswith("."):
                    _add(found, Path(folder) / name)
    return found


def _add(found: Snapshot, path: Path) -> None:
    try:
        stat = path.stat()
    except OSError:
        return  # removed while walking: the next snapshot will say so
    found[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def changed(before: Snapshot, after: Snapshot) -> set[Path]:
    """Files added, removed or changed between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def touches(paths: Iterable[Path], roots: Iterable[Path]) -> bool:
    """Whether any of `paths` is one of `roots` or lies below one."""
    folders = [Path(os.path.abspath(root)) for root in roots]
    return any(path == root or root in path.parents for path in paths for root in folders)

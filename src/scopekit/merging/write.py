"""Writing a merge: the section files atomically, the previous ones kept for one-step undo.

Before a merge writes, every file it changes is copied as it was to
`.scopekit/merge-undo/` (the folder mirrors the review's layout, emptied first), so
`cp -R DIR/.scopekit/merge-undo/. DIR/` puts the review back as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scopekit.atomic import os_error, write_atomic
from scopekit.merging.plan import Plan

UNDO = Path(".scopekit") / "merge-undo"


def write_merge(plan: Plan, merged: dict[str, tuple[str, str]]) -> Path:
    """Write the merged files (conflicts in them as markers); the undo folder."""
    root = plan.review.root
    targets = {file: new for file, (_old, new) in merged.items()}
    undo = root / UNDO
    try:
        if undo.exists():
            shutil.rmtree(undo)
    except OSError as exc:
        raise os_error("empty", undo, exc) from None
    for file in targets:
        write_atomic(undo / file, (root / file).read_bytes())
    for file, text in targets.items():
        write_atomic(root / file, text.encode("utf-8"))
    return undo

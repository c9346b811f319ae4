"""`DIR/sources.seen.json`: what each source's page showed when the source was last marked
accessed (its titles and main-text fingerprint), the baseline of the drift warnings.

It lives beside sources.yaml, not in `.scopekit/` (which `.gitignore` leaves out): a clone
of the review, or a colleague's copy, must warn about the same drift. It is not in
sources.yaml because that file is the analyst's CSL, written by hand and exchanged with
Zotero: a fingerprint there would be noise in every diff and export. scopekit writes this
file whole (`add`, `check-links --update-accessed`); nobody needs to edit it, and deleting
it only forgets the baselines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scopekit.atomic import write_atomic
from scopekit.errors import OutputError
from scopekit.links.model import Seen

SEEN_FILE = "sources.seen.json"
_KIND = "scopekit pages seen"
_VERSION = 1
_NOTE = (
    "Written by scopekit when a source is marked accessed (add, check-links "
    "--update-accessed): what its page showed then, for the title-changed and "
    "content-changed warnings. Keep it with the review; do not edit it."
)


@dataclass(frozen=True)
class Baseline:
    """What a source's page showed on the day it was marked accessed, at that URL."""

    url: str
    accessed: str
    seen: Seen

    def to_dict(self) -> dict:
        return {"URL": self.url, "accessed": self.accessed, **self.seen.to_dict()}


def seen_path(root: Path) -> Path:
    """Where a review keeps its baselines."""
    return root / SEEN_FILE


def _baseline(data: object) -> Baseline | None:
    if not isinstance(data, dict):
        return None
    seen = Seen.from_dict(data)
    url, accessed = data.get("URL"), data.get("accessed")
    if seen is None or not isinstance(url, str) or not isinstance(accessed, str):
        return None
    return Baseline(url, accessed, seen)


def load(root: Path) -> tuple[dict[str, Baseline], str | None]:
    """The baselines by source id, and a warning if the file could not be used."""
    path = seen_path(root)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return {}, f"{SEEN_FILE} cannot be read ({exc}); the drift baselines are ignored"
    if not isinstance(data, dict) or data.get("kind") != _KIND or data.get("version") != _VERSION:
        return {}, f"{SEEN_FILE} is not one scopekit wrote; the drift baselines are ignored"
    sources = data.get("sources")
    found: dict[str, Baseline] = {}
    for source_id, item in (sources if isinstance(sources, dict) else {}).items():
        baseline = _baseline(item)
        if baseline is not None:
            found[str(source_id)] = baseline
    return found, None


def save(root: Path, new: dict[str, Baseline], keep: Iterable[str]) -> str | None:
    """Record `new` baselines over the file's, keeping only sources whose ids are in `keep`;
    a warning if the file cannot be written. Nothing is written when nothing changes."""
    old, _ = load(root)
    ids = set(keep)
    merged = {key: value for key, value in {**old, **new}.items() if key in ids}
    if merged == old and seen_path(root).exists():
        return None
    sources = {key: merged[key].to_dict() for key in sorted(merged)}
    data = {"kind": _KIND, "version": _VERSION, "note": _NOTE, "sources": sources}
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    try:
        write_atomic(seen_path(root), text.encode("utf-8"))
    except OutputError as exc:
        return f"{SEEN_FILE} was not saved: {exc.message}"
    return None

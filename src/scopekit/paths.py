"""Paths a review may use: only files inside its own folder."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def inside(root: Path, relative: str) -> Path | None:
    """The path `relative` names inside `root`, or None if it is absolute, a URL or leaves root.

    Symbolic links are followed before deciding, so a link pointing out is refused too.
    """
    if not relative or _SCHEME.match(relative) or relative.startswith(("/", "\\", "~")):
        return None
    if "\x00" in relative:
        return None
    base = root.resolve()
    try:
        target = (base / relative).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if target != base and base not in target.parents:
        return None
    return target


def local_file(src: str) -> str:
    """A Markdown image destination as a file path: `%20` and the like decoded, as pandoc does.

    markdown-it percent-encodes destinations (`<figures/mode share.png>` becomes
    `figures/mode%20share.png`); the file on disk has the space.
    """
    return unquote(src)


def is_file(path: Path) -> bool:
    """Whether `path` is a regular file; False also for names the OS rejects (too long…)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    """Whether `path` is a folder; False also for names the OS rejects (too long…)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def templates_dir() -> Path:
    """The shipped templates: inside the installed package, or the source tree's `templates/`."""
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def cache_dir() -> Path:
    """scopekit's cache folder for the user (XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "scopekit"

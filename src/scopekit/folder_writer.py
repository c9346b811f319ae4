"""Writing a new review folder (`scopekit new`, `scopekit import`): refuse a folder that is
not empty, write each file atomically, quote YAML text.

Kept free of heavy imports, so that either command starts fast.
"""

from __future__ import annotations

import json
from pathlib import Path

from scopekit.atomic import write_atomic
from scopekit.errors import UsageError

GITIGNORE = "build/\n.scopekit/\n"


def quoted(text: str) -> str:
    """A YAML double-quoted scalar for any text (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def refuse_non_empty(folder: Path, command: str, example: str) -> None:
    """UsageError unless `folder` is missing or an empty folder; `example` shows a good call."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"{folder} is an existing file: scopekit {command} makes a new folder there",
            f"choose a new folder name, e.g. {example}",
        )
    if folder.exists() and any(folder.iterdir()):
        raise UsageError(
            f"{folder} is not empty: scopekit {command} writes only into a new or empty folder",
            f"choose a new folder name, e.g. {example}",
        )


def write_folder(folder: Path, files: dict[str, str | bytes]) -> list[Path]:
    """Write each file (name → text, UTF-8, or bytes) into `folder`, plus the .gitignore;
    return paths. A file already there is never overwritten (UsageError)."""
    written = []
    for name, content in {**files, ".gitignore": GITIGNORE}.items():
        path = folder / name
        if path.exists():
            raise UsageError(
                f"{path} exists: scopekit writes only new files",
                "choose a new folder name",
            )
        write_atomic(path, content.encode("utf-8") if isinstance(content, str) else content)
        written.append(path)
    return written

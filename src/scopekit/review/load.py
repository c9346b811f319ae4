"""Read a review folder into a Review: YAML through the safe loader, Markdown through markdown-it.

Raises ReviewUnreadable (exit 2) only when the folder cannot be read at all; everything else
is left for `check` to report.
"""

from __future__ import annotations

from pathlib import Path

from scopekit.errors import ReviewUnreadable
from scopekit.isodates import describe
from scopekit.paths import inside, is_file
from scopekit.problems import error
from scopekit.review import markdown
from scopekit.review.model import (
    REVIEW_FILE,
    SEARCHES_FILE,
    SOURCES_FILE,
    Metadata,
    Review,
    Search,
    Section,
    Source,
    source_field,
    text_or_none,
)
from scopekit.review.yaml_reader import YamlError, YamlList, YamlMap, load_yaml


def unreadable(file: str | None, line: int | None, message: str, hint: str | None = None):
    """The exception for a review that cannot be read, as an `unreadable` problem."""
    return ReviewUnreadable(error("unreadable", file, line, message, hint))


def unreadable_in(
    folder: object, file: str | None, line: int | None, message: str, hint: str | None = None
) -> ReviewUnreadable:
    """`unreadable`, shown at FOLDER/FILE:LINE as `check` shows it."""
    error = unreadable(file, line, message, hint)
    error.folder = str(folder)
    return error


def read_text(root: Path, name: str) -> str:
    """A file of the review as text; anything but UTF-8 makes the review unreadable."""
    path = root / name
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise unreadable(
            name,
            None,
            f"{name} is a folder, not a file",
            f"rename the folder {name}/, and write {name} as a file in the review folder",
        ) from None
    except OSError as exc:
        raise unreadable(name, None, f"cannot read {name}: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise unreadable(
            name,
            line,
            f"{name} is not UTF-8 text (byte {exc.start + 1})",
            "save the file as UTF-8 in your editor",
        ) from None


def read_yaml(root: Path, name: str) -> object:
    """A YAML file of the review, parsed with line numbers."""
    text = read_text(root, name)
    try:
        return load_yaml(text)
    except YamlError as exc:
        where = f" (line {exc.line}, column {exc.column})" if exc.column else ""
        raise unreadable(name, exc.line, f"{exc.message}{where}", exc.hint) from None


def load_review(folder: str | Path) -> Review:
    """Load the review in `folder`: metadata, sections, searches and sources.

    A ReviewUnreadable raised here knows the folder as given (`exc.folder`), so that any
    command can say `FOLDER/FILE:LINE` as `check` does.
    """
    try:
        return _load(folder)
    except ReviewUnreadable as exc:
        exc.folder = str(folder)
        raise


def not_a_folder(folder: str | Path) -> ReviewUnreadable:
    """The error for a review path that is a file or does not exist."""
    path = Path(folder)
    if not path.exists():
        return unreadable(
            None, None, f"{folder}: no such folder", "give the path of a review folder"
        )
    if path.name == REVIEW_FILE or (path.parent / REVIEW_FILE).is_file():
        hint = f"pass the folder that holds {REVIEW_FILE} instead: {path.parent}"
    else:
        hint = f"pass the review folder (the one that holds {REVIEW_FILE}) instead"
    return unreadable(None, None, f"{folder} is a file, not a folder", hint)


def _load(folder: str | Path) -> Review:
    root = Path(folder)
    if not root.is_dir():
        raise not_a_folder(folder)
    if not (root / REVIEW_FILE).exists():
        raise unreadable(
            REVIEW_FILE,
            None,
            f"no {REVIEW_FILE} in {folder}",
            "a review folder holds review.yaml; `scopekit new DIR` starts one",
        )
    data = read_yaml(root, REVIEW_FILE)
    if data is None:
        raise unreadable(
            REVIEW_FILE,
            1,
            f"{REVIEW_FILE} is empty",
            "write the review's fields in it, one per line ('title: …', 'published: …', "
            "'sections: …'); `scopekit new DIR` writes a complete one to copy from",
        )
    if not isinstance(data, YamlMap):
        line = getattr(data, "line", None) or 1
        raise unreadable(
            REVIEW_FILE,
            line,
            f"{REVIEW_FILE} must be a mapping of fields (title: …), not {describe(data)}",
            "write one field per line as 'name: value', starting at the left margin",
        )
    meta = Metadata(data)
    sections = [_section(root, ref.path) for ref in meta.sections if section_path(root, ref.path)]
    searches_raw = _entry_list(root, SEARCHES_FILE, "search", "searches")
    sources_raw = _entry_list(root, SOURCES_FILE, "source", "sources")
    return Review(
        root=root,
        meta=meta,
        sections=sections,
        key_messages=_key_messages(root, meta, data),
        searches=[Search(entry, entry.line) for entry in searches_raw],
        sources=[_source(entry) for entry in sources_raw],
        searches_raw=searches_raw,
        sources_raw=sources_raw,
    )


def section_path(root: Path, name: str) -> Path | None:
    """The file a `sections` entry names, if it is a file inside the review folder."""
    path = inside(root, name)
    return path if path is not None and is_file(path) else None


def _key_messages(root: Path, meta: Metadata, data: YamlMap) -> Section | None:
    """review.yaml's key messages as Markdown: a bulleted list, each item at its own line
    of review.yaml, so that a problem in one is reported where it is."""
    raw = data.get("key_messages")
    if not meta.key_messages or not isinstance(raw, list):
        return None
    lines: dict[int, str] = {}
    places = getattr(raw, "lines", [])
    for index, item in enumerate(raw):
        message = text_or_none(item)
        if message is None:
            continue  # not text: check reports it
        line = places[index] if index < len(places) else None
        number = line if line and line > max(lines, default=0) else max(lines, default=0) + 1
        lines[number] = "- " + " ".join(message.split())
    if not lines:
        return None
    text = "\n".join(lines.get(n, "") for n in range(1, max(lines) + 1)) + "\n"
    parsed = markdown.parse(text)
    return Section(file=REVIEW_FILE, path=root / REVIEW_FILE, text=text, markdown=parsed)


def _section(root: Path, name: str) -> Section:
    text = read_text(root, name)
    return Section(file=name, path=root / name, text=text, markdown=markdown.parse(text))


def _entry_list(root: Path, name: str, noun: str, plural: str) -> YamlList:
    """searches.yaml or sources.yaml: a list of mappings (missing or empty means none)."""
    if not (root / name).exists():
        return YamlList()
    data = read_yaml(root, name)
    if data is None:
        return YamlList()
    if not isinstance(data, YamlList):
        raise unreadable(
            name,
            getattr(data, "line", 1),
            f"{name} must be a list of {plural}",
            f"start each {noun} with '- id: …'",
        )
    for item, line in zip(data, data.lines):
        if not isinstance(item, YamlMap):
            raise unreadable(
                name,
                line,
                f"each {noun} in {name} must be a mapping of fields",
                f"write the {noun} as '- id: …' with its fields indented below",
            )
    return data


def _source(entry: YamlMap) -> Source:
    _read_case_variants(entry)
    source_id = text_or_none(entry.get("id"))
    if source_id is None:
        raise unreadable(
            SOURCES_FILE,
            entry.line,
            "a source has no id",
            "give every source an id, the key you cite it by: '- id: coventry-social-value'",
        )
    return Source(entry, entry.line)


def _read_case_variants(entry: YamlMap) -> None:
    """Rename, in place, each key that differs from a known source field only by case
    (`url:`, `Doi:`) to that field, unless the entry has the field itself too (then `check`
    reports the variant as an unknown field)."""
    names = {key: source_field(key) for key in entry}
    if all(key == name for key, name in names.items()):
        return
    items, lines = list(entry.items()), dict(entry.lines)
    entry.clear()
    entry.lines.clear()
    for key, value in items:
        name = names[key]
        if name in names or name in entry:
            name = key  # `URL:` is there too, or an earlier variant was read as it
        entry[name] = value
        if key in lines:
            entry.lines[name] = lines[key]

"""review.yaml as text, for `scopekit new` and `scopekit import`: one writer for both; and
the entries `scopekit add` appends to sources.yaml.

The fields come in the order of the field table (`Metadata` in `review/model.py`), each
value written so that it reads back as given, with comments saying what to fill in or where
a value came from. Written as text, not dumped, so that the comments can be there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from scopekit.folder_writer import quoted
from scopekit.review.model import FORMAT, Metadata
from scopekit.review.yaml_reader import YamlError, load_yaml

#: The column comments after a value start at (unless the value is longer).
NOTE_COLUMN = 31


class Todo(str):
    """A value still to be filled in, written as `TODO …` without quotes; `check` reports
    it (`todo`) until it is replaced."""

    def __str__(self) -> str:
        return f"TODO {super().__str__()}"


@dataclass(frozen=True)
class Entry:
    """What review.yaml says for one field: its value (text, a date, a number, a list of
    text, or a list of author mappings), a `note` after it, a comment line `above` it, and
    whether the line is `commented` out (an example of a field left for later)."""

    value: object
    note: str = ""
    above: str = ""
    commented: bool = False


def review_yaml(entries: Mapping[str, object]) -> str:
    """review.yaml: `format: 1`, then each field named in `entries` (a value, or an Entry),
    in the table's order."""
    unknown = set(entries) - set(Metadata.names())
    if unknown:
        raise ValueError(f"not fields of review.yaml: {sorted(unknown)}")
    lines = [f"format: {FORMAT}"]
    for name in Metadata.names():
        if name not in entries:
            continue
        given = entries[name]
        entry = given if isinstance(given, Entry) else Entry(given)
        if entry.above:
            lines.append(f"# {entry.above}")
        value = entry.value
        if isinstance(value, list):
            first = f"{name}: []" if not value else f"{name}:"
            items = [line for item in value for line in _item(item)]
        elif isinstance(value, Mapping):
            first, items = f"{name}:", _mapping(value, "  ")
        else:
            first, items = f"{name}: {scalar(value)}", []
        if entry.commented:
            first, items = f"# {first}", [f"# {line}" for line in items]
        if entry.note:
            first = f"{first.ljust(max(NOTE_COLUMN, len(first) + 2))}# {entry.note}"
        lines += [first, *items]
    return "\n".join(lines) + "\n"


def _item(item: object) -> list[str]:
    """The lines of one list item: `- text`, or a mapping's `key: value` lines."""
    if not isinstance(item, Mapping):
        return [f"  - {scalar(item)}"]
    return [f"  {'-' if i == 0 else ' '} {k}: {scalar(v)}" for i, (k, v) in enumerate(item.items())]


def _mapping(value: Mapping, indent: str) -> list[str]:
    """The lines of a mapping under a field (`eligibility:`): `key: value`, a list as
    its items below it, a mapping below its key; a value that is an Entry has its note after it."""
    lines = []
    for key, given in value.items():
        entry = given if isinstance(given, Entry) else Entry(given)
        inner = entry.value
        if isinstance(inner, Mapping):
            line, below = f"{indent}{key}:", _mapping(inner, indent + "  ")
        elif isinstance(inner, list):
            line, below = f"{indent}{key}:", [f"{indent}  - {scalar(v)}" for v in inner]
        else:
            line, below = f"{indent}{key}: {scalar(inner)}", []
        if entry.note:
            line = f"{line.ljust(max(NOTE_COLUMN - 2, len(line) + 2))}# {entry.note}"
        lines += [line, *below]
    return lines


#: CSL date variables, written as ISO text without quotes (`issued: 2024-06-03`).
_DATES = frozenset({"issued", "accessed", "original-date", "event-date", "submitted"})
_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def csl_item(
    item: Mapping[str, object], notes: Mapping[str, str] | None = None, indent: str = ""
) -> list[str]:
    """The lines of one sources.yaml entry (`- id: …`) at `indent`: text values as scalars,
    ISO dates as typed, lists of CSL names as mappings; `notes[key]` as a comment after
    that key's line (`# guessed from the domain`)."""
    notes = notes or {}
    lines: list[str] = []
    for index, (key, value) in enumerate(item.items()):
        lead = f"{indent}- " if index == 0 else f"{indent}  "
        note = f"   # {notes[key]}" if key in notes else ""
        if isinstance(value, list):
            lines.append(f"{lead}{key}:{note}")
            for name in value:
                pairs = name.items() if isinstance(name, Mapping) else [("literal", name)]
                for number, (k, v) in enumerate(pairs):
                    lines.append(f"{indent}    {'-' if number == 0 else ' '} {k}: {scalar(v)}")
        elif key in _DATES and isinstance(value, str) and _ISO.match(value):
            lines.append(f"{lead}{key}: {value}{note}")
        else:
            lines.append(f"{lead}{key}: {scalar(value)}{note}")
    return lines


def scalar(value: object) -> str:
    """`value` as a YAML scalar: as typed when every YAML reader reads it back as the same
    text (`en-GB`, `Rapid scoping review`), else in double quotes."""
    if isinstance(value, Todo) or not isinstance(value, str):
        return str(value)
    if "\n" not in value and _reads_back(value):
        return value
    return quoted(value)


#: Text every YAML reader reads as that text: a letter first, then words and plain
#: punctuation (no `: `, ` #`, quotes first, or flow characters), not a YAML 1.1 keyword.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()/&+'’-]*[A-Za-z0-9.)’']")
_KEYWORDS = frozenset("y n yes no on off true false null".split())


def _reads_back(text: str) -> bool:
    if _PLAIN.fullmatch(text) and text.lower() not in _KEYWORDS:
        return True
    try:
        return load_yaml(text) == text and yaml.safe_load(text) == text
    except (YamlError, yaml.YAMLError):
        return False

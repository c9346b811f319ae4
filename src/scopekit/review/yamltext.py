"""review.yaml as text, for `scopekit new` and `scopekit import`: one writer for both.

The fields come in the order of the field table (`Metadata` in `review/model.py`), each
value written so that it reads back as given, with comments saying what to fill in or where
a value came from. Written as text, not dumped, so that the comments can be there.
"""

from __future__ import annotations

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


def scalar(value: object) -> str:
    """`value` as a YAML scalar: as typed when every YAML reader reads it back as the same
    text (`en-GB`, `Rapid scoping review`), else in double quotes."""
    if isinstance(value, Todo) or not isinstance(value, str):
        return str(value)
    if "\n" not in value and _reads_back(value):
        return value
    return quoted(value)


def _reads_back(text: str) -> bool:
    try:
        return load_yaml(text) == text and yaml.safe_load(text) == text
    except (YamlError, yaml.YAMLError):
        return False

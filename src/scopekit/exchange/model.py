"""The shape every format is read into: a sources.yaml entry (text, ISO dates, CSL names)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from scopekit.metadata.model import clean_text

Item = dict[str, object]

#: Variables that every format carries (the others are CSL-JSON's alone).
TEXT = (
    "title",
    "container-title",
    "collection-title",
    "publisher",
    "publisher-place",
    "edition",
    "volume",
    "issue",
    "number",
    "page",
    "genre",
    "DOI",
    "ISBN",
    "ISSN",
    "URL",
    "language",
)
NAMES = ("author", "editor")
DATES = ("issued", "accessed")
NAME_PARTS = ("family", "given", "non-dropping-particle", "dropping-particle", "suffix", "literal")
#: The order of an entry's keys in sources.yaml.
ORDER = (
    "id",
    "type",
    "title",
    *NAMES,
    "container-title",
    "collection-title",
    "volume",
    "issue",
    "number",
    "page",
    "edition",
    "publisher",
    "publisher-place",
    "genre",
    "issued",
    "DOI",
    "ISBN",
    "ISSN",
    "URL",
    "accessed",
    "language",
)


@dataclass
class Reading:
    """Items read from a file, and notes on what was left out (with where)."""

    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def ordered(item: Mapping[str, object]) -> Item:
    """The item's keys in sources.yaml's order (others after, as they came)."""
    known = [key for key in ORDER if key in item]
    return {key: item[key] for key in [*known, *(k for k in item if k not in ORDER)]}


def text(value: object) -> str | None:
    """A value as text (numbers too), cleaned; None when empty."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        value = str(value)
    return clean_text(value)


def clean_name(value: object) -> dict[str, str] | None:
    """A CSL name with only the parts CSL knows, each cleaned."""
    if not isinstance(value, Mapping):
        return None
    name = {part: text(value.get(part)) for part in NAME_PARTS}
    kept = {part: v for part, v in name.items() if v}
    if "literal" in kept:
        return {"literal": kept["literal"]}
    return kept if "family" in kept else None


def display(name: Mapping[str, str]) -> str:
    """`Family, Given` for a person (particles kept), the literal for an organisation."""
    if "literal" in name:
        return name["literal"]
    family = " ".join(filter(None, (name.get("non-dropping-particle"), name.get("family"))))
    given = " ".join(filter(None, (name.get("given"), name.get("dropping-particle"))))
    return f"{family}, {given}" if given else family

"""CSL-JSON: Zotero's export, Better BibTeX's "Better CSL JSON" (its `citation-key` is the id)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from scopekit.exchange.model import DATES, Item, Reading, clean_name, ordered, text
from scopekit.metadata.model import date_parts
from scopekit.schema import CSL_VARIABLES

#: Variables left out of sources.yaml: long texts no briefing prints, and Zotero's `note`
#: (its Extra field), which some styles print.
DROPPED = frozenset(
    {
        "abstract",
        "note",
        "annote",
        "keyword",
        "references",
        "citation-number",
        "citation-label",
        "first-reference-note-number",
        "locator",
    }
)
_READABLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,80}$")


def item_id(data: Mapping[str, object]) -> str | None:
    """The id to keep: Better BibTeX's `citation-key`, else an `id` that reads as a key
    (not Zotero's item URI or a number)."""
    for key in ("citation-key", "id"):
        value = text(data.get(key))
        if value and _READABLE_ID.match(value) and not value.isdigit():
            return value
    return None


def from_csl(data: Mapping[str, object]) -> tuple[Item, list[str]]:
    """One CSL-JSON item as a sources.yaml entry, and the variables left out."""
    item: Item = {}
    left: list[str] = []
    source_id = item_id(data)
    if source_id:
        item["id"] = source_id
    kind = text(data.get("type"))
    item["type"] = kind or "document"
    for key, value in data.items():
        if key in ("id", "citation-key", "type"):
            continue
        if key not in CSL_VARIABLES or key in DROPPED:
            left.append(key)
        elif key in DATES or key in ("original-date", "event-date", "submitted", "available-date"):
            day = date_parts(value)
            if day:
                item[key] = day
        elif isinstance(value, list):
            names = [clean_name(v) for v in value]
            if names and all(names):
                item[key] = names
            else:
                left.append(key)
        elif isinstance(value, Mapping):
            left.append(key)
        elif text(value):
            item[key] = text(value)
    return ordered(item), left


def read(body: str) -> Reading:
    """Every item of a CSL-JSON file (a list, or one item)."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if isinstance(data, Mapping) and "items" in data and isinstance(data["items"], list):
        data = data["items"]
    if isinstance(data, Mapping):
        data = [data]
    if not isinstance(data, list):
        raise ValueError("not a CSL-JSON list of items")
    reading = Reading()
    left: dict[str, int] = {}
    for number, entry in enumerate(data, start=1):
        if not isinstance(entry, Mapping):
            reading.notes.append(f"item {number} is not a JSON object: skipped")
            continue
        item, dropped = from_csl(entry)
        for key in dropped:
            left[key] = left.get(key, 0) + 1
        reading.items.append(item)
    for key, count in sorted(left.items()):
        reading.notes.append(f"'{key}' left out of {count} item(s)")
    return reading


def to_csl(item: Item) -> dict[str, object]:
    """A sources.yaml entry as a CSL-JSON item (dates as date-parts, the id as citation-key)."""
    out: dict[str, object] = {}
    for key, value in item.items():
        if key not in CSL_VARIABLES:
            continue  # scopekit's own fields (remark, archived) mean nothing elsewhere
        if key in DATES or key in ("original-date", "event-date", "submitted", "available-date"):
            parts = [int(p) for p in str(value).split("-") if p.isdigit()]
            out[key] = {"date-parts": [parts]} if parts else {"raw": str(value)}
        else:
            out[key] = value
    if "id" in out:
        out["citation-key"] = out["id"]
    return out


def write(items: list[Item]) -> str:
    """The items as a CSL-JSON file."""
    return json.dumps([to_csl(item) for item in items], ensure_ascii=False, indent=2) + "\n"

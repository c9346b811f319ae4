"""DOIs: recognised in what the user typed, and read as CSL-JSON from content negotiation."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from scopekit.metadata.model import Fields, clean_text, clean_title, date_parts, names, put

_DOI = re.compile(
    r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/|(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.I
)
ORIGIN = "the DOI's CSL-JSON"
_TEXT = (
    "title",
    "container-title",
    "publisher",
    "volume",
    "issue",
    "page",
    "DOI",
    "URL",
    "publisher-place",
    "collection-title",
    "number",
    "edition",
    "ISBN",
    "ISSN",
)
_NAMES = ("author", "editor")


def parse_doi(text: str) -> str | None:
    """The DOI in `10.…`, `doi:10.…`, `doi.org/10.…` or `https://doi.org/10.…`, else None."""
    match = _DOI.match(text.strip())
    return match.group(1) if match else None


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return clean_text(value)


def _name(value: object) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        return None
    name = {k: clean_text(value.get(k)) for k in ("family", "given", "literal")}
    kept = {k: v for k, v in name.items() if v}
    if "literal" in kept:
        return {"literal": kept["literal"]}
    return kept if "family" in kept else None


def read(body: bytes) -> Fields:
    """The CSL variables of a CSL-JSON answer (ValueError when it is not CSL-JSON)."""
    data = json.loads(body.decode("utf-8", errors="replace"))
    if isinstance(data, list) and data:
        data = data[0]
    if not isinstance(data, Mapping):
        raise ValueError("not a CSL-JSON item")
    fields: Fields = {}
    kind = data.get("type")
    if isinstance(kind, str) and re.fullmatch(r"[a-z-]{2,40}", kind):
        put(fields, "type", "article-journal" if kind == "journal-article" else kind, ORIGIN)
    put(fields, "title", clean_title(_text(data.get("title"))), ORIGIN)
    for key in _NAMES:
        people = data.get(key)
        if isinstance(people, list):
            put(fields, key, names(_name(p) for p in people[:100]), ORIGIN)
    for key in _TEXT[1:]:
        put(fields, key, _text(data.get(key)), ORIGIN)
    for key in ("issued", "published-print", "published-online", "created"):
        put(fields, "issued", date_parts(data.get(key)), ORIGIN + f" {key}")
    return fields

"""What a metadata reader returns: CSL variables, each with the place it was read from.

Values are cleaned as they are read: text with its markup, control characters and runs of
space removed; dates as ISO 8601 (`2024-06-03`, `2024-06`, `2024`); names as CSL name
mappings (`family`/`given`, or `literal` for an organisation).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MAX_TEXT = 500
_TAGS = re.compile(r"<[^>]{0,500}>")
_SPACE = re.compile(r"\s+")
_ISO_DAY = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?=$|[T\s])")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_WORDY = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})$")
MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
#: Titles that name no page: a site's home page, a CMS default.
EMPTY_TITLES = frozenset({"home", "home page", "homepage", "welcome", "index", "untitled", "page"})


@dataclass(frozen=True)
class Found:
    """One value read from a document and where it was read (`og:title`, `<title>`…)."""

    value: object
    origin: str


Fields = dict[str, Found]


def clean_text(value: object) -> str | None:
    """Text as a reader keeps it: markup, control characters and extra space removed,
    cut at MAX_TEXT characters; None when nothing is left."""
    if not isinstance(value, str):
        return None
    if value.isprintable() and "<" not in value and "  " not in value and len(value) <= MAX_TEXT:
        return value.strip() or None  # already clean (the common case, and fast)
    text = _TAGS.sub(" ", value)
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = _SPACE.sub(" ", text).strip()
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT].rsplit(" ", 1)[0] + "…"
    return text or None


def clean_title(value: object) -> str | None:
    """A title, or None when it names no page (`Home`, `Untitled`)."""
    text = clean_text(value)
    if text is None or text.lower().strip(" .!") in EMPTY_TITLES:
        return None
    return text


def iso_date(value: object) -> str | None:
    """A date as ISO 8601 text (`2024-06-03`, `2024-06`, `2024`) from the forms pages use:
    ISO (with a time), `2024/06/03`, `03/06/2024` (day first, as in the UK), `3 June 2024`,
    `June 3, 2024`; None when it is none of them or not a real date."""
    text = clean_text(value)
    if text is None:
        return None
    year = month = day = None
    if match := _ISO_DAY.match(text):
        year, month, day = (int(g) if g else None for g in match.groups())
    elif match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _WORDY.match(text):
        month = MONTH_NUMBERS.get(match[2].lower())
        if month is None:
            return None
        year = int(match[4])
        day = int(match[1] or match[3]) if (match[1] or match[3]) else None
    else:
        return None
    return _format(year, month, day)


def _format(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or not 1000 <= year <= 2999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_parts(value: object) -> str | None:
    """A CSL-JSON date (`{"date-parts": [[2019, 5, 1]]}`) as ISO text."""
    if not isinstance(value, Mapping):
        return None
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
        return iso_date(value.get("raw")) if isinstance(value.get("raw"), str) else None
    numbers: list[int | None] = []
    for part in parts[0][:3]:
        try:
            numbers.append(int(part))
        except (TypeError, ValueError):
            return None
    numbers += [None] * (3 - len(numbers))
    return _format(*numbers)


#: Words that make a name an organisation's (`Coventry City Council`), not a person's.
ORGANISATION_WORDS = frozenset(
    """council nhs trust department office agency foundation association university
    institute institution ltd limited plc group fund commission authority service services
    centre center society partnership board government ministry network collaboration
    committee unit team college school hospital hospitals alliance charity england wales
    scotland uk""".split()
)


def is_organisation(name: str) -> bool:
    """Whether a name reads as an organisation's (it has a word such as Council or Trust)."""
    return any(word.strip(".,()'’").lower() in ORGANISATION_WORDS for word in name.split())


def person(text: object) -> dict[str, str] | None:
    """A person's name as a CSL name (`Family, Given` or `Given Family`); an organisation's
    name as a literal, and so is one word with no comma (`Sustrans`): a person is named
    with a given name too, so a lone word is far more often an organisation."""
    name = clean_text(text)
    if name is None:
        return None
    if "," not in name and (is_organisation(name) or len(name.split()) == 1):
        return {"literal": name}
    if "," in name:
        family, _, given = name.partition(",")
        family, given = family.strip(), given.strip()
    else:
        given, _, family = name.rpartition(" ")
    if not family:
        return {"literal": name}
    return {"family": family, "given": given} if given else {"family": family}


def organisation(text: object) -> dict[str, str] | None:
    """An organisation's name as a CSL name (`literal`)."""
    name = clean_text(text)
    return {"literal": name} if name else None


def names(values: Iterable[dict[str, str] | None]) -> list[dict[str, str]]:
    """The names given, each once, in order."""
    seen: list[dict[str, str]] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def put(fields: Fields, key: str, value: object, origin: str) -> None:
    """Keep `value` for `key` unless the reader has one already or it is empty."""
    if key not in fields and value not in (None, "", []):
        fields[key] = Found(value, origin)


def merge(readings: Iterable[Fields]) -> Fields:
    """The readings in order of trust: each variable from the first reading that has it."""
    merged: Fields = {}
    for reading in readings:
        for key, found in reading.items():
            merged.setdefault(key, found)
    return merged

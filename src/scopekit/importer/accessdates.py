"""Access dates as notes write them: "(Accessed 03/06/2024)", "accessed: 3 June 2024",
"Accessed 03.06.2024", "accessed 2024-06-03", "Retrieved June 3, 2024"…

Numeric dates are read in UK order (day first). A two-digit year or a date that is not on
the calendar is not guessed at: it is returned as text, with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scopekit.isodates import MONTHS, PartialDate, real_date

_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{2,4})(?!\d)"
_FORMS = [
    re.compile(p, re.I)
    for p in (
        r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)",
        rf"(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep){_YEAR}",
        rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",
        rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
        rf"{_MONTH},?\s+(?P<y>\d{{4}})(?!\d)",
    )
]
_KEYWORD = re.compile(
    r"(?P<open>\(\s*)?(?:date\s+)?(?:last\s+)?(?:accessed|retrieved|viewed|consulted)\b"
    r"(?:\s+on)?\s*[:\-–]?\s*",
    re.I,
)


@dataclass(frozen=True)
class AccessDate:
    """An access date found in a note: the date, or its text and why it was not read."""

    start: int
    end: int
    date: PartialDate | None
    text: str
    problem: str | None = None


def find_access_date(text: str) -> AccessDate | None:
    """The access date in a note's text, with the span to remove; None when there is none."""
    keyword = _KEYWORD.search(text)
    if keyword is None:
        return None
    at = keyword.end()
    for form in _FORMS:
        match = form.match(text, at)
        if match:
            date, problem = _read(match)
            end = _close(text, match.end(), bool(keyword["open"]))
            return AccessDate(keyword.start(), end, date, match[0], problem)
    stop = text.find(")", at) if keyword["open"] else -1
    raw = text[at : stop if stop >= 0 else len(text)].strip().rstrip(".")
    end = stop + 1 if stop >= 0 else len(text)
    return AccessDate(keyword.start(), end, None, raw, "not a date scopekit can read")


def _close(text: str, end: int, opened: bool) -> int:
    """The end of the access-date phrase, with its closing bracket when it has one."""
    if opened:
        rest = text[end:]
        stripped = rest.lstrip()
        if stripped.startswith(")"):
            return end + len(rest) - len(stripped) + 1
    return end


def _read(match: re.Match[str]) -> tuple[PartialDate | None, str | None]:
    parts = match.groupdict()
    year = parts["y"]
    if len(year) != 4:
        return None, f"the year '{year}' has {len(year)} digits"
    month = (
        int(parts["m"])
        if parts.get("m")
        else next(
            i for i, name in enumerate(MONTHS, 1) if name.lower()[:3] == parts["mon"][:3].lower()
        )
    )
    if not parts.get("d"):
        return (
            (PartialDate(int(year), month), None) if 1 <= month <= 12 else (None, "no such month")
        )
    day = int(parts["d"])
    if not real_date(day, month, int(year)):
        return None, "it is not a real date"
    return PartialDate(int(year), month, day), None

"""Dates as review files write them: ISO 8601 days, months and years, and today."""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass
from datetime import date

from scopekit.errors import UsageError

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

MONTHS = (
    "January February March April May June July August September October November December"
).split()


@dataclass(frozen=True)
class PartialDate:
    """An ISO date that may stop at the month or the year (`2024`, `2024-06`, `2024-06-03`)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first_day(self) -> date:
        """The earliest day the date can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        """The latest day the date can mean: a month means its last day."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return date(self.year, month, day)

    def parts(self) -> list[int]:
        """CSL date-parts for this date."""
        return [p for p in (self.year, self.month, self.day) if p is not None]

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def uk(self) -> str:
        """DD/MM/YYYY, MM/YYYY or YYYY, as UK briefings write dates."""
        if self.day:
            return f"{self.day:02d}/{self.month:02d}/{self.year:04d}"
        if self.month:
            return f"{self.month:02d}/{self.year:04d}"
        return f"{self.year:04d}"

    def month_year(self) -> str:
        """`June 2024`, or the year alone."""
        return f"{MONTHS[self.month - 1]} {self.year}" if self.month else str(self.year)


# `30/11/2026`, `3.2.2026`, `3-2-2026`: a date typed day first, as in the UK.
_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\Z")
# `2026-2-3`, `2026/02/03`, `2024-6`: a date typed year first, without ISO's zeros or dashes.
_YEAR_FIRST = re.compile(r"(\d{4})([/.-])(\d{1,2})(?:\2(\d{1,2}))?\Z")


def _month_year(text: str) -> PartialDate | None:
    """`06/2024`, `6/2024`, `June 2024`, `Jun 2024`: a month, given back as YYYY-MM."""
    numbered = re.fullmatch(r"(\d{1,2})[/.-](\d{4})", text)
    if numbered and 1 <= int(numbered[1]) <= 12:
        return PartialDate(int(numbered[2]), int(numbered[1]))
    named = re.fullmatch(r"([A-Za-z]{3,9})\.?,?\s+(\d{4})", text)
    if named:
        for number, month in enumerate(MONTHS, start=1):
            if month.lower().startswith(named[1].lower()) and len(named[1]) >= 3:
                return PartialDate(int(named[2]), number)
    return None


class DateError(ValueError):
    """A date value that is not a real ISO 8601 calendar date."""


def parse_iso(value: object) -> PartialDate:
    """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (text or a YAML integer year).

    Raises DateError with a reason when the value is not an ISO date or not a real one.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise DateError(f"expected a date like 2024-06-03, found {describe(value)}")
    text = str(value).strip()
    match = _ISO.match(text)
    if not match:
        reason = f"'{text}' is not an ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY)"
        british = _DAY_FIRST.match(text)
        iso = _YEAR_FIRST.match(text)
        if british:
            day, month, year = (int(british.group(n)) for n in (1, 3, 4))
            if real_date(day, month, year) and year >= 1000:
                reason += f": read day first, that is {year:04d}-{month:02d}-{day:02d}"
        elif iso:
            year, month = int(iso[1]), int(iso[3])
            day = int(iso[4]) if iso[4] else None
            if real_date(day or 1, month, year) and year >= 1000:
                reason += f": that is {PartialDate(year, month, day)}"
        elif month_year := _month_year(text):
            reason += f": that is {month_year}"
        raise DateError(reason)
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"'{text}' has no month {month}")
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateError(f"'{text}' is not a real date: {MONTHS[month - 1]} {year} has no day {day}")
    if year == 0:
        raise DateError(f"'{text}' has year 0")
    return PartialDate(year, month, day)


def real_date(day: int, month: int, year: int) -> bool:
    """Whether day/month/year names a day of the calendar."""
    return (
        1 <= month <= 12 and 1 <= year <= 9999 and 1 <= day <= calendar.monthrange(year, month)[1]
    )


def today() -> date:
    """Today's date, or SCOPEKIT_TODAY (YYYY-MM-DD) when set, for tests and reproducible runs."""
    fixed = os.environ.get("SCOPEKIT_TODAY")
    if not fixed:
        return date.today()
    try:
        parsed = parse_iso(fixed)
    except DateError as exc:
        raise UsageError(f"SCOPEKIT_TODAY: {exc}", hint="set it as YYYY-MM-DD") from None
    if parsed.day is None:
        raise UsageError("SCOPEKIT_TODAY must be a full date", hint="set it as YYYY-MM-DD")
    return parsed.first_day


def describe(value: object) -> str:
    """A short phrase naming a YAML value's kind, for messages."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"'{value}'"

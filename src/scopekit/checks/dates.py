"""Dates: real ISO dates, access dates not in the future nor after publication, search ranges."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from scopekit.checks.registry import Context, rule
from scopekit.isodates import DateError, PartialDate, parse_iso
from scopekit.problems import Problem, error, warning
from scopekit.review.fields import Date, Record
from scopekit.review.model import REVIEW_FILE, SEARCHES_FILE, SOURCES_FILE, Metadata, Search
from scopekit.review.yaml_reader import YamlMap
from scopekit.schema import CSL_DATE_VARIABLES

_HINT = "write dates as YYYY-MM-DD (a month as YYYY-MM)"


def _invalid(file: str, data: YamlMap, key: str, what: str) -> Problem | None:
    """invalid-date for data[key] if present and not a real ISO date (CSL date-parts allowed)."""
    value = data.get(key)
    if key not in data or value is None or (isinstance(value, str) and not value.strip()):
        return None  # empty: the rules for a missing date say so
    try:
        if isinstance(value, YamlMap) and file == SOURCES_FILE:
            _date_parts(value)
        else:
            parse_iso(value)
    except DateError as exc:
        return error("invalid-date", file, data.lines.get(key), f"{what} '{key}': {exc}", _HINT)
    return None


def _date_parts(value: YamlMap) -> None:
    """Validate a CSL `{date-parts: [[y, m, d]]}` date."""
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not parts:
        if "literal" in value or "raw" in value:
            raise DateError("use an ISO date; literal and raw dates cannot be checked")
        raise DateError("a CSL date needs 'date-parts', e.g. [[2024, 6, 3]]")
    for part in parts:
        if not isinstance(part, list) or not 1 <= len(part) <= 3:
            raise DateError("each date-parts entry is [year, month, day]")
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in part):
            raise DateError("date-parts must be whole numbers")
        parse_iso("-".join(f"{n:02d}" if i else f"{n:04d}" for i, n in enumerate(part)))


def _date_names(record: type[Record]) -> list[str]:
    """The names of a record's date fields."""
    return [spec.name for spec in record.fields() if isinstance(spec, Date)]


def _minus_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, 28)


@rule
def review_dates(ctx: Context) -> Iterator[Problem]:
    """published and updated are real dates."""
    for key in _date_names(Metadata):
        problem = _invalid(REVIEW_FILE, ctx.review.meta.raw, key, "review.yaml")
        if problem:
            yield problem


@rule
def source_dates(ctx: Context) -> Iterator[Problem]:
    """Source dates are real; access dates are not in the future, nor after the briefing's date."""
    bound = ctx.review.meta.access_bound
    bound_name = "updated" if ctx.review.meta.updated else "published"
    for source in ctx.review.sources:
        invalid = [
            _invalid(SOURCES_FILE, source.raw, key, f"source '{source.id}'")
            for key in CSL_DATE_VARIABLES
        ]
        yield from (p for p in invalid if p)
        accessed = source.accessed  # None when missing or invalid
        if accessed is None:
            continue
        line = source.line_of("accessed")
        if accessed.first_day > ctx.today:
            yield error(
                "accessed-in-future",
                SOURCES_FILE,
                line,
                f"source '{source.id}' accessed {accessed.uk()}, after today "
                f"({ctx.today:%d/%m/%Y})",
                "write the date the page was last opened",
            )
        if bound and accessed.first_day > bound.last_day:
            yield error(
                "accessed-after-published",
                SOURCES_FILE,
                line,
                f"source '{source.id}' accessed {accessed.uk()}, after the review's "
                f"'{bound_name}' date ({bound})",
                "set 'updated:' in review.yaml for a revised briefing, or fix the date",
            )
        elif bound and accessed.last_day < _minus_months(bound.first_day, 12):
            yield warning(
                "stale-accessed",
                SOURCES_FILE,
                line,
                f"source '{source.id}' was last accessed {accessed.uk()}, more than "
                f"12 months before {bound_name} ({bound})",
                "open the page again and update 'accessed' "
                "(`scopekit check-links --update-accessed`)",
            )


@rule
def search_dates(ctx: Context) -> Iterator[Problem]:
    """Search dates are real, `from` is not after `to`, none lies in the future."""
    for search in ctx.review.searches:
        raw = search.raw
        name = f"search '{search.id}'" if search.id else "a search"
        invalid = {key: _invalid(SEARCHES_FILE, raw, key, name) for key in _date_names(Search)}
        yield from (p for p in invalid.values() if p)
        dates: dict[str, PartialDate | None] = {
            "from": search.date_from,
            "to": search.date_to,
            "run": search.run,
        }
        if (
            search.date_from
            and search.date_to
            and search.date_from.first_day > search.date_to.last_day
        ):
            yield error(
                "search-range",
                SEARCHES_FILE,
                raw.lines.get("from"),
                f"{name} runs from {search.date_from.uk()} to {search.date_to.uk()}: "
                "'from' is after 'to'",
                "swap the two dates",
            )
        for key, value in dates.items():
            if value and value.first_day > ctx.today:
                yield error(
                    "search-range",
                    SEARCHES_FILE,
                    raw.lines.get(key),
                    f"{name}: '{key}' ({value.uk()}) is in the future",
                    "a search's dates cannot be later than the day it was run",
                )

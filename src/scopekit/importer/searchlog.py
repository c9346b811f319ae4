"""The Search log table of a briefing scopekit built, read back into searches.yaml.

scopekit writes one row per search (render/docx/tables.py, from `search_row`): Where, Query,
Dates covered (`01/01/2020 – 22/05/2024`, `from …`, `to …`), Run when some search has a
run date, and Results (`~17,300`); an empty cell shows `–`. The table carries no search ids
and no notes: ids are made from Where, and notes are left out.
"""

from __future__ import annotations

import re

from scopekit.importer.model import Block, ImportReport, plain
from scopekit.importer.sources import slug_words, unique
from scopekit.isodates import PartialDate, real_date

COLUMNS = {
    "where": "where",
    "query": "query",
    "dates covered": "dates",
    "run": "run",
    "results": "results",
}
_EMPTY = {"", "–", "-", "—"}
_DATE = re.compile(r"(?:(\d{1,2})/)?(?:(\d{1,2})/)?(\d{4})")
_RANGE = re.compile(r"(?P<a>[\d/]+)\s*[–-]\s*(?P<b>[\d/]+)")
_RESULTS = re.compile(r"(~)?\s*(\d[\d,]*)")


def uk_date(text: str) -> PartialDate | None:
    """`22/05/2024`, `05/2024` or `2024` (as `PartialDate.uk` writes them), else None."""
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    first, second, year = match[1], match[2], int(match[3])
    day, month = (int(first), int(second)) if second else (None, int(first) if first else None)
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not real_date(day, month or 0, year):
        return None
    return PartialDate(year, month, day)


def _dates(text: str) -> tuple[PartialDate | None, PartialDate | None] | None:
    """The from and to dates of a Dates covered cell; None when it cannot be read."""
    text = text.strip()
    if text in _EMPTY:
        return None, None
    for word, index in (("from ", 0), ("to ", 1)):
        if text.startswith(word):
            found = uk_date(text[len(word) :])
            if found is None:
                return None
            return (found, None) if index == 0 else (None, found)
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    start, end = uk_date(match["a"]), uk_date(match["b"])
    return (start, end) if start and end else None


def _results(text: str) -> tuple[int, bool] | None:
    """`~17,300` → (17300, True); None when the cell is not a count."""
    match = _RESULTS.fullmatch(text.strip())
    return (int(match[2].replace(",", "")), bool(match[1])) if match else None


def is_search_log(table: Block) -> bool:
    """Whether a table has the Search log's header row (Where, Query, … Results)."""
    if not table.rows:
        return False
    header = [plain(cell).strip().lower() for cell in table.rows[0]]
    return header[:2] == ["where", "query"] and header[-1] == "results"


def read_searches(table: Block, docx: str, report: ImportReport) -> str:
    """searches.yaml text for the rows of a Search log table, each read cell as its field;
    a cell that cannot be read goes into `notes` as the document gave it (and is reported)."""
    from scopekit.review.yamltext import scalar  # imported when used: it loads yaml

    report.searches_read = len(table.rows) - 1
    header = [COLUMNS.get(plain(cell).strip().lower(), "") for cell in table.rows[0]]
    used: set[str] = set()
    lines = [
        f"# The search log, read back from the Search log table of {docx}. The table gives",
        "# no ids (these are made from 'where') and no notes: add them if you had any.",
    ]
    for number, row in enumerate(table.rows[1:], 1):
        cells = {name: plain(cell).strip() for name, cell in zip(header, row) if name}
        where = cells.get("where", "")
        # each field's value as YAML text: dates as ISO text, counts and flags as typed
        fields = {"id": unique("-".join(slug_words(where)[:3]) or "search", used)}
        unread: list[str] = []
        for name in ("where", "query"):
            if cells.get(name, "") not in _EMPTY:
                fields[name] = scalar(cells[name])
        dates = _dates(cells.get("dates", ""))
        if dates is None:
            unread.append(f"dates covered: {cells['dates']}")
        else:
            for name, value in zip(("from", "to"), dates):
                if value is not None:
                    fields[name] = str(value)
        run = cells.get("run", "")
        if run not in _EMPTY:
            found = uk_date(run)
            if found is None:
                unread.append(f"run: {run}")
            else:
                fields["run"] = str(found)
        results = cells.get("results", "")
        if results not in _EMPTY:
            count = _results(results)
            if count is None:
                unread.append(f"results: {results}")
            else:
                fields["results"] = str(count[0])
                if count[1]:
                    fields["approximate"] = "true"
        if unread:
            fields["notes"] = scalar("As the Search log gave it: " + "; ".join(unread))
            report.add(
                f"Search log row {number}",
                f"not read as dates or a count, kept in notes: {'; '.join(unread)}",
            )
        lines.append("")
        lines += [
            f"{'-' if i == 0 else ' '} {key}: {value}"
            for i, (key, value) in enumerate(fields.items())
        ]
    return "\n".join(lines) + "\n"

"""The evidence (charting) table: review.yaml `charting: columns` and each source's
`charting:` cells in sources.yaml, one row per charted source in the order the text first
cites or links them; the counts of each column's values; and the CSV export.

The cells live on the sources, not in a charting.csv keyed by id: a row then cannot lose
its source (no second key to keep in step), `check` points at the very line of a cell, and
YAML holds long or multi-line text and commas without the quoting and encoding troubles of
a spreadsheet's CSV.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from scopekit.reporting.flow import cited_sources
from scopekit.review import Review, Source

#: The first column of the CSV export, before the charting columns.
ID_COLUMN = "source"


@dataclass(frozen=True)
class EvidenceRow:
    """One charted source and its cells, by column ("" where it has none)."""

    source: Source
    cells: dict[str, str]


@dataclass
class Evidence:
    """The evidence table: its columns and rows."""

    columns: list[str]
    rows: list[EvidenceRow]

    def tallies(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """For each column whose values repeat, each value with its count, most first
        (`organisation`: council 12, NHS trust 5); columns of free text are left out."""
        found = []
        for column in self.columns:
            values = Counter(row.cells[column] for row in self.rows if row.cells.get(column))
            if values and max(values.values()) > 1:
                found.append((column, sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))))
        return found

    def csv(self) -> str:
        """The table as CSV (UTF-8 text): the source id, then one column per charting column."""
        import csv  # only an export needs it

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([ID_COLUMN, *self.columns])
        for row in self.rows:
            writer.writerow([row.source.id, *(row.cells.get(c, "") for c in self.columns)])
        return out.getvalue()


def evidence_of(review: Review) -> Evidence | None:
    """The review's evidence table, or None when review.yaml names no `charting: columns`."""
    charting = review.meta.charting
    if charting is None or not charting.columns:
        return None
    sources = review.source_index()
    order = cited_sources(review)
    order += [s.id for s in review.sources if s.id not in order]
    rows = [
        EvidenceRow(sources[key], {c: sources[key].charting.get(c, "") for c in charting.columns})
        for key in order
        if sources[key].charting
    ]
    return Evidence(list(charting.columns), rows)


def uncharted(review: Review) -> list[Source]:
    """The cited or linked sources without a row, when the review has an evidence table."""
    if evidence_of(review) is None:
        return []
    sources = review.source_index()
    return [sources[key] for key in cited_sources(review) if not sources[key].charting]

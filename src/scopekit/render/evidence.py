"""The "Evidence table" appendix, for every format: one row per charted source with its
note number (as in the text) and title, then its cells; the counts of each column's
repeated values under it. Wide tables (more than `PORTRAIT_COLUMNS` charting columns) go
on landscape pages in the PDF and DOCX."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scopekit.reporting.evidence import evidence_of

if TYPE_CHECKING:
    from scopekit.render import Document

TITLE = "Appendix: Evidence table"
SOURCE_COLUMN = "Source"
#: The most charting columns (besides Source) a portrait page holds.
PORTRAIT_COLUMNS = 3


@dataclass(frozen=True)
class TableRow:
    """One row: the source's note number (None when it is only linked), its title, and its
    cells in column order."""

    note: int | None
    title: str
    cells: list[str]

    @property
    def label(self) -> str:
        """`Note 3: ` before the title, or nothing for a source only linked."""
        return f"Note {self.note}: " if self.note else ""

    @property
    def source(self) -> str:
        """The Source cell as text: `Note 3: Title`."""
        return self.label + self.title


@dataclass(frozen=True)
class EvidenceTable:
    """The appendix as the renderers need it."""

    headings: list[str]
    rows: list[TableRow]
    tallies: list[str]

    @property
    def wide(self) -> bool:
        """Whether the table needs a landscape page."""
        return len(self.headings) - 1 > PORTRAIT_COLUMNS


def heading(column: str) -> str:
    """A column's heading: its name with a capital first letter (`organisation` →
    `Organisation`)."""
    return column[:1].upper() + column[1:]


def evidence_table(doc: Document) -> EvidenceTable | None:
    """The appendix, or None when the review has no evidence table or no charted source."""
    evidence = evidence_of(doc.review)
    if evidence is None or not evidence.rows:
        return None
    first_note: dict[str, int] = {}
    for note in doc.notes.notes:
        if note.source_id and note.first is None:
            first_note.setdefault(note.source_id, note.number)
    rows = [
        TableRow(
            first_note.get(row.source.id),
            row.source.title or row.source.id,
            [row.cells[column] for column in evidence.columns],
        )
        for row in evidence.rows
    ]
    tallies = [
        f"{heading(column)}: " + ", ".join(f"{n} {value}" for value, n in values)
        for column, values in evidence.tallies()
    ]
    return EvidenceTable([SOURCE_COLUMN, *map(heading, evidence.columns)], rows, tallies)

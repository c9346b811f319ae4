"""The reporting table of one review: every item of the catalogue judged by its rule, each
missing warning-level item a `reporting-item` warning (kept apart from the package, so
that the renderers' `flow` does not import the rules)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scopekit.problems import Problem, warning
from scopekit.reporting import rules  # noqa: F401  (registers the rules)
from scopekit.reporting.assess import RULES, Assessor, Status, Verdict
from scopekit.reporting.catalogue import ITEMS, STANDARDS, Item
from scopekit.review import Review
from scopekit.review.model import REVIEW_FILE

__all__ = ["Row", "Status", "Table", "assess"]

#: The JSON Schema of the `reporting` key of `check --reporting --json`.
SCHEMA_FILE = "docs/schemas/check-reporting.schema.json"


#: The review.yaml field each item is reported in (by rule): a missing item's warning is
#: put at that field's line when the field is there (`screening:` for its `counts`), else
#: at review.yaml's first line, the top level where the field would be added.
HOMES = {
    "summary": "key_messages",
    "questions": "questions",
    "protocol": "protocol",
    "eligibility": "eligibility",
    "selection": "screening",
    "charting": "charting",
    "data_items": "charting",
    "appraisal": "appraisal",
    "flow": "screening",
    "characteristics": "charting",
    "charted_rows": "charting",
    "limitations": "limitations",
    "limits": "eligibility",
    "peer_review": "peer_review",
    "deduplication": "screening",
    "stakeholders": "stakeholders",
    "shortcuts": "shortcuts",
    "verification": "screening",
    "shortcut_impact": "limitations",
}


@dataclass(frozen=True)
class Row:
    """One line of the table: an item and the verdict on it; `home` is the line of
    review.yaml its warning is put at when the verdict names no place."""

    item: Item
    verdict: Verdict
    home: int = 1

    def to_dict(self) -> dict:
        """The row as in `--json`."""
        return {
            "standard": self.item.standard,
            "item": self.item.number,
            "title": self.item.title,
            "status": self.verdict.status.value,
            "file": self.verdict.file,
            "line": self.verdict.line,
            "note": self.verdict.note,
            "warns": self.warns,
        }

    @property
    def warns(self) -> bool:
        """Whether the row is a `reporting-item` warning: a missing warning-level item."""
        return self.item.warn and self.verdict.status is Status.MISSING


@dataclass
class Table:
    """The reporting table of one review, and the flow counts it found."""

    rows: list[Row]
    flow: list[dict] | None

    def counts(self) -> dict[str, int]:
        """How many items have each status (every status named, 0 included)."""
        found = Counter(row.verdict.status.value for row in self.rows)
        return {status.value: found.get(status.value, 0) for status in Status}

    def problems(self) -> list[Problem]:
        """A `reporting-item` warning for each missing warning-level item."""
        return [
            warning(
                "reporting-item",
                row.verdict.file or REVIEW_FILE,
                row.verdict.line if row.verdict.file else row.home,
                f"{row.item.label}: {lower_first(row.item.title)} is not reported",
                f"{row.verdict.note}; see docs/reporting.md" if row.verdict.note else None,
            )
            for row in self.rows
            if row.warns
        ]

    def to_dict(self) -> dict:
        """The `reporting` key of `check --reporting --json`."""
        return {
            "standards": [{"name": name, "source": source} for name, source in STANDARDS.items()],
            "items": [row.to_dict() for row in self.rows],
            "counts": self.counts(),
            "prisma2020": self.flow,
        }


def assess(review: Review) -> Table:
    """Judge every item of the catalogue for `review`."""
    assessor = Assessor(review)
    rows = [Row(item, RULES[item.rule](assessor), _home(review, item)) for item in ITEMS]
    return Table(rows, assessor.flow.prisma2020() if assessor.flow else None)


def _home(review: Review, item: Item) -> int:
    """The line of review.yaml where `item` belongs: its field's, else the first line."""
    field = HOMES.get(item.rule)
    line = review.meta.raw.lines.get(field) if field else None
    return line or 1


def lower_first(text: str) -> str:
    """`Data charting process` → `data charting process`, for a title inside a sentence."""
    return text[:1].lower() + text[1:]

"""The flow of records from the searches to the included sources, from review.yaml's
`screening: counts` and searches.yaml's `results`: its boxes, the sums that must agree
(`flow-mismatch`), and the counts under the PRISMA2020 package's CSV field names.

The flow is drawn only when `screening: counts` is given; `included` defaults to the number
of sources the text cites or links.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scopekit.review import Review

#: searches.yaml `kind` → the PRISMA2020 package's field for records identified that way.
PRISMA2020_FIELD = {
    "database": "database_results",
    "registry": "register_results",
    "website": "website_results",
    "search-engine": "website_results",
    "contact": "organisation_results",
    "other": "organisation_results",
    "citation": "citations_results",
}


@dataclass(frozen=True)
class Identified:
    """Records identified by one search."""

    where: str
    results: int
    approximate: bool
    kind: str | None


@dataclass
class Flow:
    """The numbers of the flow diagram; None where review.yaml does not give one."""

    searches: list[Identified]
    identified: int | None
    duplicates: int | None
    screened: int | None
    excluded: int | None
    assessed: int | None
    reasons: dict[str, int] = field(default_factory=dict)
    included: int = 0
    included_given: bool = False
    identified_given: bool = False
    line: int | None = None
    lines: dict[str, int] = field(default_factory=dict)

    @property
    def approximate(self) -> bool:
        """Whether a search's count is approximate, and so the identified total."""
        return any(search.approximate for search in self.searches)

    def mismatches(self) -> list[tuple[str, str, str]]:
        """Each sum that does not add up, as (field, message, hint)."""
        found = []
        if None not in (self.identified, self.screened):
            after = self.identified - (self.duplicates or 0)  # type: ignore[operator]
            about = "~" if self.approximate and not self.identified_given else ""
            if after != self.screened:
                found.append(
                    (
                        "screened",
                        f"{self.screened:,} records screened, but {about}{self.identified:,} "
                        f"identified less {self.duplicates or 0:,} duplicates is {about}{after:,}",
                        "give 'identified' (the records you looked at) when not every result "
                        "was screened, and say so in 'shortcuts'",
                    )
                )
        if None not in (self.screened, self.excluded, self.assessed):
            after = self.screened - self.excluded  # type: ignore[operator]
            if after != self.assessed:
                found.append(
                    (
                        "assessed",
                        f"{self.assessed:,} assessed, but {self.screened:,} screened less "
                        f"{self.excluded:,} excluded is {after:,}",
                        "screened − excluded at screening should equal assessed",
                    )
                )
        if self.assessed is not None:
            after = self.assessed - sum(self.reasons.values())
            if after != self.included:
                what = "included" if self.included_given else "sources cited (the default)"
                found.append(
                    (
                        "included" if self.included_given else "reasons",
                        f"{self.included:,} {what}, but {self.assessed:,} assessed less "
                        f"{sum(self.reasons.values()):,} excluded with reasons is {after:,}",
                        "assessed − the reasons' numbers should equal included",
                    )
                )
        return found

    def prisma2020(self) -> list[dict[str, object]]:
        """The counts as rows of the PRISMA2020 package's CSV (`data`, `n`): identified
        per kind of search, duplicates, screened, excluded, assessed, excluded with reasons
        ('Reason, n; …') and included. Searches with no `kind` are left out of the totals."""
        by_field: dict[str, int] = {}
        for search in self.searches:
            name = PRISMA2020_FIELD.get(search.kind or "")
            if name:
                by_field[name] = by_field.get(name, 0) + search.results
        dbr = any(s.kind in ("database", "registry") for s in self.searches)
        path = "dbr" if dbr else "other"
        rows: dict[str, object] = dict(by_field)
        rows.update(
            {
                "duplicates": self.duplicates,
                "records_screened": self.screened,
                "records_excluded": self.excluded,
                f"{path}_assessed": self.assessed,
                f"{path}_excluded": "; ".join(f"{k}, {n}" for k, n in self.reasons.items()) or None,
                "new_studies": self.included,
                "total_studies": self.included,
            }
        )
        return [{"data": name, "n": n} for name, n in rows.items() if n is not None]


def cited_sources(review: Review) -> list[str]:
    """The ids of the sources the text cites or links, in first-use order (known ones only)."""
    known = review.source_index()
    seen: dict[str, None] = {}
    for section in review.texts:
        keys = [(c.line, c.key) for c in section.markdown.citations]
        keys += [(link.line, link.source_key) for link in section.markdown.links if link.source_key]
        for _, key in sorted(keys, key=lambda pair: pair[0]):
            if key in known:
                seen.setdefault(key, None)
    return list(seen)


def flow_of(review: Review) -> Flow | None:
    """The review's flow, or None when review.yaml gives no `screening: counts`."""
    screening = review.meta.screening
    counts = screening.counts if screening else None
    if counts is None:
        return None
    searches = [
        Identified(s.where or s.id or "a search", s.results, s.approximate, s.kind)
        for s in review.searches
        if s.results is not None
    ]
    identified = counts.identified
    if identified is None and searches:
        identified = sum(search.results for search in searches)
    included = counts.included
    return Flow(
        searches=searches,
        identified=identified,
        duplicates=counts.duplicates,
        screened=counts.screened,
        excluded=counts.excluded,
        assessed=counts.assessed,
        reasons=dict(counts.reasons),
        included=included if included is not None else len(cited_sources(review)),
        included_given=included is not None,
        identified_given=counts.identified is not None,
        line=counts.line,
        lines=dict(counts.raw.lines),
    )

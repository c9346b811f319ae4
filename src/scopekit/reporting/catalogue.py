"""The reporting items `check --reporting` looks for, as data: PRISMA-ScR's 22 items
(Tricco et al. 2018), PRISMA-S items 1–16 (Rethlefsen et al. 2021) and the rapid-review
items of Garritty et al. (Cochrane RRMG, BMJ 2024) and Stevens et al. (BMJ EBM 2024).

Each item is paraphrased in a few words (docs/reporting.md has the longer paraphrase and the
citations) and names the `rule` in `reporting/assess.py` that judges it. `warn` says whether
a missing item is a `reporting-item` warning; items only a person can judge, or that a
review may leave out without saying so, do not warn.
"""

from __future__ import annotations

from dataclasses import dataclass

PRISMA_SCR = "PRISMA-ScR"
PRISMA_S = "PRISMA-S"
RAPID = "Rapid review"

#: The standards, in the order the table lists them, with where each comes from.
STANDARDS = {
    PRISMA_SCR: "Tricco et al. 2018, Ann Intern Med 169:467-473",
    PRISMA_S: "Rethlefsen et al. 2021, Syst Rev 10:39",
    RAPID: "Garritty et al. 2024, BMJ 384:e076335; Stevens et al. 2024, BMJ Evid Based Med",
}


@dataclass(frozen=True)
class Item:
    """One reporting item: its standard, its number there, a short title, the rule that
    judges it and whether a missing item warns."""

    standard: str
    number: str
    title: str
    rule: str
    warn: bool = True

    @property
    def label(self) -> str:
        """`PRISMA-ScR 6`, as the table and the warnings name the item."""
        return f"{self.standard} {self.number}"


ITEMS: tuple[Item, ...] = (
    Item(PRISMA_SCR, "1", "Title identifies a scoping review", "title"),
    Item(PRISMA_SCR, "2", "Structured summary", "summary"),
    Item(PRISMA_SCR, "3", "Rationale", "rationale", warn=False),
    Item(PRISMA_SCR, "4", "Objectives or review questions", "questions"),
    Item(PRISMA_SCR, "5", "Protocol and registration", "protocol"),
    Item(PRISMA_SCR, "6", "Eligibility criteria, with rationale", "eligibility"),
    Item(PRISMA_SCR, "7", "Information sources, dates covered and searched", "sources"),
    Item(PRISMA_SCR, "8", "Full search strategy", "strategies"),
    Item(PRISMA_SCR, "9", "Selection of sources of evidence", "selection"),
    Item(PRISMA_SCR, "10", "Data charting process", "charting"),
    Item(PRISMA_SCR, "11", "Data items charted", "data_items"),
    Item(PRISMA_SCR, "12", "Critical appraisal (if done)", "appraisal"),
    Item(PRISMA_SCR, "13", "Synthesis of results: methods", "synthesis_methods", warn=False),
    Item(PRISMA_SCR, "14", "Selection of sources: numbers, ideally a flow diagram", "flow"),
    Item(PRISMA_SCR, "15", "Characteristics of sources of evidence", "characteristics"),
    Item(PRISMA_SCR, "16", "Critical appraisal within sources (if done)", "appraisal_results"),
    Item(PRISMA_SCR, "17", "Results of individual sources", "charted_rows"),
    Item(PRISMA_SCR, "18", "Synthesis of results", "findings", warn=False),
    Item(PRISMA_SCR, "19", "Summary of evidence", "discussion", warn=False),
    Item(PRISMA_SCR, "20", "Limitations", "limitations"),
    Item(PRISMA_SCR, "21", "Conclusions", "conclusions", warn=False),
    Item(PRISMA_SCR, "22", "Funding", "funding"),
    Item(PRISMA_S, "1", "Database name and platform", "databases"),
    Item(PRISMA_S, "2", "Multi-database searching: the platform", "platforms"),
    Item(PRISMA_S, "3", "Study registries", "registries"),
    Item(PRISMA_S, "4", "Online resources and browsing", "websites"),
    Item(PRISMA_S, "5", "Citation searching", "citations", warn=False),
    Item(PRISMA_S, "6", "Contacts", "contacts", warn=False),
    Item(PRISMA_S, "7", "Other methods", "other_methods"),
    Item(PRISMA_S, "8", "Full search strategies, exactly as run", "strategies_all"),
    Item(PRISMA_S, "9", "Limits and restrictions", "limits"),
    Item(PRISMA_S, "10", "Search filters", "filters", warn=False),
    Item(PRISMA_S, "11", "Prior work reused", "prior_work", warn=False),
    Item(PRISMA_S, "12", "Updates", "updates", warn=False),
    Item(PRISMA_S, "13", "Dates of searches", "run_dates"),
    Item(PRISMA_S, "14", "Peer review of the searches", "peer_review"),
    Item(PRISMA_S, "15", "Total records from each source", "totals"),
    Item(PRISMA_S, "16", "Deduplication", "deduplication"),
    Item(RAPID, "1", "Labelled a rapid review", "rapid_label"),
    Item(RAPID, "2", "Knowledge users and their involvement", "stakeholders"),
    Item(RAPID, "3", "Why a rapid approach was taken", "rapid_reason", warn=False),
    Item(RAPID, "4", "Shortcuts: how it differs from a systematic review", "shortcuts"),
    Item(RAPID, "5", "Screening by one reviewer, and its verification", "verification"),
    Item(RAPID, "6", "Impact of the shortcuts on the findings", "shortcut_impact"),
)

"""The rules of the reporting items, one per `rule` name in `catalogue.ITEMS`."""

from __future__ import annotations

from scopekit.reporting.assess import Assessor, Status, Verdict, is_none, rule, short
from scopekit.reporting.flow import cited_sources
from scopekit.review.model import REVIEW_FILE, SEARCHES_FILE


def count(n: int, word: str, plural: str = "") -> str:
    """`1 question`, `2 questions`."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


# ---------------------------------------------------------------------------- PRISMA-ScR


@rule
def title(a: Assessor) -> Verdict:
    if "scoping review" in (a.meta.type or "").lower():
        return a.field("type", a.meta.type)
    if "scoping review" in (a.meta.title or "").lower():
        return a.field("title")
    return a.field("type", "the type line does not say 'scoping review'", Status.MISSING)


@rule
def summary(a: Assessor) -> Verdict:
    if a.meta.key_messages:
        return a.field("key_messages", "key messages")
    return Verdict(Status.MISSING, note="no key_messages")


@rule
def rationale(a: Assessor) -> Verdict:
    return a.section(("background", "introduction"), "why the review was asked for")


@rule
def questions(a: Assessor) -> Verdict:
    if a.meta.questions:
        return a.field("questions", count(len(a.meta.questions), "question"))
    return Verdict(Status.MISSING, note="no questions")


@rule
def protocol(a: Assessor) -> Verdict:
    return a.text_field("protocol", r"\bprotocol\b", "no protocol: give it, or write none")


@rule
def eligibility(a: Assessor) -> Verdict:
    given = a.meta.eligibility
    if given and (given.include or given.exclude):
        lacking = [name for name in ("language", "rationale") if not getattr(given, name)]
        if lacking:
            return a.field("eligibility", f"no {' or '.join(lacking)}", Status.PARTIAL)
        return a.field("eligibility", "criteria, language and rationale")
    return a.prose(r"\b(inclusion|exclusion|eligib\w*) criteri", "no eligibility: include, exclude")


@rule
def sources(a: Assessor) -> Verdict:
    return a.searches_where(
        lambda s: bool(s.where and (s.date_from or s.date_to) and s.run),
        "'where', dates covered ('from', 'to') and a 'run' date",
    )


@rule
def strategies(a: Assessor) -> Verdict:
    found = [s for s in a.searches if s.query]
    if found:
        return Verdict(
            Status.OK, SEARCHES_FILE, found[0].line, count(len(found), "query", "queries")
        )
    return Verdict(Status.MISSING, note="no search has a 'query'")


@rule
def selection(a: Assessor) -> Verdict:
    if a.meta.screening and a.meta.screening.reviewers:
        return a.field("screening", a.meta.screening.reviewers)
    return a.prose(r"\bscreen(ed|ing)\b", "no screening: reviewers")


@rule
def charting(a: Assessor) -> Verdict:
    if a.meta.charting and a.meta.charting.process:
        return a.field("charting", short(a.meta.charting.process))
    return a.prose(r"\b(chart(ed|ing)|data extraction|extracted)\b", "no charting: process")


@rule
def data_items(a: Assessor) -> Verdict:
    if a.meta.charting and a.meta.charting.columns:
        return a.field("charting", ", ".join(a.meta.charting.columns))
    return Verdict(Status.MISSING, note="no charting: columns")


@rule
def appraisal(a: Assessor) -> Verdict:
    return a.text_field(
        "appraisal", r"\b(critical(ly)? apprais\w*|quality assess\w*)", "no appraisal (or none)"
    )


@rule
def synthesis_methods(a: Assessor) -> Verdict:
    return a.section(("method",), "how the findings were summarised")


@rule
def flow(a: Assessor) -> Verdict:
    if a.flow is None:
        return Verdict(Status.MISSING, note="no screening: counts (the flow diagram)")
    if a.flow.screened is None or a.flow.mismatches():
        note = "counts do not add up" if a.flow.mismatches() else "no screened count"
        return Verdict(Status.PARTIAL, REVIEW_FILE, a.flow.line, note)
    return Verdict(Status.OK, REVIEW_FILE, a.flow.line, "flow diagram")


@rule
def characteristics(a: Assessor) -> Verdict:
    return charted_rows(a)


@rule
def appraisal_results(a: Assessor) -> Verdict:
    if is_none(a.meta.appraisal):
        return a.field("appraisal", "no appraisal was done", Status.NA)
    return Verdict(Status.MANUAL, note="the appraisal's results, if it was done")


@rule
def charted_rows(a: Assessor) -> Verdict:
    columns = a.meta.charting.columns if a.meta.charting else []
    if not columns:
        return Verdict(Status.MISSING, note="no evidence table: charting: columns")
    charted = {s.id for s in a.review.sources if isinstance(s.raw.get("charting"), dict)}
    cited = cited_sources(a.review)
    rows = [key for key in cited if key in charted]
    status = Status.OK if len(rows) == len(cited) else Status.PARTIAL
    return a.field("charting", f"{len(rows)} of {len(cited)} cited sources charted", status)


@rule
def findings(a: Assessor) -> Verdict:
    return a.section(("finding", "result"), "what was found, by question")


@rule
def discussion(a: Assessor) -> Verdict:
    return a.section(("discussion", "summary", "finding"), "the main findings summarised")


@rule
def limitations(a: Assessor) -> Verdict:
    if a.meta.limitations:
        return a.field("limitations", count(len(a.meta.limitations), "limitation"))
    return a.prose(r"\blimitations?\b", "no limitations")


@rule
def conclusions(a: Assessor) -> Verdict:
    return a.section(("conclusion", "implication", "finding"), "the conclusions")


@rule
def funding(a: Assessor) -> Verdict:
    raw = a.meta.raw
    if raw.get("funding") == "" or is_none(a.meta.funding):
        return Verdict(Status.MISSING, REVIEW_FILE, a.meta.line_of("funding"), "no funding text")
    if a.meta.funding:
        return a.field("funding")
    return Verdict(Status.OK, note="the house style's funding statement")


# ------------------------------------------------------------------------------ PRISMA-S


@rule
def databases(a: Assessor) -> Verdict:
    found = a.of_kind("database")
    if found:
        named = [s for s in found if s.where and s.platform]
        status = Status.OK if len(named) == len(found) else Status.PARTIAL
        note = (
            ", ".join(dict.fromkeys(f"{s.where} ({s.platform})" for s in named))
            if status is Status.OK
            else "a database search has no 'platform'"
        )
        return Verdict(status, SEARCHES_FILE, found[0].line, note)
    return a.kind_item(("database",), "database searches")


@rule
def platforms(a: Assessor) -> Verdict:
    if a.of_kind("database"):
        return databases(a)
    return a.kind_item(("database",), "database searches")


@rule
def registries(a: Assessor) -> Verdict:
    return a.kind_item(("registry",), "registry searches")


@rule
def websites(a: Assessor) -> Verdict:
    return a.kind_item(("website", "search-engine"), "websites or search engines", Status.MISSING)


@rule
def citations(a: Assessor) -> Verdict:
    found = a.kind_item(("citation",), "citation searching")
    if found.status is Status.OK:
        return found
    return a.prose(r"\b(reference lists?|citation search\w*|snowball\w*)\b", found.note)


@rule
def contacts(a: Assessor) -> Verdict:
    found = a.kind_item(("contact",), "contacts")
    if found.status is Status.OK:
        return found
    return a.prose(r"\b(contacted|consulted|discussions?|experts?)\b", found.note)


@rule
def other_methods(a: Assessor) -> Verdict:
    return a.kind_item(("other",), "other methods")


@rule
def strategies_all(a: Assessor) -> Verdict:
    return a.searches_where(lambda s: bool(s.query), "a 'query'")


@rule
def limits(a: Assessor) -> Verdict:
    limited = [s for s in a.searches if s.limits]
    if limited:
        return Verdict(Status.OK, SEARCHES_FILE, limited[0].line, limited[0].limits or "")
    if a.meta.eligibility and a.meta.eligibility.language:
        return a.field("eligibility", a.meta.eligibility.language)
    dated = [s for s in a.searches if s.date_from or s.date_to]
    if dated:
        return Verdict(Status.PARTIAL, SEARCHES_FILE, dated[0].line, "dates only: no 'limits'")
    return Verdict(Status.MISSING, note="no search gives 'limits'")


@rule
def filters(a: Assessor) -> Verdict:
    if a.of_kind("database"):
        return Verdict(Status.MANUAL, note="published search filters, if used")
    return a.kind_item(("database",), "database searches")


@rule
def prior_work(a: Assessor) -> Verdict:
    return Verdict(Status.MANUAL, note="searches reused from other reviews, if any")


@rule
def updates(a: Assessor) -> Verdict:
    if a.meta.updated:
        return a.field("updated", "say how the searches were updated", Status.MANUAL)
    return Verdict(Status.NA, note="not updated")


@rule
def run_dates(a: Assessor) -> Verdict:
    return a.searches_where(lambda s: s.run is not None, "a 'run' date")


@rule
def peer_review(a: Assessor) -> Verdict:
    return a.text_field("peer_review", r"\bpeer[- ]review", "no peer_review (or none)")


@rule
def totals(a: Assessor) -> Verdict:
    return a.searches_where(lambda s: s.results is not None, "'results'")


@rule
def deduplication(a: Assessor) -> Verdict:
    if a.flow is not None and a.flow.duplicates is not None:
        return Verdict(
            Status.OK,
            REVIEW_FILE,
            a.flow.lines.get("duplicates", a.flow.line),
            count(a.flow.duplicates, "duplicate"),
        )
    if len(a.searches) < 2:
        return Verdict(Status.NA, note="one search")
    return a.prose(r"\b(duplicat\w*|de-?dupl\w*)\b", "no screening: counts: duplicates")


# -------------------------------------------------------------------------- rapid review


@rule
def rapid_label(a: Assessor) -> Verdict:
    if "rapid" in (a.meta.type or "").lower():
        return a.field("type", a.meta.type)
    return a.field("type", "the type line does not say 'rapid'", Status.MISSING)


@rule
def stakeholders(a: Assessor) -> Verdict:
    verdict = a.text_field("stakeholders", "", "no stakeholders")
    if verdict.status is Status.MISSING and a.meta.commissioned_by:
        return a.field("commissioned_by", "who asked, not how they took part", Status.PARTIAL)
    return verdict


@rule
def rapid_reason(a: Assessor) -> Verdict:
    if "rapid" not in (a.meta.type or "").lower():
        return a.field("type", "not a rapid review", Status.NA)
    return a.prose(r"\brapid\b", "why a rapid review (in Background)", otherwise=Status.MANUAL)


@rule
def shortcuts(a: Assessor) -> Verdict:
    if a.meta.shortcuts:
        return a.field("shortcuts", count(len(a.meta.shortcuts), "shortcut"))
    return Verdict(Status.MISSING, note="no shortcuts")


@rule
def verification(a: Assessor) -> Verdict:
    screening = a.meta.screening
    if screening is None or screening.verification is None:
        return Verdict(Status.MISSING, note="no screening: verification (or none)")
    line = screening.raw.lines.get("verification", screening.line)
    if is_none(screening.verification):
        return Verdict(Status.DECLARED, REVIEW_FILE, line, "no second reviewer")
    return Verdict(Status.OK, REVIEW_FILE, line, short(screening.verification))


@rule
def shortcut_impact(a: Assessor) -> Verdict:
    if a.meta.shortcuts and a.meta.limitations:
        return a.field(
            "limitations", "do they say what the shortcuts may have missed?", Status.MANUAL
        )
    if not a.meta.shortcuts:
        return Verdict(Status.MISSING, note="no shortcuts")
    return Verdict(Status.MISSING, note="no limitations")

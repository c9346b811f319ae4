"""One `check-links` run over a review: collect, reuse the cache, check the rest, save."""

from __future__ import annotations

import time
from typing import Protocol

from scopekit.links import cache, seen
from scopekit.links.collect import collect
from scopekit.links.drift import find_drift
from scopekit.links.fetch import check_pages
from scopekit.links.model import Entry, LinkReport, Result, Status
from scopekit.links.settings import Settings
from scopekit.review.model import Review
from scopekit.urls import host_of, is_loopback, without_fragment


class Progress(Protocol):
    """Hears how many URLs are to be requested, then of each one as it ends."""

    def start(self, total: int) -> None: ...

    def advance(self, url: str, result: Result) -> None: ...


def check_review_links(
    review: Review,
    settings: Settings,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> LinkReport:
    """Check every URL of `review` once; results younger than `settings.max_age_hours` come
    from the cache unless `use_cache` is False. The pages of sources are read to warn of
    drift since each source's baseline (links/drift.py). The cache is saved unless there was
    no network."""
    started = time.perf_counter()
    targets = collect(review)
    warnings: list[str] = []
    cached: dict[str, Result] = {}
    if use_cache:
        cached, warning = cache.load(review.root, settings.max_age_hours)
        warnings += [warning] if warning else []
    keys = [without_fragment(t.url) for t in targets if t.checkable]
    todo = [key for key in keys if key not in cached]
    if progress is not None:
        progress.start(len(todo))
    on_result = progress.advance if progress is not None else None
    read = {without_fragment(t.url) for t in targets if t.checkable and t.sources}
    results = {**cached, **check_pages(todo, settings, on_result, read)}
    entries = [
        Entry(
            target,
            results[without_fragment(target.url)]
            if target.checkable
            else Result(Status.SKIPPED, message=target.skip_reason),
        )
        for target in targets
    ]
    report = cut_off(LinkReport(entries, time.perf_counter() - started, warnings))
    baselines, warning = seen.load(review.root)
    warnings += [warning] if warning else []
    find_drift(review, report.entries, baselines)
    if not report.no_network:
        cut = {  # not checked for want of a network: nothing is known of them
            without_fragment(e.target.url)
            for e in report.entries
            if e.result.status is Status.SKIPPED and e.result.offline
        }
        kept = {key: results[key] for key in keys if key not in cut}
        warning = cache.save(review.root, kept)
        warnings += [warning] if warning else []
    return report


def cut_off(report: LinkReport) -> LinkReport:
    """A machine with no network but a local server: only loopback URLs answered, and every
    other URL, on two hosts or more, failed at the DNS or connection level. Those are marked
    `skipped` (not checked: no network) rather than broken, and counted in `unchecked`.
    One unknown host among answers stays broken: it is a dead link, not a dead network."""
    fresh = [e for e in report.entries if e.target.checkable and not e.result.cached]
    local = [e for e in fresh if is_loopback(e.target.url)]
    remote = [e for e in fresh if not is_loopback(e.target.url)]
    answered = [e for e in local if e.result.reached]
    if not answered or not remote or any(not e.result.offline for e in remote):
        return report
    if len({host_of(e.target.url) for e in remote}) < 2:
        return report
    for entry in remote:
        entry.result = Result(
            Status.SKIPPED,
            message=f"not checked: no network ({entry.result.message})",
            offline=True,
        )
    report.unchecked, report.local_answered = len(remote), len(answered)
    return report

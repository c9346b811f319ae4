"""One `check-links` run over a review: collect, reuse the cache, check the rest, save."""

from __future__ import annotations

import time
from typing import Protocol

from scopekit.links import cache
from scopekit.links.checker import check_urls
from scopekit.links.collect import collect
from scopekit.links.model import Entry, LinkReport, Result, Status
from scopekit.links.settings import Settings
from scopekit.review.model import Review
from scopekit.urls import without_fragment


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
    from the cache unless `use_cache` is False. The cache is saved unless there was no network."""
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
    results = {**cached, **check_urls(todo, settings, on_result)}
    entries = [
        Entry(
            target,
            results[without_fragment(target.url)]
            if target.checkable
            else Result(Status.SKIPPED, message=target.skip_reason),
        )
        for target in targets
    ]
    report = LinkReport(entries, time.perf_counter() - started, warnings)
    if not report.no_network:
        warning = cache.save(review.root, {key: results[key] for key in keys})
        warnings += [warning] if warning else []
    return report

"""`check-links --save-archive`: an archived copy of each working source, made at citation
time. A source whose `archived` copy was made on or after its access date has one; else
the archive's nearest copy is used when it is that recent; else Save Page Now is asked to
capture the page (links/savenow.py), and each capture is written as soon as it is made.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from scopekit.links.archive import ArchiveError, nearest_snapshots
from scopekit.links.model import LinkReport, Status
from scopekit.links.savenow import Saved, save_pages
from scopekit.links.session import Settings
from scopekit.review.model import Review, text_or_none
from scopekit.urls import archive_date, is_web_url


def working(report: LinkReport) -> dict[str, str]:
    """The URL of each source whose link works (`ok` or `redirected`), by source id."""
    found: dict[str, str] = {}
    for entry in report.entries:
        if entry.result.status in (Status.OK, Status.REDIRECTED) and not entry.result.soft404:
            for source_id in entry.target.sources:
                found.setdefault(source_id, entry.target.url)
    return found


def save_archives(
    review: Review,
    report: LinkReport,
    today: date,
    settings: Settings,
    *,
    stamped: set[str],
    archived: dict[str, str],
    write: Callable[[str, str], bool],
) -> tuple[Saved, list[str]]:
    """Give each working source a recent archived copy. `stamped` sources were accessed
    today; `archived` holds copies recorded earlier in this run; `write(id, url)` records
    one. The queue's outcome, and the ids given the archive's existing copy."""
    urls = working(report)
    due: dict[str, tuple[str, date]] = {}
    for source in review.sources:
        url = urls.get(source.id)
        if url is None or source.url is None or not is_web_url(source.url):
            continue
        fresh = source.id in stamped or source.accessed is None
        since_day = today if fresh else source.accessed.first_day
        copy = archive_date(archived.get(source.id) or text_or_none(source.raw.get("archived")))
        if copy is None or copy < since_day:
            due[source.id] = (source.url, since_day)
    reused: list[str] = []
    warnings: list[str] = []
    nearest = nearest_snapshots({key: (url, today) for key, (url, _) in due.items()}, settings)
    for source_id, answer in nearest.items():
        if isinstance(answer, ArchiveError):
            warnings.append(f"source '{source_id}': no archived copy looked up: {answer}")
            continue
        made = archive_date(answer)
        recent = answer is not None and made is not None and made >= due[source_id][1]
        if recent and write(source_id, answer):
            reused.append(source_id)
            del due[source_id]
    saved = save_pages(review.root, [(key, url) for key, (url, _) in due.items()], settings, write)
    saved.warnings += warnings
    return saved, reused

"""The state of a source's page that a review cites: the day it was cited and its archived
copy (`archived`), for the HTML's Robust Links attributes and the notes that show the copy
once `check-links` found the live URL down (its record in `.scopekit/links.json`).
"""

from __future__ import annotations

from dataclasses import dataclass

from scopekit.links.cache import last_statuses
from scopekit.links.model import Status
from scopekit.review import Review, Source
from scopekit.urls import archive_date, is_web_url, without_fragment


@dataclass(frozen=True)
class Version:
    """The state of a source's page the review cites (Robust Links): the day it was cited
    (the access date, else the day its copy was made; ISO 8601) and its archived copy's
    address, if it records one."""

    url: str | None
    date: str


def version_of(source: Source) -> Version | None:
    """The day a source's page was cited and its archived copy (`archived`), when it has
    either; None when it has neither."""
    archived = source.raw.get("archived") if is_web_url(source.raw.get("archived")) else None
    made = archive_date(archived)
    day = str(source.accessed) if source.accessed is not None else made.isoformat() if made else ""
    if not day and archived is None:
        return None
    return Version(archived, day)


def archived_shown(review: Review) -> dict[str, Version]:
    """The sources whose notes show their archived copy: the live URL was found broken or
    blocked (or sent to its site's home page, a soft 404) by the last `check-links` (its
    record in `.scopekit/links.json`)."""
    statuses = last_statuses(review.root)
    shown: dict[str, Version] = {}
    for source in review.sources:
        version = version_of(source)
        if version is None or version.url is None or source.url is None:
            continue
        result = statuses.get(without_fragment(source.url))
        down = result is not None and (
            result.status in (Status.BROKEN, Status.BLOCKED) or result.soft404
        )
        if down:
            shown[source.id] = version
    return shown

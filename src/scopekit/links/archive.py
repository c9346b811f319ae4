"""The Internet Archive's availability API: the snapshot of a page nearest a given day.

The endpoint is `SCOPEKIT_ARCHIVE_URL` when set (tests use a local fake).
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import date

import aiohttp

from scopekit.links.checker import read_some
from scopekit.links.classify import phrase
from scopekit.links.failures import failure
from scopekit.links.session import Proxies, Settings, open_session
from scopekit.urls import is_web_url

ARCHIVE_API = "https://archive.org/wayback/available"
_MAX_ANSWER = 64 * 1024


def endpoint() -> str:
    """The availability API to ask."""
    return os.environ.get("SCOPEKIT_ARCHIVE_URL") or ARCHIVE_API


class ArchiveError(Exception):
    """The archive could not be asked, or gave an answer that is not the API's."""


def snapshot_url(answer: object) -> str | None:
    """The closest available snapshot in an availability answer (https for web.archive.org)."""
    snapshots = answer.get("archived_snapshots") if isinstance(answer, dict) else None
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or closest.get("available") is not True:
        return None
    url = closest.get("url")
    if not is_web_url(url):
        return None
    if url.startswith("http://web.archive.org/"):
        url = "https://" + url[len("http://") :]
    return url


Snapshot = str | ArchiveError | None


class _Archive:
    """Asks the availability API, at most `per_host` questions at once, `delay` apart."""

    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.api = endpoint()
        self.proxy = Proxies().for_url(self.api)
        self.slots = asyncio.Semaphore(settings.per_host)

    async def nearest(self, url: str, day: date) -> Snapshot:
        """The snapshot of `url` nearest `day`, None if there is none, or why not asked."""
        async with self.slots:
            try:
                return await self._ask(url, day)
            except ArchiveError as exc:
                return exc
            finally:
                await asyncio.sleep(self.settings.delay)

    async def _ask(self, url: str, day: date) -> str | None:
        params = {"url": url, "timestamp": day.strftime("%Y%m%d")}
        try:
            async with self.session.get(self.api, params=params, proxy=self.proxy) as response:
                body = await read_some(response.content, _MAX_ANSWER)
                if response.status != 200:
                    raise ArchiveError(f"the archive answered {phrase(response.status)}")
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as exc:
            reason = failure(exc, self.api, self.settings).message
            raise ArchiveError(f"cannot reach the archive: {reason}") from None
        try:
            return snapshot_url(json.loads(body))
        except ValueError:
            raise ArchiveError("the archive's answer is not JSON") from None


async def _all(wanted: dict[str, tuple[str, date]], settings: Settings) -> dict[str, Snapshot]:
    async with open_session(settings) as session:
        archive = _Archive(session, settings)
        keys = list(wanted)
        found = await asyncio.gather(*(archive.nearest(*wanted[key]) for key in keys))
    return dict(zip(keys, found))


def nearest_snapshots(
    wanted: dict[str, tuple[str, date]], settings: Settings
) -> dict[str, Snapshot]:
    """For each key's (URL, day): the nearest snapshot's URL, None when the archive has none,
    or the ArchiveError that prevented asking."""
    if not wanted:
        return {}
    return asyncio.run(_all(wanted, settings))

"""Fetch pages to read what they say (`scopekit add`, `sources fill`), with check-links' rules.

The same Checker drives every request: http(s) only, the per-host and global limits, the
delay between requests to one host, 429/503 retried as the server asks, redirects followed
by hand and refused when they loop or leave the web. What differs is that each request is a
GET whose body is read, up to `max_bytes` and within the request's time limit: a larger
body, or one still arriving when the time is up, is a failure, never half a page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

import aiohttp

from scopekit.links.checker import Checker, read_some
from scopekit.links.classify import REDIRECTS, Answer, classify, may_be_a_challenge
from scopekit.links.model import Result, Status
from scopekit.links.session import open_session
from scopekit.links.settings import Settings

MAX_BYTES = 10 * 1024 * 1024
PAGE_TYPES = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.5"
CSL_JSON = "application/vnd.citationstyles.csl+json"


@dataclass
class Page:
    """A document fetched whole: where it was asked and where it ended, and its bytes."""

    url: str
    final_url: str
    content_type: str
    body: bytes
    redirects: list[str] = field(default_factory=list)
    permanent: bool = False

    @property
    def media_type(self) -> str:
        """The media type without parameters, lower case (`text/html`)."""
        return self.content_type.split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        """The charset the Content-Type names, if any."""
        for part in self.content_type.split(";")[1:]:
            name, _, value = part.partition("=")
            if name.strip().lower() == "charset" and value.strip():
                return value.strip().strip("\"'")
        return None


class TooLarge(Exception):
    """A body longer than the fetch allows."""


@dataclass
class _Body(Answer):
    """An answer with its body read (or the note that it was too large)."""

    content_type: str = ""
    body: bytes = b""
    too_large: bool = False


async def read_body(stream: aiohttp.StreamReader, limit: int) -> bytes:
    """The whole body, or TooLarge past `limit` bytes; a time-out propagates (no half page)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = await stream.read(64 * 1024)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)


class Fetcher(Checker):
    """A Checker whose requests are GETs that read the body (`accept` names what is wanted)."""

    first_method = "GET"

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: Settings,
        accept: str = PAGE_TYPES,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        super().__init__(session, settings)
        self.accept = accept
        self.max_bytes = max_bytes

    async def _send(self, method: str, url: str, proxy: str | None) -> Answer:
        async with self.session.request(
            method, url, allow_redirects=False, proxy=proxy, headers={"Accept": self.accept}
        ) as response:
            headers = response.headers
            status = response.status
            answer = _Body(
                url=url,
                status=status,
                location=headers.get("Location"),
                retry_after=headers.get("Retry-After"),
                challenge_header="cf-mitigated" in headers,
                content_type=headers.get("Content-Type", ""),
            )
            if 200 <= status < 300 and status not in REDIRECTS:
                declared = response.content_length
                try:
                    if declared is not None and declared > self.max_bytes:
                        raise TooLarge
                    answer.body = await read_body(response.content, self.max_bytes)
                except TooLarge:
                    answer.too_large = True
            elif may_be_a_challenge(status):
                answer.snippet = await read_some(response.content, self.settings.read_bytes)
            return answer

    async def fetch(self, url: str) -> Page | Result:
        """The document at `url` after its redirects, or the Result saying why there is none."""
        outcome, chain = await self.follow(url)
        if isinstance(outcome, Result):
            return outcome
        result = classify(url, outcome, chain)
        if result.status not in (Status.OK, Status.REDIRECTED) or result.soft404:
            return result
        assert isinstance(outcome, _Body)
        if outcome.too_large:
            megabytes = self.max_bytes / (1024 * 1024)
            return Result(
                Status.BROKEN,
                http_status=outcome.status,
                final_url=outcome.url,
                message=f"larger than {megabytes:g} MB: not read",
                reached=True,
            )
        return Page(
            url=url,
            final_url=outcome.url,
            content_type=outcome.content_type,
            body=outcome.body,
            redirects=list(chain.urls),
            permanent=chain.permanent,
        )


async def fetch_all(
    pages: Sequence[str],
    dois: Sequence[str],
    settings: Settings,
    max_bytes: int = MAX_BYTES,
) -> dict[str, Page | Result]:
    """Fetch web pages and DOI URLs at once, under the limits: each by the URL asked."""
    async with open_session(settings) as session:
        page_fetcher = Fetcher(session, settings, PAGE_TYPES, max_bytes)
        doi_fetcher = Fetcher(session, settings, CSL_JSON, max_bytes)
        doi_fetcher.hosts = page_fetcher.hosts  # one host, one limit, whatever is asked
        doi_fetcher.slots = page_fetcher.slots
        jobs = [(url, page_fetcher) for url in pages] + [(url, doi_fetcher) for url in dois]

        async def one(url: str, fetcher: Fetcher) -> tuple[str, Page | Result]:
            return url, await fetcher.fetch(url)

        return dict(await asyncio.gather(*(one(url, fetcher) for url, fetcher in jobs)))


def fetch_urls(
    pages: Sequence[str], dois: Sequence[str], settings: Settings, max_bytes: int = MAX_BYTES
) -> dict[str, Page | Result]:
    """Fetch (run an event loop until all are done); by URL asked."""
    if not pages and not dois:
        return {}
    return asyncio.run(fetch_all(pages, dois, settings, max_bytes))

"""Fetch pages to read what they say (`scopekit add`, `sources fill`), with check-links' rules.

The same Checker drives every request: http(s) only, the per-host and global limits, the
delay between requests to one host, 429/503 retried as the server asks, redirects followed
by hand and refused when they loop or leave the web. What differs is that each request is a
GET whose body is read, up to `max_bytes` and within the request's time limit: a larger
body, or one still arriving when the time is up, is a failure, never half a page.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import aiohttp

from scopekit.links.checker import Checker, OnResult, read_some, stamp
from scopekit.links.classify import REDIRECTS, Answer, classify, may_be_a_challenge
from scopekit.links.drift import see
from scopekit.links.model import Result, Status
from scopekit.links.session import open_session
from scopekit.links.settings import Settings

MAX_BYTES = 10 * 1024 * 1024
#: What check-links reads of a source's page to see whether it drifted.
PAGE_BYTES = 2 * 1024 * 1024
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
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

    def wanted(self, answer: _Body) -> bool:
        """Whether the body of this answer is read (every body, for `add`)."""
        return True

    async def read(self, stream: aiohttp.StreamReader) -> bytes:
        """The body (a time-out propagates: for `add`, half a page is no page)."""
        return await read_body(stream, self.max_bytes)

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
            if 200 <= status < 300 and status not in REDIRECTS and self.wanted(answer):
                declared = response.content_length
                try:
                    if declared is not None and declared > self.max_bytes:
                        raise TooLarge
                    answer.body = await self.read(response.content)
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


class PageChecker(Fetcher):
    """check-links for a source's URL: one GET whose HTML body (at most `max_bytes`) is read
    to see what the page shows now (links/drift.py). Any other body is left unread; a page
    too large to read is judged as usual, only not seen."""

    def __init__(self, checker: Checker, max_bytes: int = PAGE_BYTES) -> None:
        super().__init__(checker.session, checker.settings, PAGE_TYPES, max_bytes)
        self.slots, self.hosts, self.routes = checker.slots, checker.hosts, checker.routes

    def wanted(self, answer: _Body) -> bool:
        media = answer.content_type.split(";", 1)[0].strip().lower()
        return media in HTML_TYPES

    async def read(self, stream: aiohttp.StreamReader) -> bytes:
        """The page, read within half the time allowed: a page still arriving then is left
        unread (TooLarge), and the link is judged by its answer as any other."""
        try:
            return await asyncio.wait_for(super().read(stream), self.settings.timeout / 2)
        except asyncio.TimeoutError:
            raise TooLarge from None

    async def check(self, url: str) -> Result:
        outcome, chain = await self.follow(url)
        if isinstance(outcome, Result):
            return stamp(outcome)
        result = classify(url, outcome, chain)
        readable = result.status in (Status.OK, Status.REDIRECTED) and not result.soft404
        if readable and isinstance(outcome, _Body) and outcome.body and not outcome.too_large:
            charset = Page(url, outcome.url, outcome.content_type, b"").charset
            # parsed beside the event loop, so that other answers keep being read meanwhile
            result.seen = await asyncio.to_thread(see, outcome.body, charset, outcome.url)
        return stamp(result)


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


async def check_and_read(
    urls: Sequence[str], settings: Settings, on_result: OnResult | None, read: frozenset[str]
) -> dict[str, Result]:
    """check-links' run: every URL checked at once under the limits (`on_result` hears of
    each as it ends); those in `read` asked with one GET whose page is read."""
    async with open_session(settings) as session:
        checker = Checker(session, settings)
        reader = PageChecker(checker)

        async def one(url: str) -> tuple[str, Result]:
            result = await (reader if url in read else checker).check(url)
            if on_result is not None:
                on_result(url, result)
            return url, result

        return dict(await asyncio.gather(*(one(url) for url in urls)))


def check_pages(
    urls: Sequence[str],
    settings: Settings,
    on_result: OnResult | None = None,
    read: Collection[str] = (),
) -> dict[str, Result]:
    """Check URLs, reading the pages of those in `read` (run an event loop until all are
    done); results by URL."""
    if not urls:
        return {}
    return asyncio.run(check_and_read(urls, settings, on_result, frozenset(read)))

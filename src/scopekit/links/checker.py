"""The asynchronous link checker: polite to each host, bounded in time and bytes, honest.

Each URL is asked with HEAD first, and again with GET when HEAD is refused or answers a
client error (4xx but 429, and 501), so no link is broken or blocked on a HEAD alone.
Redirects are followed by hand (at most `max_redirects`) to record the chain and see loops.
429 and 503 are retried with backoff, honouring `Retry-After` up to a cap (a URL waiting
holds no slot, so other URLs go on). Bodies are not read, except the first `read_bytes` of
a refusal that may be a bot check; a connection left with an unread body is closed.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from urllib.parse import urljoin

import aiohttp

from scopekit.links.classify import REDIRECTS, Answer, Chain, classify, may_be_a_challenge
from scopekit.links.failures import failure
from scopekit.links.limits import Gate
from scopekit.links.model import Result, Status
from scopekit.links.session import Proxies, Settings, open_session
from scopekit.urls import host_of, is_web_url, without_fragment

RETRIED = frozenset({429, 503})


def head_refused(status: int) -> bool:
    """Whether a HEAD answer must be checked with GET: a client error (servers often refuse
    or mishandle HEAD with 403, 404, 405…) or 501 Not Implemented; 429 is retried instead."""
    return (400 <= status < 500 and status != 429) or status == 501


OnResult = Callable[[str, Result], None]


def now_iso() -> str:
    """The current time as ISO 8601 (UTC, seconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def retry_wait(header: str | None, attempt: int, settings: Settings) -> float | None:
    """Seconds to wait before retry number `attempt + 1`: `Retry-After` (seconds or a date)
    when given, else exponential backoff; None when the server asks for more than the cap."""
    wait = settings.backoff * 2**attempt
    if header:
        text = header.strip()
        if text.isdigit():
            wait = float(text)
        else:
            try:
                when = email.utils.parsedate_to_datetime(text)
                wait = max(0.0, when.timestamp() - time.time())
            except (TypeError, ValueError, IndexError):
                pass
    return wait if wait <= settings.max_retry_wait else None


class Checker:
    """Checks URLs over one session with a global and a per-host limit."""

    first_method = "HEAD"

    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.slots = Gate(settings.concurrency)
        self.hosts: dict[str, Gate] = {}
        self.proxies = Proxies()
        self.routes: dict[str, tuple[Gate, str | None]] = {}

    def route(self, url: str) -> tuple[Gate, str | None]:
        """The per-host limit and the proxy for `url`, worked out once per scheme and host."""
        origin = url.split("/", 3)[:3]
        key = "/".join(origin)
        if key not in self.routes:
            host = host_of(url)
            if host not in self.hosts:
                self.hosts[host] = Gate(self.settings.per_host)
            scheme = origin[0].rstrip(":").lower()
            self.routes[key] = (self.hosts[host], self.proxies.lookup(scheme, host))
        return self.routes[key]

    async def check(self, url: str) -> Result:
        """Follow `url` to its final answer and classify it."""
        outcome, chain = await self.follow(url)
        if isinstance(outcome, Result):
            return stamp(outcome)
        return stamp(classify(url, outcome, chain))

    async def follow(self, url: str) -> tuple[Answer | Result, Chain]:
        """Follow `url`'s redirects: the last answer and the chain that led to it, or the
        Result that ended the chain early (no answer, a loop, too many hops, not the web)."""
        chain = Chain()
        current = without_fragment(url)
        seen = {current}
        while True:
            try:
                answer = await self.answer(current, begun=bool(chain.urls))
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as exc:
                result = failure(exc, current, self.settings)
                result.redirects = list(chain.urls)
                result.reached = bool(chain.urls)
                return result, chain
            if answer.status not in REDIRECTS or not answer.location:
                return answer, chain
            target = without_fragment(urljoin(current, answer.location))
            chain.statuses.append(answer.status)
            chain.urls.append(target)
            broken = self._bad_hop(without_fragment(url), target, seen, chain)
            if broken is not None:
                result = Result(
                    Status.BROKEN,
                    http_status=answer.status,
                    final_url=target,
                    redirects=list(chain.urls),
                    message=broken,
                    reached=True,
                )
                return result, chain
            seen.add(target)
            current = target

    def _bad_hop(self, start: str, target: str, seen: set[str], chain: Chain) -> str | None:
        """Why following a redirect to `target` must stop (loop, too many, not the web)."""
        if target in seen:
            path = [start, *chain.urls]
            return "redirect loop: " + " → ".join(path[path.index(target) :])
        if len(chain.urls) > self.settings.max_redirects:
            return f"more than {self.settings.max_redirects} redirects"
        if not is_web_url(target):
            return f"redirects to {target[:80]}, not a web address"
        return None

    async def answer(self, url: str, begun: bool = False) -> Answer:
        """The answer for one URL (no redirects followed): HEAD, then GET when HEAD is
        refused; 429 and 503 retried after the wait the server asks for. Every request
        after a URL's first one goes before URLs not yet begun."""
        method = self.first_method
        attempt = 0
        while True:
            answer = await self.request(method, url, urgent=begun)
            begun = True
            status = answer.status
            if method == "HEAD" and head_refused(status):
                method = "GET"
                continue
            if status not in RETRIED or answer.challenge_header or attempt >= self.settings.retries:
                return answer
            wait = retry_wait(answer.retry_after, attempt, self.settings)
            if wait is None:
                return answer
            await asyncio.sleep(wait)
            attempt += 1

    async def request(self, method: str, url: str, urgent: bool = False) -> Answer:
        """One request under the host's and the global limits. The host slot starts its next
        request `delay` after this one started, at the earliest (without holding up the
        caller)."""
        host, proxy = self.route(url)
        await host.acquire(urgent)
        started = time.monotonic()
        try:
            await self.slots.acquire(urgent)
            try:
                return await self._send(method, url, proxy)
            finally:
                self.slots.release()
        finally:
            rest = self.settings.delay - (time.monotonic() - started)
            if rest > 0:
                asyncio.get_running_loop().call_later(rest, host.release)
            else:
                host.release()

    async def _send(self, method: str, url: str, proxy: str | None) -> Answer:
        async with self.session.request(
            method, url, allow_redirects=False, proxy=proxy
        ) as response:
            headers = response.headers
            snippet = b""
            if method == "GET" and may_be_a_challenge(response.status):
                snippet = await read_some(response.content, self.settings.read_bytes)
            return Answer(
                url=url,
                status=response.status,
                location=headers.get("Location"),
                retry_after=headers.get("Retry-After"),
                challenge_header="cf-mitigated" in headers,
                snippet=snippet,
            )


async def read_some(stream: aiohttp.StreamReader, limit: int) -> bytes:
    """At most `limit` bytes of a body; the rest is never read (the connection is dropped)."""
    data = b""
    try:
        while len(data) < limit:
            chunk = await stream.read(limit - len(data))
            if not chunk:
                break
            data += chunk
    except (aiohttp.ClientError, asyncio.TimeoutError):
        pass
    return data


def stamp(result: Result) -> Result:
    """The result with the time it was checked."""
    result.checked_at = now_iso()
    return result


async def check_all(
    urls: Sequence[str], settings: Settings, on_result: OnResult | None = None
) -> dict[str, Result]:
    """Check every URL at once under the limits; `on_result` hears of each as it ends."""
    async with open_session(settings) as session:
        checker = Checker(session, settings)

        async def one(url: str) -> tuple[str, Result]:
            result = await checker.check(url)
            if on_result is not None:
                on_result(url, result)
            return url, result

        return dict(await asyncio.gather(*(one(url) for url in urls)))


def check_urls(
    urls: Sequence[str], settings: Settings, on_result: OnResult | None = None
) -> dict[str, Result]:
    """Check URLs (run an event loop until all are done); results by URL."""
    if not urls:
        return {}
    return asyncio.run(check_all(urls, settings, on_result))

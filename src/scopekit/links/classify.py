"""From HTTP answers to a link status: ok, redirected, broken, server-error, blocked.

Pure functions: the checker gathers the answers, this module judges them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urlsplit

from scopekit.links.model import Result, Status
from scopekit.urls import host_of

REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT = frozenset({301, 308})
BY_HAND = "could not be verified automatically, check by hand"
_HOME_PATH = re.compile(r"^/?(?:(?:index|default|home)(?:\.[a-z]+)?/?)?$", re.I)
_CHALLENGE = re.compile(
    rb"captcha|challenge|just a moment|are you a robot|verify you are human", re.I
)


@dataclass
class Answer:
    """One HTTP answer: its status, the headers that matter, and the first bytes of its body."""

    url: str
    status: int
    location: str | None = None
    retry_after: str | None = None
    challenge_header: bool = False
    snippet: bytes = b""


@dataclass
class Chain:
    """The redirects followed so far: each hop's status and the URL it pointed to."""

    statuses: list[int] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    @property
    def permanent(self) -> bool:
        """Whether every hop was a permanent redirect (301, 308)."""
        return bool(self.statuses) and all(s in PERMANENT for s in self.statuses)


def phrase(status: int) -> str:
    """`404 Not Found`, or the bare number for a status HTTP does not name."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def is_home_page(url: str) -> bool:
    """Whether a URL is a site's home page (`/`, `/index.html`, no query)."""
    parts = urlsplit(url)
    return not parts.query and bool(_HOME_PATH.match(parts.path))


def _site(url: str) -> str:
    return host_of(url).removeprefix("www.")


def soft_404(original: str, final: str) -> bool:
    """A deep page that redirects to its own site's home page: likely a removed page."""
    return not is_home_page(original) and is_home_page(final) and _site(original) == _site(final)


def classify(original: str, answer: Answer, chain: Chain) -> Result:
    """The result for `original`, given the last answer and the redirects that led to it."""
    status = answer.status
    common = {
        "http_status": status,
        "final_url": answer.url,
        "redirects": list(chain.urls),
        "reached": True,
    }
    after = f" after redirecting to {answer.url}" if chain.urls else ""
    if 200 <= status < 300:
        if not chain.urls:
            return Result(Status.OK, **common)
        soft = soft_404(original, answer.url)
        if soft:
            message = (
                f"redirects to the site's home page {answer.url}: likely a removed page "
                "(soft 404); find the page's new address or an archived copy"
            )
        elif chain.permanent:
            message = f"moved permanently to {answer.url}: update the source's URL"
        else:
            message = f"redirects to {answer.url} (temporary)"
        return Result(Status.REDIRECTED, soft404=soft, message=message, **common)
    if status in REDIRECTS:
        return Result(Status.BROKEN, message=f"{phrase(status)} with no Location{after}", **common)
    if may_be_a_challenge(status) and (status != 503 or challenged(answer)):
        detail = " (a bot challenge)" if challenged(answer) else ""
        return Result(
            Status.BLOCKED, message=f"{phrase(status)}{detail}{after}: {BY_HAND}", **common
        )
    if status >= 500:
        return Result(Status.SERVER_ERROR, message=f"{phrase(status)}{after}", **common)
    return Result(Status.BROKEN, message=f"{phrase(status)}{after}", **common)


def may_be_a_challenge(status: int) -> bool:
    """Whether an answer with `status` may be a bot check (whose body is worth a look)."""
    return status in (401, 403, 429, 503) or status >= 600


def challenged(answer: Answer) -> bool:
    """Whether a refusal looks like a bot check (a challenge header, or words in the body)."""
    return answer.challenge_header or bool(_CHALLENGE.search(answer.snippet))

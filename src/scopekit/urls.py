"""URL rules shared by the checks, the renderers and the link checker."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from datetime import date
from urllib.parse import urlsplit

_SPACE = re.compile(r"\s")
BARE_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()]+", re.I)
"""A raw web address written out in prose (`https://…` or `www.…`)."""
_TRAILING = re.compile(r"[.,;:!?'\"\u2019\u201d*_]+$")


def is_web_url(url: object) -> bool:
    """Whether `url` is an absolute http(s) URL with a host (no javascript:, data:, file:)."""
    if not isinstance(url, str) or _SPACE.search(url):
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def normalise(url: str) -> str:
    """A URL folded for comparison: https scheme, lower-case host, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    path = parts.path.rstrip("/")
    text = f"{scheme}://{parts.netloc.lower()}{path}"
    if parts.query:
        text += f"?{parts.query}"
    if parts.fragment:
        text += f"#{parts.fragment}"
    return text


def typed_urls(text: str) -> Iterator[str]:
    """The web addresses written out in a run of prose, as typed, less the punctuation of
    the sentence after them ("see https://example.org/page." ends at "page")."""
    for match in BARE_URL.finditer(text):
        yield _TRAILING.sub("", match.group(0)) or match.group(0)


def bare_urls(text: str) -> Iterator[str]:
    """The web addresses written out in a run of prose, as they would be opened: trailing
    punctuation trimmed, and `www.…` given `https://`."""
    for url in typed_urls(text):
        if url.lower().startswith("www."):
            url = f"https://{url}"
        if is_web_url(url):
            yield url


def without_fragment(url: str) -> str:
    """The URL as sent to a server: no `#fragment` (a browser never sends it either)."""
    return url.split("#", 1)[0]


def is_loopback(url: str) -> bool:
    """Whether a URL names this machine (127.0.0.0/8, ::1, localhost, *.localhost)."""
    host = host_of(url)
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_of(url: str) -> str:
    """A URL's host name, lower-case ("" when it has none or cannot be read)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


_WAYBACK_STAMP = re.compile(r"/web/(\d{4})(\d{2})(\d{2})\d*(?:[a-z_]{2,3})?/")


def archive_date(url: str | None) -> date | None:
    """The day a Wayback Machine copy was made, read from its address (`/web/20240603…/`)."""
    found = _WAYBACK_STAMP.search(url or "")
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None

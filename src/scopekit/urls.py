"""URL rules shared by the checks, the renderers and the link checker."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_SPACE = re.compile(r"\s")


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

"""The aiohttp session a link-checking run makes from its Settings (links/settings.py)."""

from __future__ import annotations

import urllib.request
from urllib.parse import urlsplit

import aiohttp

from scopekit import __version__
from scopekit.links.settings import Settings
from scopekit.urls import host_of

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/126.0 Safari/537.36 scopekit/{__version__} (link check for a scoping review)"
)
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-GB,en;q=0.8",
}


def open_session(settings: Settings) -> aiohttp.ClientSession:
    """A session with a browser-like User-Agent naming scopekit (proxies: see `Proxies`)."""
    connector = aiohttp.TCPConnector(
        limit=settings.concurrency, limit_per_host=0, ttl_dns_cache=300
    )
    return aiohttp.ClientSession(
        connector=connector,
        headers=HEADERS,
        timeout=client_timeout(settings),
    )


def client_timeout(settings: Settings) -> aiohttp.ClientTimeout:
    """Total time per request (body snippet included), and a shorter one to connect."""
    return aiohttp.ClientTimeout(total=settings.timeout, sock_connect=settings.connect_limit)


class Proxies:
    """The proxies the environment names (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), as a browser in
    the same office would use them, read once per run (aiohttp's own `trust_env` asks a
    thread on every request, which halves the throughput)."""

    def __init__(self) -> None:
        self.table = urllib.request.getproxies_environment()

    def lookup(self, scheme: str, host: str) -> str | None:
        """The proxy for requests to `host` over `scheme`, or None to connect directly."""
        if not host or urllib.request.proxy_bypass_environment(host, self.table):
            return None
        return self.table.get(scheme)

    def for_url(self, url: str) -> str | None:
        """The proxy for `url`, or None to connect directly."""
        return self.lookup(urlsplit(url).scheme.lower(), host_of(url))

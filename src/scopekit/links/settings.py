"""Settings of one link-checking run: the defaults of check-links' options, declared once.

Plain data with no network library behind it, so the CLI reads its option defaults from here
at startup (`DEFAULTS`); links/session.py makes the aiohttp session from a Settings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Limits and patience of one run (the command's options, plus fixed politeness rules).

    A host sees at most `per_host` requests at once, and each of those slots starts its
    requests at least `delay` seconds apart: at most `per_host / delay` requests a second.
    Cached results younger than `max_age_hours` are reused.
    """

    concurrency: int = 32
    per_host: int = 4
    delay: float = 0.05
    timeout: float = 10.0
    max_age_hours: float = 24.0
    connect_timeout: float = 5.0
    retries: int = 2
    backoff: float = 0.5
    max_retry_wait: float = 10.0
    max_redirects: int = 10
    read_bytes: int = 4096

    @property
    def connect_limit(self) -> float:
        """Seconds allowed to connect (no more than the whole request's)."""
        return min(self.connect_timeout, self.timeout)


DEFAULTS = Settings()

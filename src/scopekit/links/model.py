"""What `check-links` works on and reports: each distinct URL, where it is used, its result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

#: Bits of a main-text fingerprint (links/drift.py), written as BITS / 4 hex digits.
BITS = 256


class Status(str, Enum):
    """How a link ended; the values are those of `check-links --json`."""

    OK = "ok"
    REDIRECTED = "redirected"
    BROKEN = "broken"
    SERVER_ERROR = "server-error"
    BLOCKED = "blocked"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"


@dataclass
class Target:
    """One distinct URL of a review and where it is used (its first place)."""

    url: str
    sources: list[str]
    file: str | None
    line: int | None
    skip_reason: str | None = None

    @property
    def checkable(self) -> bool:
        """Whether the URL is to be requested (not a skipped source)."""
        return self.skip_reason is None


@dataclass(frozen=True)
class Seen:
    """What a page showed: its titles (the metadata's, then the `<title>`'s), the simhash of
    its main text (BITS / 4 hex digits, None when it has too few words) and how many words."""

    titles: tuple[str, ...]
    fingerprint: str | None
    words: int

    @property
    def title(self) -> str | None:
        """The page's title as a reader sees it (the first one)."""
        return self.titles[0] if self.titles else None

    def to_dict(self) -> dict:
        """As the cache and sources.seen.json keep it."""
        return {"titles": list(self.titles), "fingerprint": self.fingerprint, "words": self.words}

    @classmethod
    def from_dict(cls, data: object) -> Seen | None:
        """A Seen that scopekit wrote, or None."""
        if not isinstance(data, dict):
            return None
        titles = data.get("titles")
        fingerprint = data.get("fingerprint")
        words = data.get("words")
        if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
            return None
        if fingerprint is not None and not _is_hex(fingerprint):
            return None
        if not isinstance(words, int) or isinstance(words, bool):
            return None
        return cls(tuple(titles), fingerprint, words)


def _is_hex(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(f"[0-9a-f]{{{BITS // 4}}}", value) is not None


@dataclass
class Result:
    """The outcome of checking one URL.

    `reached` says a server gave an HTTP answer; `offline` that the failure was at the DNS
    or connection level. Together they tell "no network" from a broken link.
    """

    status: Status
    http_status: int | None = None
    final_url: str | None = None
    redirects: list[str] = field(default_factory=list)
    soft404: bool = False
    message: str | None = None
    checked_at: str | None = None
    reached: bool = False
    offline: bool = False
    cached: bool = False
    seen: Seen | None = None
    """What the page showed, when its body was read (a source's page that answered)."""

    @property
    def transient(self) -> bool:
        """Whether the outcome may change within minutes (so it is not cached)."""
        return self.offline or self.status in (
            Status.TIMEOUT,
            Status.SERVER_ERROR,
            Status.BLOCKED,
        )

    def to_dict(self) -> dict:
        """The fields of a result as `check-links --json` and the cache store them."""
        return {
            "status": self.status.value,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "redirects": list(self.redirects),
            "soft404": self.soft404,
            "message": self.message,
            "checked_at": self.checked_at,
        }


@dataclass(frozen=True)
class LinkWarning:
    """A warning on a link that answers (drift: `title-changed`, `content-changed`), on the
    source it concerns and its line in sources.yaml."""

    code: str
    source: str
    line: int | None
    message: str
    hint: str

    def to_dict(self) -> dict:
        """As `check-links --json` prints it in a link's `warnings`."""
        return {
            "code": self.code,
            "source": self.source,
            "line": self.line,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class Entry:
    """A target with its result: one row of the report."""

    target: Target
    result: Result
    warnings: list[LinkWarning] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The entry as one item of `links` in `check-links --json`, with the drift warnings
        added (`warnings`, a field the shared schema allows)."""
        return {
            "url": self.target.url,
            "sources": list(self.target.sources),
            "file": self.target.file,
            "line": self.target.line,
            **self.result.to_dict(),
            "warnings": [warning.to_dict() for warning in self.warnings],
        }


@dataclass
class LinkReport:
    """Every link of a review with its result, and how the run went."""

    entries: list[Entry]
    seconds: float
    warnings: list[str] = field(default_factory=list)
    unchecked: int = 0
    """Links not judged because only this machine's servers answered (see `cut_off`)."""
    local_answered: int = 0
    """How many local (loopback) links answered in such a run."""

    @property
    def warnings_found(self) -> list[tuple[Entry, LinkWarning]]:
        """Every drift warning with the entry it is on."""
        return [(entry, warning) for entry in self.entries for warning in entry.warnings]

    def count(self, status: Status) -> int:
        """How many links ended with `status`."""
        return sum(entry.result.status is status for entry in self.entries)

    @property
    def fresh(self) -> list[Result]:
        """The results of URLs requested in this run (not skipped, not from the cache)."""
        return [e.result for e in self.entries if e.target.checkable and not e.result.cached]

    @property
    def no_network(self) -> bool:
        """No URL got any HTTP answer and every failure was at the DNS or connection level."""
        fresh = self.fresh
        return bool(fresh) and all(r.offline and not r.reached for r in fresh)

    @property
    def exit_code(self) -> int:
        """1 when a link is broken, else 3 when links were left unchecked for want of a
        network, else 0."""
        if self.count(Status.BROKEN):
            return 1
        return 3 if self.unchecked else 0

    def summary(self) -> dict:
        """`summary` of `check-links --json`: links checked, seconds, a count per status, and
        how many drift warnings (`warnings`, a field the schema allows)."""
        checked = sum(entry.target.checkable for entry in self.entries)
        counts = {status.value: self.count(status) for status in Status}
        drift = len(self.warnings_found)
        return {"checked": checked, "seconds": round(self.seconds, 3), **counts, "warnings": drift}

    def to_dict(self) -> dict:
        """The report as `check-links --json` prints it."""
        return {"links": [entry.to_dict() for entry in self.entries], "summary": self.summary()}

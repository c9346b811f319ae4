"""The link cache, `DIR/.scopekit/links.json`: results with the time they were checked (and
what a source's page showed, for the drift warnings).

Results that may change within minutes (timeouts, server errors, blocked, no connection) are
never reused, only kept as the last word on the link (`last_statuses`, for the notes that
show an archived copy when the live URL is broken or blocked). A corrupt or foreign file is
ignored with a warning and replaced on the next save.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scopekit.atomic import write_atomic
from scopekit.errors import OutputError
from scopekit.links.model import Result, Seen, Status

CACHE_FILE = Path(".scopekit") / "links.json"
_KIND = "scopekit link cache"
_VERSION = 1


def cache_path(root: Path) -> Path:
    """Where a review keeps its link cache."""
    return root / CACHE_FILE


def _parse_time(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _result(data: object) -> Result | None:
    """A cached result, or None when the item is not one scopekit wrote."""
    if not isinstance(data, dict):
        return None
    try:
        status = Status(data["status"])
        redirects = [str(url) for url in data.get("redirects") or []]
        http_status = data.get("http_status")
        if http_status is not None and not isinstance(http_status, int):
            return None
    except (KeyError, TypeError, ValueError):
        return None
    if _parse_time(data.get("checked_at")) is None:
        return None
    return Result(
        status,
        http_status=http_status,
        final_url=data.get("final_url") if isinstance(data.get("final_url"), str) else None,
        redirects=redirects,
        soft404=data.get("soft404") is True,
        message=data.get("message") if isinstance(data.get("message"), str) else None,
        checked_at=data["checked_at"],
        reached=http_status is not None,
        cached=True,
        seen=Seen.from_dict(data.get("seen")),
    )


def load(root: Path, max_age_hours: float) -> tuple[dict[str, Result], str | None]:
    """Results checked less than `max_age_hours` ago, by URL, and a warning if the file
    could not be used."""
    path = cache_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"cannot read the link cache {path}: {exc}; ignored"
    try:
        data = json.loads(text)
    except ValueError as exc:
        return {}, f"the link cache {path} is corrupt ({exc}); ignored, it will be rewritten"
    if (
        not isinstance(data, dict)
        or data.get("kind") != _KIND
        or data.get("version") != _VERSION
        or not isinstance(data.get("links"), dict)
    ):
        return {}, f"{path} is not a scopekit link cache; ignored, it will be rewritten"
    oldest = datetime.now(timezone.utc) - timedelta(hours=max_age_hours)
    fresh: dict[str, Result] = {}
    for url, item in data["links"].items():
        result = _result(item)
        if result is None or (isinstance(item, dict) and item.get("transient")):
            continue
        if _parse_time(result.checked_at) >= oldest:
            fresh[url] = result
    return fresh, None


def last_statuses(root: Path) -> dict[str, Result]:
    """What the last check-links run found for each URL, whatever its age, passing failures
    (blocked, timeouts) included: for the notes of a build, which never asks the web."""
    try:
        data = json.loads(cache_path(root).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    links = data.get("links") if isinstance(data, dict) and data.get("kind") == _KIND else None
    if not isinstance(links, dict):
        return {}
    found = {url: _result(item) for url, item in links.items()}
    return {url: result for url, result in found.items() if result is not None}


def _item(result: Result) -> dict:
    """A result as the cache keeps it: its JSON fields, what its page showed, and whether it
    may change within minutes (kept for `last_statuses`, never reused by `load`)."""
    item = result.to_dict()
    if result.seen is not None:
        item["seen"] = result.seen.to_dict()
    if result.transient:
        item["transient"] = True
    return item


def save(root: Path, results: dict[str, Result]) -> str | None:
    """Keep the lasting results by URL; a warning if the file cannot be written."""
    links = {url: _item(r) for url, r in sorted(results.items())}
    text = json.dumps({"kind": _KIND, "version": _VERSION, "links": links}, indent=1) + "\n"
    try:
        write_atomic(cache_path(root), text.encode("utf-8"))
    except OutputError as exc:
        return f"the link cache was not saved: {exc.message}"
    return None

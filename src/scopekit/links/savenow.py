"""Save Page Now (SPN2): ask the Internet Archive to capture pages, politely and resumably.

One capture at a time: a capture request (`POST /save`, `url=…`, answered with a job id),
then the job's status (`GET /save/status/JOB`) every `interval` seconds until it is a
success (its timestamp makes the archived URL), an error, or `MAX_WAIT` has passed.
Requests start at least `interval` seconds apart (5 s: twelve a minute, within the limits
the archive publishes), a 429 is waited out as its `Retry-After` asks (up to a cap, else
the queue stops), and a refusal of the keys (401, 403) stops the queue.

The queue is kept in `DIR/.scopekit/archive-queue.json` and rewritten after every step, and
each capture is written into sources.yaml as soon as it is made: after Ctrl-C, running
`check-links --save-archive` again polls the jobs already submitted and goes on.

`SCOPEKIT_SAVE_URL` replaces the endpoint (tests use a loopback stub),
`SCOPEKIT_SAVE_INTERVAL` the interval; `SCOPEKIT_ARCHIVE_KEYS=ACCESS:SECRET` (the user's
archive.org S3 keys) is sent as SPN2 asks, `Authorization: LOW ACCESS:SECRET`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from scopekit.atomic import write_atomic
from scopekit.errors import OutputError
from scopekit.links.checker import read_some, retry_wait
from scopekit.links.classify import phrase
from scopekit.links.failures import failure
from scopekit.links.session import Proxies, Settings, open_session

SAVE_API = "https://web.archive.org/save"
WAYBACK = "https://web.archive.org/web"
INTERVAL = 5.0
MAX_WAIT = 120.0
QUEUE_FILE = Path(".scopekit") / "archive-queue.json"
_KIND = "scopekit save queue"
_MAX_ANSWER = 64 * 1024
_TIMESTAMP = re.compile(r"^\d{14}$")


def endpoint() -> str:
    """The Save Page Now endpoint to ask."""
    return (os.environ.get("SCOPEKIT_SAVE_URL") or SAVE_API).rstrip("/")


def interval() -> float:
    """Seconds between two requests to Save Page Now (`SCOPEKIT_SAVE_INTERVAL`, else 5)."""
    try:
        return max(0.0, float(os.environ.get("SCOPEKIT_SAVE_INTERVAL", INTERVAL)))
    except ValueError:
        return INTERVAL


def wayback_url(timestamp: str, url: str) -> str:
    """The Wayback Machine's address of the capture of `url` at `timestamp`."""
    return f"{WAYBACK}/{timestamp}/{url}"


@dataclass
class Job:
    """One page to capture for a source, and its SPN2 job once submitted."""

    source: str
    url: str
    job: str | None = None


@dataclass
class Saved:
    """What a run of the queue did: captures made, failures, and jobs left for next time."""

    saved: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    left: list[Job] = field(default_factory=list)
    stopped: str | None = None
    warnings: list[str] = field(default_factory=list)


class Stop(Exception):
    """The archive refuses the whole queue (keys refused, rate limit beyond the cap)."""


class JobFailed(Exception):
    """The archive could not capture this page."""


def load_queue(root: Path) -> list[Job]:
    """The jobs left by an earlier run (none when the file is missing or not scopekit's)."""
    try:
        data = json.loads((root / QUEUE_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("kind") != _KIND:
        return []
    jobs = []
    for item in data.get("jobs") or []:
        if isinstance(item, dict) and isinstance(item.get("source"), str):
            job = item.get("job")
            if isinstance(item.get("url"), str):
                jobs.append(Job(item["source"], item["url"], job if isinstance(job, str) else None))
    return jobs


def save_queue(root: Path, jobs: list[Job]) -> bool:
    """Keep the jobs not done yet (the file is removed when there are none); False when the
    file cannot be written (an interrupted run then submits its jobs again)."""
    path = root / QUEUE_FILE
    items = [{"source": j.source, "url": j.url, "job": j.job} for j in jobs]
    text = json.dumps({"kind": _KIND, "version": 1, "jobs": items}, indent=1) + "\n"
    try:
        if not jobs:
            path.unlink(missing_ok=True)
        else:
            write_atomic(path, text.encode("utf-8"))
    except (OSError, OutputError):
        return False
    return True


def plan(root: Path, wanted: list[tuple[str, str]]) -> list[Job]:
    """The queue for this run: the jobs an interrupted run left (for sources still wanted at
    the same URL, their job ids kept), then the new ones."""
    want = dict(wanted)
    kept = [job for job in load_queue(root) if want.get(job.source) == job.url]
    known = {job.source for job in kept}
    return kept + [Job(source, url) for source, url in wanted if source not in known]


class _Archive:
    def __init__(self, session: aiohttp.ClientSession, settings: Settings) -> None:
        self.session = session
        self.settings = settings
        self.api = endpoint()
        self.proxy = Proxies().for_url(self.api)
        self.interval = interval()
        self.last = 0.0
        keys = os.environ.get("SCOPEKIT_ARCHIVE_KEYS", "").strip()
        self.headers = {"Accept": "application/json"}
        if keys:
            self.headers["Authorization"] = f"LOW {keys}"

    async def _ask(self, method: str, url: str, data: dict | None = None) -> dict:
        """One request, `interval` after the last one began; 429 waited out, then JSON."""
        attempt = 0
        while True:
            rest = self.last + self.interval - time.monotonic()
            if rest > 0:
                await asyncio.sleep(rest)
            self.last = time.monotonic()
            try:
                async with self.session.request(
                    method, url, data=data, headers=self.headers, proxy=self.proxy
                ) as response:
                    body = await read_some(response.content, _MAX_ANSWER)
                    status, after = response.status, response.headers.get("Retry-After")
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError) as exc:
                reason = failure(exc, url, self.settings).message
                raise Stop(f"cannot reach Save Page Now: {reason}") from None
            if status == 429:
                wait = retry_wait(after, attempt, self.settings)
                if wait is None or attempt >= self.settings.retries:
                    raise Stop("Save Page Now asks to slow down (429 Too Many Requests)")
                attempt += 1
                await asyncio.sleep(wait)
                continue
            if status in (401, 403):
                raise Stop(
                    f"Save Page Now refused the request ({phrase(status)}): set "
                    "SCOPEKIT_ARCHIVE_KEYS=ACCESS:SECRET to your archive.org S3 keys"
                )
            if status >= 400:
                raise JobFailed(f"Save Page Now answered {phrase(status)}")
            try:
                answer = json.loads(body)
            except ValueError:
                raise JobFailed("Save Page Now's answer is not JSON") from None
            if not isinstance(answer, dict):
                raise JobFailed("Save Page Now's answer is not an SPN2 answer")
            return answer

    async def submit(self, job: Job) -> None:
        answer = await self._ask("POST", self.api, {"url": job.url, "skip_first_archive": "1"})
        if not isinstance(answer.get("job_id"), str):
            raise JobFailed(_reason(answer))
        job.job = answer["job_id"]

    async def poll(self, job: Job) -> str | None:
        """The archived URL once the job succeeded; None when it is still pending."""
        answer = await self._ask("GET", f"{self.api}/status/{job.job}")
        state = answer.get("status")
        if state == "success":
            stamp = str(answer.get("timestamp", ""))
            if not _TIMESTAMP.match(stamp):
                raise JobFailed("Save Page Now gave no timestamp for the capture")
            return wayback_url(stamp, str(answer.get("original_url") or job.url))
        if state == "pending":
            return None
        raise JobFailed(_reason(answer))


def _reason(answer: dict) -> str:
    message = answer.get("message") or answer.get("status_ext") or "no reason given"
    return f"Save Page Now could not capture it: {str(message)[:200]}"


async def _run(
    root: Path, jobs: list[Job], settings: Settings, on_saved: Callable[[str, str], bool]
) -> Saved:
    saved = Saved()
    queue = list(jobs)
    async with open_session(settings) as session:
        archive = _Archive(session, settings)
        while queue:
            job = queue[0]
            try:
                if job.job is None:
                    await archive.submit(job)
                    save_queue(root, queue)
                began = time.monotonic()
                found = await archive.poll(job)
                while found is None and time.monotonic() - began < MAX_WAIT:
                    found = await archive.poll(job)
            except JobFailed as exc:
                saved.failed.append((job.source, str(exc)))
                queue.pop(0)
                save_queue(root, queue)
                continue
            except Stop as exc:
                saved.stopped = str(exc)
                break
            queue.pop(0)
            if found is None:
                saved.left.append(job)  # still being captured: polled again next run
            elif on_saved(job.source, found):
                saved.saved.append((job.source, found))
            save_queue(root, queue + saved.left)
    saved.left += queue
    return saved


def save_pages(
    root: Path,
    wanted: list[tuple[str, str]],
    settings: Settings,
    on_saved: Callable[[str, str], bool],
) -> Saved:
    """Capture each (source id, URL) with Save Page Now, resuming an interrupted queue;
    `on_saved(source, archived_url)` records each capture as soon as it is made."""
    jobs = plan(root, wanted)
    if not jobs:
        return Saved()
    save_queue(root, jobs)
    return asyncio.run(_run(root, jobs, settings, on_saved))

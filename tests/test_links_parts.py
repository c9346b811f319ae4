"""The parts behind `check-links`: in-place YAML edits, URL helpers, retry waits, the gate."""

from __future__ import annotations

import asyncio
import email.utils
import time
from pathlib import Path

import pytest

from scopekit.links.checker import retry_wait
from scopekit.links.classify import is_home_page, soft_404
from scopekit.links.limits import Gate
from scopekit.links.session import Settings
from scopekit.review.yaml_edit import YamlEditor
from scopekit.urls import bare_urls


def edit_accessed(path: Path, value: str = "2026-11-25") -> bool:
    """Set `accessed` of the first source; whether the file was written."""
    editor = YamlEditor(path)
    entry = editor.data[0]
    done = editor.set(entry, "accessed", value, ("URL",))
    return done and editor.save()


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            b"- id: a\r\n  URL: https://x.org/\r\n",
            b"- id: a\r\n  URL: https://x.org/\r\n  accessed: 2026-11-25\r\n",
        ),
        (
            b"- id: a\n  URL: https://x.org/",
            b"- id: a\n  URL: https://x.org/\n  accessed: 2026-11-25",
        ),
        (
            b"\xef\xbb\xbf- id: a\n  accessed: 2024-05-01\n",
            b"\xef\xbb\xbf- id: a\n  accessed: 2026-11-25\n",
        ),
        (b"- id: a\n  accessed:   # when?\n", b"- id: a\n  accessed: 2026-11-25   # when?\n"),
        (b'- id: a\n  accessed: "2024-05"\n', b'- id: a\n  accessed: "2026-11-25"\n'),
        (
            b"- URL: https://x.org/\n  id: a\n",
            b"- URL: https://x.org/\n  accessed: 2026-11-25\n  id: a\n",
        ),
        (b"- {id: a, accessed: 2024-05-01}\n", b"- {id: a, accessed: 2026-11-25}\n"),
    ],
    ids=["crlf", "no-final-newline", "bom", "empty-value", "double-quoted", "url-first", "flow"],
)
def test_an_edit_changes_only_the_value(tmp_path: Path, before: bytes, after: bytes) -> None:
    path = tmp_path / "sources.yaml"
    path.write_bytes(before)
    assert edit_accessed(path)
    assert path.read_bytes() == after


@pytest.mark.parametrize(
    "text",
    [
        "- {id: a, URL: https://x.org/}\n",
        "- &base\n  id: a\n  accessed: 2024-05-01\n- <<: *base\n  id: b\n",
        "- id: a\n  accessed:\n    2024-05-01\n",
    ],
    ids=["flow-insert", "anchor", "value-on-next-line"],
)
def test_an_edit_that_would_touch_more_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    assert not edit_accessed(path)
    assert path.read_text(encoding="utf-8") == text


def test_bare_urls_lose_trailing_punctuation_and_gain_a_scheme() -> None:
    text = "See https://a.org/x. Or www.b.org/y, and (https://c.org/z)!"
    assert list(bare_urls(text)) == ["https://a.org/x", "https://www.b.org/y", "https://c.org/z"]


def test_a_soft_404_is_a_deep_page_sent_to_its_own_home_page() -> None:
    assert is_home_page("https://a.org/") and is_home_page("https://a.org/index.html")
    assert not is_home_page("https://a.org/?page=2")
    assert soft_404("https://www.a.org/news/item", "https://a.org/")
    assert not soft_404("https://a.org/", "https://a.org/")
    assert not soft_404("https://a.org/news/item", "https://b.org/")


def test_retry_wait_reads_seconds_and_dates_up_to_the_cap() -> None:
    settings = Settings(max_retry_wait=10, backoff=0.5)
    assert retry_wait("3", 0, settings) == 3
    assert retry_wait(None, 2, settings) == 2.0
    assert retry_wait("nonsense", 0, settings) == 0.5
    assert retry_wait("3600", 0, settings) is None
    soon = email.utils.formatdate(time.time() + 5, usegmt=True)
    assert 3 <= retry_wait(soon, 0, settings) <= 5


def test_the_gate_lets_urgent_waiters_in_first() -> None:
    async def scenario() -> list[str]:
        gate = Gate(1)
        order: list[str] = []
        await gate.acquire()

        async def wait(name: str, urgent: bool) -> None:
            await gate.acquire(urgent)
            order.append(name)
            gate.release()

        tasks = [asyncio.create_task(wait(n, n.startswith("urgent"))) for n in ("a", "b", "urgent")]
        await asyncio.sleep(0)
        gate.release()
        await asyncio.gather(*tasks)
        return order

    assert asyncio.run(scenario()) == ["urgent", "a", "b"]

"""`check-links --save-archive`: Save Page Now captures of the working sources without a
recent copy, polite and resumable, against a loopback SPN2 stub (tests/linkserver.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, copy_review, invoke
from linkserver import LinkServer

from scopekit.links.savenow import QUEUE_FILE, Job, save_pages, save_queue
from scopekit.links.settings import Settings
from scopekit.review.yaml_reader import load_yaml

STAMP = "20261125093000"


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> LinkServer:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with LinkServer() as server:
        monkeypatch.setenv("SCOPEKIT_SAVE_URL", server.url("save"))
        monkeypatch.setenv("SCOPEKIT_ARCHIVE_URL", server.url("wayback"))
        monkeypatch.setenv("SCOPEKIT_SAVE_INTERVAL", "0.05")
        server.state.wayback = "none"
        yield server


def make_review(tmp_path: Path, entries: str) -> Path:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "review")
    (folder / "sources.yaml").write_text(entries, encoding="utf-8")
    return folder


def source(source_id: str, url: str, archived: str | None = None) -> str:
    text = f"- id: {source_id}\n  type: webpage\n  title: Page {source_id}\n"
    text += f"  URL: {url}\n  accessed: 2026-05-01\n"
    return text + (f"  archived: {archived}\n" if archived else "")


def save(folder: Path, *args: str):
    return invoke("check-links", str(folder), "--delay", "0", "--save-archive", *args)


def archived(folder: Path) -> dict[str, str | None]:
    items = load_yaml((folder / "sources.yaml").read_text(encoding="utf-8"))
    return {item["id"]: item.get("archived") for item in items}


def test_working_sources_without_a_recent_copy_are_captured(
    site: LinkServer, tmp_path: Path
) -> None:
    old = "https://web.archive.org/web/20200101000000/" + site.url("ok?b")
    recent = "https://web.archive.org/web/20260601000000/" + site.url("ok?d")
    folder = make_review(
        tmp_path,
        "\n".join(
            [
                source("a", site.url("ok?a")),
                source("b", site.url("ok?b"), old),
                source("c", site.url("status/404")),
                source("d", site.url("ok?d"), recent),
            ]
        ),
    )
    result = save(folder)
    assert result.exit_code == 1, result.output  # c is broken
    assert archived(folder) == {
        "a": f"https://web.archive.org/web/{STAMP}/{site.url('ok?a')}",
        "b": f"https://web.archive.org/web/{STAMP}/{site.url('ok?b')}",
        "c": None,
        "d": recent,
    }
    assert [url for url, _, _ in site.state.saves] == [site.url("ok?a"), site.url("ok?b")]
    assert "archived copy saved for a" in result.output
    assert not (folder / QUEUE_FILE).exists()
    text = (folder / "sources.yaml").read_text(encoding="utf-8")
    assert text.count("archived:") == 3 and "  accessed: 2026-05-01\n  archived: https" in text


def test_a_recent_copy_in_the_archive_is_used_without_a_capture(
    site: LinkServer, tmp_path: Path
) -> None:
    site.state.wayback = None  # the availability API has a copy from today
    folder = make_review(tmp_path, source("a", site.url("ok?a")))
    assert save(folder).exit_code == 0
    assert archived(folder)["a"].startswith("https://web.archive.org/web/20261125")
    assert site.state.saves == []


def test_requests_keep_their_distance_and_a_429_is_waited_out(
    site: LinkServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCOPEKIT_SAVE_INTERVAL", "0.3")
    folder = make_review(tmp_path, source("a", site.url("ok?a")) + source("b", site.url("ok?b")))
    assert save(folder).exit_code == 0
    (_, first, _), (_, second, _) = site.state.saves
    assert second - first >= 0.3 * 3  # a's status asked twice between the two captures
    assert site.state.too_many == 0

    site.state.saves.clear()
    site.state.save_gap = 0.5  # the stub's limit is stricter than our interval
    monkeypatch.setenv("SCOPEKIT_SAVE_INTERVAL", "0")
    folder = make_review(
        tmp_path / "again", source("e", site.url("ok?e")) + source("f", site.url("ok?f"))
    )
    result = save(folder)
    assert result.exit_code == 0, result.output
    assert site.state.too_many >= 1, result.stderr
    assert all(archived(folder).values()), result.stderr


def test_an_interrupted_queue_is_resumed_without_asking_again(
    site: LinkServer, tmp_path: Path
) -> None:
    folder = make_review(tmp_path, source("a", site.url("ok?a")) + source("b", site.url("ok?b")))
    with pytest.raises(KeyboardInterrupt):

        def interrupt(source_id: str, url: str) -> bool:
            raise KeyboardInterrupt

        wanted = [("a", site.url("ok?a")), ("b", site.url("ok?b"))]
        save_pages(folder, wanted, Settings(delay=0), interrupt)
    queue = json.loads((folder / QUEUE_FILE).read_text(encoding="utf-8"))
    assert [(job["source"], job["job"]) for job in queue["jobs"]] == [("a", "spn2-1"), ("b", None)]

    result = save(folder)
    assert result.exit_code == 0, result.output
    assert [url for url, _, _ in site.state.saves] == [site.url("ok?a"), site.url("ok?b")]
    assert all(archived(folder).values())  # a's job polled, not asked for again
    assert not (folder / QUEUE_FILE).exists()


def test_a_queue_for_another_url_is_dropped(site: LinkServer, tmp_path: Path) -> None:
    folder = make_review(tmp_path, source("a", site.url("ok?a")))
    save_queue(folder, [Job("a", site.url("ok?old"), "spn2-99")])
    assert save(folder).exit_code == 0
    assert [url for url, _, _ in site.state.saves] == [site.url("ok?a")]


def test_keys_are_sent_and_a_refusal_stops_the_queue(
    site: LinkServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.state.keys = "LOW access:secret"
    folder = make_review(tmp_path, source("a", site.url("ok?a")) + source("b", site.url("ok?b")))
    result = save(folder)
    assert result.exit_code == 0
    assert "SCOPEKIT_ARCHIVE_KEYS" in result.stderr
    assert "2 page(s) still to archive (a, b)" in result.stderr
    assert set(archived(folder).values()) == {None}

    monkeypatch.setenv("SCOPEKIT_ARCHIVE_KEYS", "access:secret")
    assert save(folder).exit_code == 0
    assert all(archived(folder).values())
    assert {keys for _, _, keys in site.state.saves} == {"LOW access:secret"}


def test_a_page_the_archive_will_not_capture_is_named(site: LinkServer, tmp_path: Path) -> None:
    folder = make_review(
        tmp_path, source("x", site.url("ok?excluded")) + source("a", site.url("ok?a"))
    )
    result = save(folder)
    assert result.exit_code == 0
    assert "source 'x': no archived copy saved" in result.stderr
    assert "exclusion list" in result.stderr
    assert archived(folder)["x"] is None and archived(folder)["a"]


def test_no_archive_is_a_warning_not_a_traceback(tmp_path: Path, monkeypatch) -> None:
    with LinkServer() as server:
        folder = make_review(tmp_path, source("a", server.url("ok")))
        monkeypatch.setenv("SCOPEKIT_SAVE_URL", "http://127.0.0.1:9/save")
        monkeypatch.setenv("SCOPEKIT_ARCHIVE_URL", "http://127.0.0.1:9/wayback")
        monkeypatch.setenv("SCOPEKIT_SAVE_INTERVAL", "0")
        result = invoke("check-links", str(folder), "--delay", "0", "--save-archive")
    assert result.exit_code == 0
    assert "cannot reach Save Page Now" in result.stderr
    assert "Traceback" not in result.output


def test_ctrl_c_says_how_to_go_on(
    site: LinkServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("scopekit.links.edit.save_archives", interrupted)
    folder = make_review(tmp_path, source("a", site.url("ok?a")))
    result = save(folder)
    assert result.exit_code == 130
    assert "run check-links --save-archive again to go on" in result.stderr
    assert "scopekit: interrupted" in result.stderr

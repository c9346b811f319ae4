"""`scopekit check-links`: each status, the limits, the cache, the record it keeps.

Every URL points at servers the tests start on 127.0.0.x (tests/linkserver.py), at a closed
loopback port, or at a `.invalid` name (which never resolves); no test touches the internet.
"""

from __future__ import annotations

import difflib
import itertools
import json
import shutil
import time
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from conftest import (
    CLEAN_REVIEW,
    REPO_ROOT,
    SCHEMAS_DIR,
    TODAY,
    assert_no_traceback,
    copy_review,
    line_of,
    parse_json_output,
    runner,
)
from linkserver import HUGE, LinkServer, closed_port_url
from typer.testing import Result

from scopekit.cli import app

FAST = ("--delay", "0", "--timeout", "3")
UNKNOWN_HOST = "http://nonexistent.invalid/page"
_ENV_KEPT_OUT = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
)


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy (loopback must be reached directly) and no forced colour terminal."""
    for name in _ENV_KEPT_OUT:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def site() -> LinkServer:
    with LinkServer(hosts=3) as server:
        yield server


@cache
def links_schema() -> dict:
    """The JSON Schema of `check-links --json`: the shared design's, else the repo's copy."""
    for folder in (SCHEMAS_DIR, REPO_ROOT / "docs" / "schemas"):
        path = folder / "check-links.schema.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise AssertionError("check-links.schema.json is neither in shared/ nor in docs/schemas/")


def make_review(root: Path, sources: str, prose: str = "") -> Path:
    """The clean review with these sources (YAML text) and `prose` added to findings.md
    (and no `.scopekit` caches that other tests may have left in the fixture)."""
    folder = copy_review(CLEAN_REVIEW, root / "review")
    shutil.rmtree(folder / ".scopekit", ignore_errors=True)
    (folder / "sources.yaml").write_text(sources, encoding="utf-8")
    if prose:
        with (folder / "findings.md").open("a", encoding="utf-8") as handle:
            handle.write(f"\n{prose}\n")
    return folder


def sources_yaml(urls: dict[str, str | None]) -> str:
    """sources.yaml text: one web page per id, with its URL (none when None)."""
    entries = []
    for source_id, url in urls.items():
        entry = f"- id: {source_id}\n  type: webpage\n  title: Page {source_id}\n"
        if url is not None:
            entry += f"  URL: '{url}'\n  accessed: 2024-05-01\n"
        entries.append(entry)
    return "\n".join(entries)


def check_links(folder: Path, *args: str, **env: str) -> Result:
    """Run `scopekit check-links FOLDER ARGS` in-process, with fast options."""
    result = runner.invoke(
        app, ["check-links", str(folder), *FAST, *args], env={"SCOPEKIT_TODAY": TODAY, **env}
    )
    assert_no_traceback(result)
    return result


def run_json(folder: Path, *args: str, **env: str) -> tuple[int, dict]:
    """`check-links --json`: exit status and the JSON, checked against the schema."""
    result = check_links(folder, "--json", *args, **env)
    data = parse_json_output(result)
    jsonschema.validate(data, links_schema())
    return result.exit_code, data


def by_url(data: dict) -> dict[str, dict]:
    return {link["url"]: link for link in data["links"]}


# ------------------------------------------------------------------ every status

# path on the site → (status, HTTP status, words in the message)
STATUSES = {
    "ok": ("ok", 200, None),
    "redirect/301/ok": ("redirected", 200, "update the source's URL"),
    "redirect/302/ok": ("redirected", 200, "temporary"),
    "moved-home": ("redirected", 200, "soft 404"),
    "status/404": ("broken", 404, "404 Not Found"),
    "status/410": ("broken", 410, "410 Gone"),
    "redirect/302/status/404": ("broken", 404, "after redirecting"),
    "loop": ("broken", 302, "redirect loop"),
    "chain/12": ("broken", 302, "more than 10 redirects"),
    "status/500": ("server-error", 500, "500 Internal Server Error"),
    "challenge": ("blocked", 403, "bot challenge"),
    "challenge?status=503": ("blocked", 503, "bot challenge"),
    "status/403": ("blocked", 403, "check by hand"),
    "status/401": ("blocked", 401, "check by hand"),
    "no-head": ("ok", 200, None),
    "no-head?status=501": ("ok", 200, None),
}


@pytest.fixture(scope="module")
def status_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[LinkServer, Path, int, dict]:
    """One run over a review that uses every kind of link."""
    with LinkServer() as server:
        urls = {f"s{n}": server.url(path) for n, path in enumerate(STATUSES)}
        urls |= {"unknown-host": UNKNOWN_HOST, "no-url": None, "script": "javascript:void(0)"}
        prose = f"A raw {server.url('deep/raw')}. And [a page]({server.url('deep/linked')})."
        folder = make_review(tmp_path_factory.mktemp("statuses"), sources_yaml(urls), prose)
        with pytest.MonkeyPatch.context() as patch:
            for name in _ENV_KEPT_OUT:
                patch.delenv(name, raising=False)
            code, data = run_json(folder)
        yield server, folder, code, data


@pytest.mark.parametrize("path", STATUSES)
def test_each_kind_of_link_gets_its_status(status_run, path: str) -> None:
    server, _, _, data = status_run
    status, http_status, words = STATUSES[path]
    link = by_url(data)[server.url(path)]
    assert (link["status"], link["http_status"]) == (status, http_status), link
    if words is None:
        assert link["message"] is None
    else:
        assert words in link["message"]
    assert link["soft404"] == (path == "moved-home")
    assert link["checked_at"]


def test_redirects_record_the_chain_and_the_final_url(status_run) -> None:
    server, _, _, data = status_run
    links = by_url(data)
    moved = links[server.url("redirect/301/ok")]
    assert moved["redirects"] == [server.url("ok")]
    assert moved["final_url"] == server.url("ok")
    assert links[server.url("chain/12")]["redirects"][:2] == [
        server.url("chain/11"),
        server.url("chain/10"),
    ]
    loop = links[server.url("loop")]
    assert loop["redirects"] == [server.url("loop-b"), server.url("loop")]


def test_unknown_host_is_broken_with_the_reason(status_run) -> None:
    _, _, code, data = status_run
    link = by_url(data)[UNKNOWN_HOST]
    assert (link["status"], link["http_status"]) == ("broken", None)
    assert "unknown host nonexistent.invalid" in link["message"]
    assert code == 1


def test_sources_without_a_web_url_are_skipped(status_run) -> None:
    _, folder, _, data = status_run
    skipped = {link["sources"][0]: link for link in data["links"] if link["status"] == "skipped"}
    assert set(skipped) == {"no-url", "script"}
    assert skipped["no-url"]["url"] == ""
    assert skipped["no-url"]["line"] == line_of(folder / "sources.yaml", "id: no-url")
    assert skipped["script"]["checked_at"] is None


def test_places_are_the_url_lines_and_prose_links_have_no_sources(status_run) -> None:
    server, folder, _, data = status_run
    links = by_url(data)
    ok = links[server.url("ok")]
    assert (ok["file"], ok["sources"]) == ("sources.yaml", ["s0"])
    assert ok["line"] == line_of(folder / "sources.yaml", f"URL: '{server.url('ok')}'")
    findings = folder / "findings.md"
    for path in ("deep/raw", "deep/linked"):
        link = links[server.url(path)]
        assert (link["file"], link["sources"], link["status"]) == ("findings.md", [], "ok")
        assert link["line"] == line_of(findings, "A raw ")


def test_summary_counts_every_status(status_run) -> None:
    _, _, _, data = status_run
    summary = data["summary"]
    for status in ("ok", "redirected", "broken", "server-error", "blocked", "timeout", "skipped"):
        assert summary[status] == sum(link["status"] == status for link in data["links"])
    assert summary["checked"] == len(data["links"]) - summary["skipped"]


def test_a_source_url_is_asked_with_one_get_and_prose_links_with_head(status_run) -> None:
    server, _, _, _ = status_run
    for path in ("/no-head", "/status/410", "/challenge", "/status/500"):
        assert server.state.methods(path) == ["GET"], path  # the page is read for drift
    assert set(server.state.methods("/ok")) == {"GET"}  # also reached by redirects
    assert server.state.methods("/deep/raw") == ["HEAD"]


def test_head_is_confirmed_by_get_when_refused(site: LinkServer, tmp_path: Path) -> None:
    paths = ("no-head", "no-head?status=501", "status/410", "challenge", "status/401")
    links = [f"[page {n}]({site.url(path)})" for n, path in enumerate(paths)]
    links += [f"[more]({site.url(path)})" for path in ("ok", "status/500", "challenge?status=503")]
    run_json(make_review(tmp_path, "", " ".join(links)))
    for path in paths:
        assert site.state.methods("/" + path) == ["HEAD", "GET"], path
    assert site.state.methods("/ok") == ["HEAD"]
    assert site.state.methods("/status/500") == ["HEAD"]
    assert site.state.methods("/challenge?status=503") == ["HEAD"]


# ------------------------------------------------------------------ retries and timeouts


def one_link(site: LinkServer, tmp_path: Path, path: str, *args: str) -> tuple[dict, float]:
    """Check a review whose one source is `path` on the site; the link and the seconds taken."""
    folder = make_review(tmp_path, sources_yaml({"only": site.url(path)}))
    start = time.monotonic()
    _, data = run_json(folder, *args)
    return data["links"][0], time.monotonic() - start


def test_503_is_retried_then_a_server_error(site: LinkServer, tmp_path: Path) -> None:
    link, _ = one_link(site, tmp_path, "busy?status=503&times=9&after=0")
    assert (link["status"], link["http_status"]) == ("server-error", 503)
    assert site.state.hits["/busy?status=503&times=9&after=0"] == 3


def test_429_after_the_retries_is_blocked(site: LinkServer, tmp_path: Path) -> None:
    link, _ = one_link(site, tmp_path, "busy?times=9&after=0")
    assert (link["status"], link["http_status"]) == ("blocked", 429)
    assert "check by hand" in link["message"]
    assert site.state.hits["/busy?times=9&after=0"] == 3


def test_retry_after_is_honoured(site: LinkServer, tmp_path: Path) -> None:
    link, _ = one_link(site, tmp_path, "busy?after=1")
    assert link["status"] == "ok"
    first, second = site.state.times("/busy?after=1")
    assert second - first >= 0.95


def test_retry_after_beyond_the_cap_is_not_waited_for(site: LinkServer, tmp_path: Path) -> None:
    link, seconds = one_link(site, tmp_path, "busy?after=3600&times=9")
    assert link["status"] == "blocked"
    assert site.state.hits["/busy?after=3600&times=9"] == 1
    assert seconds < 3


def test_a_hanging_server_times_out(site: LinkServer, tmp_path: Path) -> None:
    link, seconds = one_link(site, tmp_path, "hang", "--timeout", "0.5")
    assert (link["status"], link["http_status"]) == ("timeout", None)
    assert "0.5 s" in link["message"]
    assert seconds < 3


def test_a_huge_body_is_not_read(site: LinkServer, tmp_path: Path) -> None:
    link, seconds = one_link(site, tmp_path, "huge")
    assert link["status"] == "ok"
    assert site.state.methods("/huge") == ["GET"]  # a source's page, but not HTML: not read
    assert seconds < 5
    assert site.state.huge_sent < HUGE // 4


# ------------------------------------------------------------------ politeness


def test_the_per_host_and_global_limits_hold(site: LinkServer, tmp_path: Path) -> None:
    urls = {
        f"h{host}-{n}": site.url(f"ok?sleep=0.15&n={n}", host)
        for host in (1, 2, 3)
        for n in range(8)
    }
    folder = make_review(tmp_path, sources_yaml(urls))
    code, data = run_json(folder, "--per-host", "2", "--concurrency", "5")
    assert code == 0 and data["summary"]["ok"] == 24
    assert set(site.state.peak) == {"127.0.0.1", "127.0.0.2", "127.0.0.3"}
    assert max(site.state.peak.values()) == 2
    assert site.state.peak_total <= 5


def test_requests_to_one_host_are_spaced_by_the_delay(site: LinkServer, tmp_path: Path) -> None:
    urls = {f"p{n}": site.url(f"ok?n={n}") for n in range(3)}
    folder = make_review(tmp_path, sources_yaml(urls))
    run_json(folder, "--per-host", "1", "--delay", "0.2")
    starts = sorted(when for _, _, path, when in site.state.requests if path.startswith("/ok"))
    assert len(starts) == 3
    assert all(later - earlier >= 0.18 for earlier, later in itertools.pairwise(starts))


def test_each_url_is_checked_once(site: LinkServer, tmp_path: Path) -> None:
    url = site.url("deep/shared")
    sources = sources_yaml({"first": url, "second": url + "#part"})
    folder = make_review(tmp_path, sources, prose=f"See {url}.")
    _, data = run_json(folder)
    assert [(link["url"], link["sources"]) for link in data["links"]] == [
        (url, ["first", "second"])
    ]
    assert site.state.hits["/deep/shared"] == 1


# ------------------------------------------------------------------ no network


def test_no_network_says_so_in_one_line_and_exits_3(tmp_path: Path) -> None:
    sources = sources_yaml({"a": closed_port_url("a"), "b": UNKNOWN_HOST, "c": None})
    folder = make_review(tmp_path, sources)
    result = check_links(folder, "--json")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no network" in result.stderr
    assert not (folder / ".scopekit" / "links.json").exists()


def test_a_refused_connection_among_answers_is_broken(site: LinkServer, tmp_path: Path) -> None:
    refused = closed_port_url("gone")
    folder = make_review(tmp_path, sources_yaml({"a": refused, "b": site.url("ok")}))
    code, data = run_json(folder)
    assert code == 1
    link = by_url(data)[refused]
    assert link["status"] == "broken"
    assert "connection refused" in link["message"]


# ------------------------------------------------------------------ the cache


def test_results_are_reused_within_max_age(site: LinkServer, tmp_path: Path) -> None:
    folder = make_review(tmp_path, sources_yaml({"a": site.url("ok"), "b": site.url("status/404")}))
    _, first = run_json(folder)
    assert json.loads((folder / ".scopekit" / "links.json").read_text())["links"]
    _, second = run_json(folder)
    assert second["links"] == first["links"]
    assert site.state.hits["/ok"] == 1
    run_json(folder, "--no-cache")
    assert site.state.hits["/ok"] == 2
    run_json(folder, "--max-age", "0")
    assert site.state.hits["/ok"] == 3


def test_passing_failures_are_not_cached(site: LinkServer, tmp_path: Path) -> None:
    folder = make_review(tmp_path, sources_yaml({"a": site.url("status/500")}))
    run_json(folder)
    run_json(folder)
    assert site.state.methods("/status/500") == ["GET", "GET"]


@pytest.mark.parametrize("content", ["{not json", '["a list"]', '{"kind": "other", "links": {}}'])
def test_a_corrupt_or_foreign_cache_is_ignored_with_a_warning(
    site: LinkServer, tmp_path: Path, content: str
) -> None:
    folder = make_review(tmp_path, sources_yaml({"a": site.url("ok")}))
    cache_file = folder / ".scopekit" / "links.json"
    cache_file.parent.mkdir()
    cache_file.write_text(content, encoding="utf-8")
    result = check_links(folder, "--json")
    assert result.exit_code == 0
    assert "warning" in result.stderr and "links.json" in result.stderr
    assert parse_json_output(result)["links"][0]["status"] == "ok"
    assert json.loads(cache_file.read_text())["kind"] == "scopekit link cache"


# ------------------------------------------------------------------ --update-accessed

SOURCES = """\
# Sources for the link tests.   Comments, quoting and order must survive.

- id: quoted   # the first source
  type: webpage
  title: 'Quoted: a title'
  URL: "{ok}"
  accessed: '2024-05-01'    # quoted on purpose
  remark: keep me

- id: undated
  type: webpage
  title: No access date yet
  URL: {deep}

- id: broken
  type: webpage
  title: Gone
  URL: {missing}
  accessed: 2024-05-01

- id: moved
  type: webpage
  title: Moved
  URL: {moved}
  accessed: 2024-05-01

- id: offline
  type: report
  title: An offline report
"""


def record_review(site: LinkServer, tmp_path: Path, review_edit: tuple[str, str] | None = None):
    urls = {
        "ok": site.url("ok"),
        "deep": site.url("deep/page"),
        "missing": site.url("status/404"),
        "moved": site.url("redirect/301/ok"),
    }
    folder = make_review(tmp_path, SOURCES.format(**urls))
    if review_edit is not None:
        path = folder / "review.yaml"
        path.write_text(path.read_text().replace(*review_edit), encoding="utf-8")
    return folder


def changes(before: str, after: str) -> list[str]:
    """The lines removed (-) and added (+), in order."""
    diff = difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True))
    return [line for line in diff if line[:1] in "+-"]


def test_update_accessed_changes_only_the_verified_dates(site: LinkServer, tmp_path: Path) -> None:
    folder = record_review(site, tmp_path)
    sources_before = (folder / "sources.yaml").read_text()
    review_before = (folder / "review.yaml").read_text()
    result = check_links(folder, "--update-accessed")
    assert result.exit_code == 1
    assert changes(sources_before, (folder / "sources.yaml").read_text()) == [
        "-   accessed: '2024-05-01'    # quoted on purpose\n",
        f"+   accessed: '{TODAY}'    # quoted on purpose\n",
        f"+   accessed: {TODAY}\n",
    ]
    after = (folder / "sources.yaml").read_text().splitlines()
    assert after[after.index(f"  URL: {site.url('deep/page')}") + 1] == f"  accessed: {TODAY}"
    assert changes(review_before, (folder / "review.yaml").read_text()) == [f"+ updated: {TODAY}\n"]
    review_after = (folder / "review.yaml").read_text().splitlines()
    assert review_after[review_after.index("published: 2024-06") + 1] == f"updated: {TODAY}"
    assert f"accessed set to {TODAY} for quoted, undated" in result.stdout


def test_update_accessed_sets_a_field_written_in_another_case(
    site: LinkServer, tmp_path: Path
) -> None:
    """`url:` and `Accessed:` are read as URL and accessed, so they are the ones set."""
    sources = (
        f"- id: dated\n  type: webpage\n  title: Dated\n  url: {site.url('ok')}\n"
        "  Accessed: 2024-05-01\n\n"
        f"- id: undated\n  type: webpage\n  title: Undated\n  url: {site.url('deep/page')}\n"
    )
    folder = make_review(tmp_path, sources)
    result = check_links(folder, "--update-accessed")
    assert changes(sources, (folder / "sources.yaml").read_text()) == [
        "-   Accessed: 2024-05-01\n",
        f"+   Accessed: {TODAY}\n",
        f"+   accessed: {TODAY}\n",
    ]
    assert f"accessed set to {TODAY} for dated, undated" in result.stdout


def test_update_accessed_leaves_a_review_that_checks(site: LinkServer, tmp_path: Path) -> None:
    folder = record_review(site, tmp_path)
    check_links(folder, "--update-accessed")
    result = runner.invoke(app, ["check", str(folder), "--json"], env={"SCOPEKIT_TODAY": TODAY})
    codes = {problem["code"] for problem in parse_json_output(result)["problems"]}
    assert not codes & {"accessed-after-published", "invalid-date", "unreadable"}


def test_updated_is_replaced_in_place(site: LinkServer, tmp_path: Path) -> None:
    edit = ("published: 2024-06\n", "published: 2024-06\nupdated: 2024-07   # first revision\n")
    folder = record_review(site, tmp_path, edit)
    before = (folder / "review.yaml").read_text()
    check_links(folder, "--update-accessed")
    assert changes(before, (folder / "review.yaml").read_text()) == [
        "- updated: 2024-07   # first revision\n",
        f"+ updated: {TODAY}   # first revision\n",
    ]


def test_updated_takes_the_place_of_the_placeholder_new_writes(
    site: LinkServer, tmp_path: Path
) -> None:
    placeholder = "# updated: YYYY-MM-DD          # a later revision\n"
    edit = ("published: 2024-06\n", "published: 2024-06\n" + placeholder)
    folder = record_review(site, tmp_path, edit)
    before = (folder / "review.yaml").read_text()
    check_links(folder, "--update-accessed")
    assert changes(before, (folder / "review.yaml").read_text()) == [
        "- " + placeholder,
        f"+ updated: {TODAY}\n",
    ]


def test_updated_is_kept_when_today_is_not_after_it(site: LinkServer, tmp_path: Path) -> None:
    edit = ("published: 2024-06\n", "published: 2024-06\nupdated: 2026-11\n")
    folder = record_review(site, tmp_path, edit)
    before = (folder / "review.yaml").read_bytes()
    check_links(folder, "--update-accessed")
    assert (folder / "review.yaml").read_bytes() == before


def test_without_the_option_nothing_is_written(site: LinkServer, tmp_path: Path) -> None:
    folder = record_review(site, tmp_path)
    before = {p.name: p.read_bytes() for p in folder.glob("*.yaml")}
    check_links(folder)
    assert {p.name: p.read_bytes() for p in folder.glob("*.yaml")} == before


# ------------------------------------------------------------------ --archive


def test_archive_records_the_nearest_snapshot(site: LinkServer, tmp_path: Path) -> None:
    sources = (
        f"- id: page\n  type: webpage\n  title: Page\n  URL: {site.url('ok')}\n"
        "  accessed: 2024-05-01\n\n"
        f"- id: unarchived\n  type: webpage\n  title: Unarchived\n"
        f"  URL: {site.url('deep/missing')}\n  accessed: 2024-05-02\n\n"
        f"- id: kept\n  type: webpage\n  title: Kept\n  URL: {site.url('deep/kept')}\n"
        "  accessed: 2024-05-03\n  archived: https://web.archive.org/web/2024/kept\n"
    )
    folder = make_review(tmp_path, sources)
    result = check_links(folder, "--archive", SCOPEKIT_ARCHIVE_URL=site.url("wayback"))
    assert result.exit_code == 0
    snapshot = f"https://web.archive.org/web/20240501000000/{site.url('ok')}"
    assert changes(sources, (folder / "sources.yaml").read_text()) == [
        f"+   archived: {snapshot}\n"
    ]
    lines = (folder / "sources.yaml").read_text().splitlines()
    assert lines[lines.index("  accessed: 2024-05-01") + 1] == f"  archived: {snapshot}"
    assert "'unarchived': the archive has no copy" in result.stderr
    asked = [path for _, _, path, _ in site.state.requests if path.startswith("/wayback")]
    assert len(asked) == 2 and all("timestamp=202405" in path for path in asked)


def test_archive_without_an_archive_warns(site: LinkServer, tmp_path: Path) -> None:
    folder = make_review(tmp_path, sources_yaml({"a": site.url("ok")}))
    before = (folder / "sources.yaml").read_bytes()
    result = check_links(folder, "--archive", SCOPEKIT_ARCHIVE_URL=closed_port_url("available"))
    assert result.exit_code == 0
    assert "no archived copy looked up" in result.stderr
    assert (folder / "sources.yaml").read_bytes() == before


# ------------------------------------------------------------------ the command line


def test_text_output_groups_links_by_status(site: LinkServer, tmp_path: Path) -> None:
    urls = {"fine": site.url("ok"), "gone": site.url("status/404"), "later": None}
    folder = make_review(tmp_path, sources_yaml(urls))
    result = check_links(folder)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    broken = lines.index("broken (1):")
    where = f"{folder}/sources.yaml:{line_of(folder / 'sources.yaml', 'status/404')}"
    assert lines[broken + 1] == f"  {where}  gone  {site.url('status/404')}"
    assert lines[broken + 2].strip() == "404 Not Found"
    assert lines.index("ok (1):") < lines.index("skipped (1):") < broken
    assert lines[-1].startswith("review: 3 links in ")
    assert "1 ok, 1 broken, 1 skipped" in lines[-1]


def test_a_terminal_gets_a_table(site: LinkServer, tmp_path: Path) -> None:
    folder = make_review(tmp_path, sources_yaml({"gone": site.url("status/404")}))
    result = check_links(folder, FORCE_COLOR="1")
    assert "broken (1)" in result.stdout
    assert "404" in result.stdout and "gone" in result.stdout
    assert "┃" in result.stdout


def test_an_unreadable_review_is_reported_like_check(tmp_path: Path) -> None:
    result = check_links(tmp_path)
    assert result.exit_code == 2
    assert "error[unreadable]" in result.stdout
    result = check_links(tmp_path, "--json")
    assert result.exit_code == 2
    assert result.stdout == "" and "error[unreadable]" in result.stderr


@pytest.mark.parametrize("option", ["--concurrency", "--per-host"])
def test_a_limit_below_one_is_a_usage_error(tmp_path: Path, option: str) -> None:
    assert check_links(tmp_path, option, "0").exit_code == 2


def test_ctrl_c_keeps_the_cache_as_it_was(site: LinkServer, tmp_path: Path) -> None:
    """Interrupted (SIGINT, as Ctrl-C sends) while checking: one line, no traceback, and the
    cache file exactly as it was."""
    import os
    import signal
    import subprocess
    import sys
    import time

    urls = {"fast": site.url("ok?n=1")}
    folder = make_review(tmp_path, sources_yaml(urls))
    assert run_json(folder)[0] == 0
    cache = folder / ".scopekit" / "links.json"
    before = cache.read_bytes()
    urls.update({f"slow{n}": site.url(f"ok?sleep=20&n={n}") for n in range(3)})
    (folder / "sources.yaml").write_text(sources_yaml(urls), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in _ENV_KEPT_OUT}
    process = subprocess.Popen(
        [sys.executable, "-m", "scopekit", "check-links", str(folder), "--no-cache"],
        env={**env, "SCOPEKIT_TODAY": TODAY},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any("sleep=20" in r[2] for r in site.state.requests):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, (out, err)
    assert "Traceback" not in out + err
    assert err.strip().splitlines()[-1] == "scopekit: interrupted"
    assert cache.read_bytes() == before
    assert not list(cache.parent.glob("*.scopekit-tmp"))

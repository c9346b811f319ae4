"""What the commands say (issue 14.10): `build` sums up its warnings in one line by code,
`new` quotes the paths of its next steps, `check-links` with only local servers answering
says "no network" instead of calling every external link broken."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, SOCIAL_VALUE_REVIEW, copy_review, invoke, run_check
from linkserver import LinkServer
from test_check_links import (
    UNKNOWN_HOST,
    by_url,
    check_links,
    make_review,
    plain_environment,  # noqa: F401  (autouse: no proxy for loopback)
    run_json,
    sources_yaml,
)

WARNING_LINE = re.compile(r"^\S+:\d+: warning\[", re.M)


def test_build_sums_up_the_warnings_in_one_line_by_code(tmp_path: Path) -> None:
    review = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social value")
    _, data = run_check(review, "--json")
    codes: dict[str, int] = {}
    for problem in data["problems"]:
        codes[problem["code"]] = codes.get(problem["code"], 0) + 1
    assert data["errors"] == 0 and data["warnings"] > 10 and len(codes) > 1

    result = invoke("build", str(review), "--format", "html")

    assert result.exit_code == 0, result.output
    assert not WARNING_LINE.search(result.output)
    first, built = result.stdout.splitlines()
    by_count = sorted(codes.items(), key=lambda item: (-item[1], item[0]))
    counts = ", ".join(f"{n} {code}" for code, n in by_count)
    assert first == (
        f"{data['warnings']} warnings ({counts}): run `scopekit check {shlex.quote(str(review))}` "
        "to list them"
    )
    assert built.startswith("html ")


def test_build_verbose_lists_every_warning(tmp_path: Path) -> None:
    review = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    _, data = run_check(review, "--json")
    result = invoke("build", str(review), "--format", "html", "--verbose")
    assert result.exit_code == 0, result.output
    assert len(WARNING_LINE.findall(result.output)) == data["warnings"]
    assert "to list them" not in result.output


def test_build_lists_every_error_and_sums_up_the_warnings(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "review")
    findings = review / "findings.md"
    findings.write_text(
        findings.read_text(encoding="utf-8")
        + "\nSee [@nobody] and [@no-one-either]. TODO: more. And [here](@dft-cwis2).\n",
        encoding="utf-8",
    )
    for args in ((), ("--force",)):
        result = invoke("build", str(review), "--format", "html", *args)
        assert len(re.findall(r"error\[unknown-source\]", result.stdout)) == 2
        assert not WARNING_LINE.search(result.stdout)
        assert "2 warnings (1 todo, 1 vague-link-text): run `scopekit check" in result.stdout
        assert result.exit_code == (0 if args else 1)


def test_one_warning_is_said_in_the_singular(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "review")
    (review / "methods.md").write_text("# Methods\n\nTODO.\n", encoding="utf-8")
    result = invoke("build", str(review), "--format", "html")
    assert result.stdout.splitlines()[0] == (
        f"1 warning (1 todo): run `scopekit check {review}` to list it"
    )


def test_library_build_sums_up_each_review(tmp_path: Path) -> None:
    library = tmp_path / "library"
    copy_review(SOCIAL_VALUE_REVIEW, library / "social-value")
    copy_review(CLEAN_REVIEW, library / "clean")
    result = invoke("build", str(library), "--format", "html")
    assert result.exit_code == 0, result.output
    assert not WARNING_LINE.search(result.output)
    summaries = [line for line in result.stdout.splitlines() if "to list them" in line]
    assert summaries == [
        line for line in summaries if f"scopekit check {library / 'social-value'}`" in line
    ]
    assert len(summaries) == 1


@pytest.mark.parametrize("name", ["my review", "it's-mine", "plain"])
def test_new_quotes_the_paths_it_suggests(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    result = invoke("new", str(folder), "--title", "Active travel")
    assert result.exit_code == 0, result.output
    quoted = shlex.quote(str(folder))
    assert f"`scopekit check {quoted}` lists them" in result.stdout
    assert f"add your sources to {shlex.quote(str(folder / 'sources.yaml'))} and" in result.stdout
    assert f"3. scopekit build {quoted}\n" in result.stdout
    assert (name == "plain") == (quoted == str(folder))
    # the suggested command works as printed
    args = shlex.split(result.stdout.split("3. ", 1)[1].splitlines()[0])
    assert args[:2] == ["scopekit", "build"] and Path(args[2]) == folder
    shutil.rmtree(folder)


# ------------------------------------------------------------------ check-links offline


def test_no_network_with_only_local_links_answering(tmp_path: Path) -> None:
    with LinkServer() as site:
        urls = {
            "local": site.url("ok"),
            "a": UNKNOWN_HOST,
            "b": "https://nowhere.invalid/report.pdf",
            "c": "http://elsewhere.invalid/",
        }
        folder = make_review(tmp_path, sources_yaml(urls))
        code, data = run_json(folder)
        text = check_links(folder, "--no-cache")
    assert code == 3
    links = by_url(data)
    assert links[urls["local"]]["status"] == "ok"
    for key in ("a", "b", "c"):
        assert links[urls[key]]["status"] == "skipped"
        assert links[urls[key]]["message"].startswith("not checked: no network (unknown host")
    assert data["summary"]["broken"] == 0
    assert text.exit_code == 3
    assert "broken" not in text.stdout.replace("0 broken", "")
    assert text.stderr.strip().splitlines()[-1] == (
        "scopekit: no network: 3 external links could not be checked; 1 local link answered"
    )
    cache = (folder / ".scopekit" / "links.json").read_text(encoding="utf-8")
    assert site.url("ok") in cache and "invalid" not in cache


def test_a_broken_local_link_still_fails_when_offline(tmp_path: Path) -> None:
    with LinkServer() as site:
        urls = {
            "local": site.url("status/404"),
            "a": UNKNOWN_HOST,
            "b": "https://nowhere.invalid/report.pdf",
        }
        code, data = run_json(make_review(tmp_path, sources_yaml(urls)))
    assert code == 1
    assert by_url(data)[urls["local"]]["status"] == "broken"
    assert by_url(data)[UNKNOWN_HOST]["status"] == "skipped"


def test_one_unknown_host_among_local_answers_is_broken(tmp_path: Path) -> None:
    with LinkServer() as site:
        urls = {"local": site.url("ok"), "a": UNKNOWN_HOST, "b": "http://nonexistent.invalid/x"}
        code, data = run_json(make_review(tmp_path, sources_yaml(urls)))
    assert code == 1
    assert by_url(data)[UNKNOWN_HOST]["status"] == "broken"

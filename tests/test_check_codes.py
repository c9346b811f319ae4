"""Each problem code of `scopekit check`, one fixture review at a time.

tests/checks/<code>/[<variant>/] is an overlay on tests/checks/clean/: the files
of the smallest change that triggers <code> (tests/checks/README.md). Its
expected.txt gives the exit status and the exact problems, as
`FILE:LINE: severity[code]`; nothing else may be reported.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from conftest import (
    CHECKS_DIR,
    CLEAN_REVIEW,
    CLI_CONTRACT,
    FixtureReviews,
    copy_review,
    expected_folders,
    fixture_ids,
    format_keys,
    invoke,
    parse_expected,
    parse_json_output,
    problem_keys,
    run_check,
)
from driftsite import DriftSite

# The problem codes of cli.md and their severities, used when the shared
# design folder is not beside the repo.
CONTRACT_CODES = {
    "unreadable": "error",
    "missing-field": "error",
    "unknown-source": "error",
    "duplicate-id": "error",
    "invalid-date": "error",
    "accessed-in-future": "error",
    "accessed-after-published": "error",
    "search-range": "error",
    "bad-url": "error",
    "missing-section": "error",
    "refused-resource": "error",
    "unused-source": "warning",
    "missing-accessed": "warning",
    "missing-url": "warning",
    "duplicate-url": "warning",
    "stale-accessed": "warning",
    "date-typo-in-prose": "warning",
    "prose-search-mismatch": "warning",
    "bare-link": "warning",
    "vague-link-text": "warning",
    "raw-html": "warning",
    "missing-alt-text": "warning",
    "unknown-field": "warning",
    "todo": "warning",
    "unparsed-citation": "warning",
    "unknown-note": "error",
    "unused-note": "warning",
    "unknown-style": "error",
    "open-comment": "warning",
    "pending-change": "warning",
    "reporting-item": "warning",
    "flow-mismatch": "warning",
    "uncharted-source": "warning",
    "title-changed": "warning",
    "content-changed": "warning",
}
# The codes of cli.md's "Codes added in wave 2" that are in force: their issue has landed.
LANDED_WAVE_2 = {
    "unparsed-citation",
    "unknown-note",
    "unused-note",
    "unknown-style",
    "open-comment",
    "pending-change",
    "reporting-item",
    "flow-mismatch",
    "uncharted-source",
    "title-changed",
    "content-changed",
}
# Codes of the project's own, beyond cli.md's tables: documented in docs/checks.md like the rest.
PROJECT_CODES = {
    "missing-heading": "warning",
    "large-image": "warning",
    "merge-conflict": "error",
    "unread-markdown": "warning",
}

# Codes that only `check --reporting` reports: their fixtures are checked with it.
REPORTING_CODES = {"reporting-item"}
# Codes that only `check-links` reports: their fixtures are checked against tests/driftsite.py
# (the fixture's URLs pointed at it), and must give `check` nothing.
LINK_CODES = {"title-changed", "content-changed"}


def _large_photo(review: Path) -> None:
    """A 6 MB PNG: a real one, padded after its end (viewers stop at IEND)."""
    png = (CLEAN_REVIEW / "figures" / "mode-share.png").read_bytes()
    (review / "figures" / "photo.png").write_bytes(png + bytes(6_000_000))


# Files a fixture needs that are too large for git, made in a copy of it before it is checked.
GENERATED = {"large-image": _large_photo}

FOLDERS = expected_folders()
FOLDER_IDS = fixture_ids(FOLDERS)


def contract_codes() -> dict[str, str]:
    """code → severity, from the table in cli.md when it is there."""
    if not CLI_CONTRACT.is_file():
        return CONTRACT_CODES
    text = CLI_CONTRACT.read_text(encoding="utf-8")
    row = re.compile(r"^\| ([a-z][a-z0-9-]*) \| (error|warning)\b", flags=re.M)
    wave_2 = text.partition("## Codes added in wave 2")[2].partition("## ")[0]
    table = text.partition("## Problem codes of `check`")[2]
    landed = [(code, sev) for code, sev in row.findall(wave_2) if code in LANDED_WAVE_2]
    return dict(row.findall(table) + landed)


def all_codes() -> dict[str, str]:
    """code → severity of every code check may report: the contract's and the project's own."""
    return contract_codes() | PROJECT_CODES


def code_of(folder: Path) -> str:
    """The code a fixture folder is for: its first path part under tests/checks."""
    return folder.relative_to(CHECKS_DIR).parts[0]


@pytest.mark.parametrize("folder", FOLDERS, ids=FOLDER_IDS)
def test_fixture_reports_exactly_the_expected_problems(
    folder: Path, fixture_review: FixtureReviews, tmp_path: Path
) -> None:
    expected_exit, expected = parse_expected(folder / "expected.txt")
    review = fixture_review(folder)
    if code_of(folder) in GENERATED:
        review = copy_review(folder, tmp_path / folder.name)
        GENERATED[code_of(folder)](review)
    args = ("--reporting",) if code_of(folder) in REPORTING_CODES else ()
    exit_code, data = run_check(review, "--json", *args)
    got = problem_keys(data)
    if code_of(folder) in LINK_CODES:
        assert exit_code == 0, got
        exit_code, links = run_check_links(copy_review(folder, tmp_path / folder.name))
        got |= links
    assert got == expected, (
        f"\nexpected:\n{format_keys(expected)}\ngot:\n{format_keys(got)}\n"
        f"missing:\n{format_keys(expected - got)}\nunexpected:\n{format_keys(got - expected)}"
    )
    assert exit_code == expected_exit


def run_check_links(review: Path) -> tuple[int, set]:
    """`check-links --json` over the review, its URLs on tests/driftsite.py: the exit status
    and the (file, line, severity, code) of each drift warning."""
    with DriftSite() as site:
        site.rewrite(review)
        result = invoke("check-links", str(review), "--json", "--delay", "0", "--timeout", "5")
    data = parse_json_output(result)
    keys = {
        (link["file"], warning["line"], "warning", warning["code"])
        for link in data["links"]
        for warning in link["warnings"]
    }
    return result.exit_code, keys


def test_the_clean_review_has_no_drift() -> None:
    with tempfile.TemporaryDirectory() as folder:
        assert run_check_links(copy_review(CLEAN_REVIEW, Path(folder) / "clean")) == (0, set())


def test_the_clean_review_has_no_problems() -> None:
    exit_code, data = run_check(CLEAN_REVIEW, "--json")
    assert data["problems"] == []
    assert (data["errors"], data["warnings"], exit_code) == (0, 0, 0)


def test_fallback_code_list_matches_the_contract() -> None:
    if not CLI_CONTRACT.is_file():
        pytest.skip(f"{CLI_CONTRACT} not found (shared/ is not beside the repo)")
    assert contract_codes() == CONTRACT_CODES


def test_every_contract_code_has_a_fixture() -> None:
    covered = {
        code for folder in FOLDERS for _, _, _, code in parse_expected(folder / "expected.txt")[1]
    }
    missing = sorted(set(all_codes()) - covered)
    assert missing == [], f"no fixture under tests/checks/ reports {missing}"


@pytest.mark.parametrize("folder", FOLDERS, ids=FOLDER_IDS)
def test_expected_file_is_consistent_with_the_contract(folder: Path) -> None:
    """Fixture sanity: the folder is named after a code it triggers, every
    expected code has the contract's severity, and the exit status follows."""
    codes = all_codes()
    expected_exit, expected = parse_expected(folder / "expected.txt")
    name = code_of(folder)
    if name != "clean":
        assert name in codes, f"tests/checks/{name}/ is not named after a problem code"
        assert name in {code for *_, code in expected}
    for _, _, severity, code in expected:
        assert codes.get(code) == severity, f"{code} is a {codes.get(code)} in cli.md"
    severities = {severity for *_, severity, _ in expected}
    if "unreadable" in {code for *_, code in expected}:
        assert expected_exit == 2
    else:
        assert expected_exit == (1 if "error" in severities else 0)


@pytest.mark.parametrize(
    ("file", "text", "cp1252"),
    [
        # Pasted from Word and saved as Windows-1252, not UTF-8.
        ("background.md", "the city's", b"the city\x92s"),
        ("findings.md", "drop-off", b"drop\x96off"),
        ("sources.yaml", "London's", b"London\x92s"),
        ("review.yaml", "Okafor", b"Ok\xe1for"),
    ],
    ids=["background.md", "findings.md", "sources.yaml", "review.yaml"],
)
def test_unreadable_when_a_file_is_not_utf8(
    tmp_path: Path, file: str, text: str, cp1252: bytes
) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "review")
    path = review / file
    original = path.read_bytes()
    line = original[: original.index(text.encode())].count(b"\n") + 1
    path.write_bytes(original.replace(text.encode(), cp1252, 1))

    exit_code, data = run_check(review, "--json")

    assert exit_code == 2
    assert [(p["file"], p["severity"], p["code"]) for p in data["problems"]] == [
        (file, "error", "unreadable")
    ]
    assert data["problems"][0]["line"] in (None, line)

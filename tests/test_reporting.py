"""`scopekit check --reporting` (issue 17.1): the item catalogue, each status for each item
family, the table in text and JSON (its own schema), `reporting-item` warnings, and the flow
counts (`flow-mismatch`, the PRISMA2020 names)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import (
    CHECKS_DIR,
    CLEAN_REVIEW,
    REPO_ROOT,
    SOCIAL_VALUE_REVIEW,
    copy_review,
    edit,
    run_check,
)

from scopekit.reporting.catalogue import ITEMS, PRISMA_S, PRISMA_SCR, RAPID
from scopekit.reporting.table import assess
from scopekit.review import load_review

REPORTED = CHECKS_DIR / "reporting-item"  # every reporting field given, but `protocol`
SCHEMA = json.loads(
    (REPO_ROOT / "docs" / "schemas" / "check-reporting.schema.json").read_text(encoding="utf-8")
)


@pytest.fixture
def reported(tmp_path: Path) -> Path:
    """A copy of the fully reported fixture, to change one thing in."""
    return copy_review(REPORTED, tmp_path / "reporting-item")


def statuses(folder: Path) -> dict[str, str]:
    """`PRISMA-ScR 5` → its status."""
    return {row.item.label: row.verdict.status.value for row in assess(load_review(folder)).rows}


def add(folder: Path, text: str) -> None:
    review = folder / "review.yaml"
    review.write_text(review.read_text(encoding="utf-8") + text, encoding="utf-8")


# ----------------------------------------------------------------------------- catalogue


def test_the_catalogue_has_every_item_of_each_standard_once() -> None:
    numbers = {
        standard: [int(i.number) for i in ITEMS if i.standard == standard]
        for standard in (PRISMA_SCR, PRISMA_S, RAPID)
    }
    assert numbers[PRISMA_SCR] == list(range(1, 23))
    assert numbers[PRISMA_S] == list(range(1, 17))
    assert numbers[RAPID] == list(range(1, 7))
    assert len({item.label for item in ITEMS}) == len(ITEMS)


# ------------------------------------------------------------------- PRISMA-ScR statuses


def test_prisma_scr_statuses(reported: Path) -> None:
    got = statuses(reported)
    assert got["PRISMA-ScR 4"] == "ok"  # questions
    assert got["PRISMA-ScR 5"] == "missing"  # no protocol
    assert got["PRISMA-ScR 12"] == "declared"  # appraisal: none
    assert got["PRISMA-ScR 3"] == "manual"  # rationale: a person judges
    assert got["PRISMA-ScR 16"] == "n/a"  # no appraisal, so no appraisal results
    assert got["PRISMA-ScR 17"] == "ok"  # every cited source charted
    add(reported, "protocol: https://osf.io/abcde\n")
    edit(reported / "sources.yaml", "  charting:\n    organisation: Charity\n", "  x:\n    y: z\n")
    got = statuses(reported)
    assert got["PRISMA-ScR 5"] == "ok"
    assert got["PRISMA-ScR 17"] == "partial"  # one cited source without a row


def test_prisma_scr_eligibility_without_rationale_is_partial(reported: Path) -> None:
    edit(reported / "review.yaml", "  rationale: Set with", "  # rationale: Set with")
    assert statuses(reported)["PRISMA-ScR 6"] == "partial"


def test_prose_gives_partial_never_ok(reported: Path) -> None:
    edit(reported / "review.yaml", "limitations:\n  - Schemes", "other:\n  - Schemes")
    edit(reported / "review.yaml", "other:\n", "")
    (reported / "review.yaml").write_text(
        (reported / "review.yaml")
        .read_text(encoding="utf-8")
        .replace("  - Schemes that councils did not publish online were missed.\n", ""),
        encoding="utf-8",
    )
    assert statuses(reported)["PRISMA-ScR 20"] == "missing"
    findings = reported / "findings.md"
    findings.write_text(
        findings.read_text(encoding="utf-8") + "\nOne limitation is the small sample.\n",
        encoding="utf-8",
    )
    table = assess(load_review(reported))
    [row] = [r for r in table.rows if r.item.label == "PRISMA-ScR 20"]
    assert row.verdict.status.value == "partial"
    assert (row.verdict.file, row.verdict.line) == (
        "findings.md",
        len(findings.read_text(encoding="utf-8").splitlines()),
    )


# --------------------------------------------------------------------- PRISMA-S statuses


def test_prisma_s_statuses(reported: Path) -> None:
    got = statuses(reported)
    assert got["PRISMA-S 4"] == "ok"  # a website and a search engine
    assert got["PRISMA-S 1"] == "n/a"  # no database searched
    assert got["PRISMA-S 14"] == "declared"  # peer_review: none
    assert got["PRISMA-S 11"] == "manual"
    edit(reported / "searches.yaml", "  run: 2024-05-21\n", "")
    got = statuses(reported)
    assert got["PRISMA-S 13"] == "partial"  # one search of two has no run date
    edit(reported / "searches.yaml", "  run: 2024-05-20\n", "")
    assert statuses(reported)["PRISMA-S 13"] == "missing"


def test_a_database_without_its_platform_is_partial_and_with_it_ok(reported: Path) -> None:
    edit(reported / "searches.yaml", "kind: website", "kind: database")
    assert statuses(reported)["PRISMA-S 1"] == "partial"
    edit(reported / "searches.yaml", "kind: database\n", "kind: database\n  platform: NICE\n")
    assert statuses(reported)["PRISMA-S 1"] == "ok"


def test_searches_without_a_kind_cannot_be_told_apart() -> None:
    got = statuses(CLEAN_REVIEW)
    # databases, platforms, registries: a person must look (as PRISMA-S 2 and 3 say);
    # online resources are what a rapid review searches most, so they stay missing (warn)
    assert (got["PRISMA-S 1"], got["PRISMA-S 2"], got["PRISMA-S 3"]) == ("manual",) * 3
    assert (got["PRISMA-S 4"], got["PRISMA-S 7"]) == ("missing", "manual")


def test_the_note_on_searches_without_a_kind_counts_them_in_english(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    searches = folder / "searches.yaml"
    text = searches.read_text(encoding="utf-8")
    searches.write_text(text[: text.index("\n- id:", 1) + 1], encoding="utf-8")  # one search
    rows = {row.item.label: row.verdict for row in assess(load_review(folder)).rows}
    assert rows["PRISMA-S 1"].note == "1 search has no 'kind': database searches cannot be told"
    rows = {row.item.label: row.verdict for row in assess(load_review(CLEAN_REVIEW)).rows}
    assert rows["PRISMA-S 1"].note.startswith("2 searches have no 'kind'")


def test_discussions_between_teams_are_not_a_search_of_contacts() -> None:
    got = statuses(SOCIAL_VALUE_REVIEW)
    assert got["PRISMA-S 6"] == "partial"  # "Following discussions between…": prose only


# ------------------------------------------------------------------ rapid review statuses


def test_rapid_review_statuses(reported: Path) -> None:
    got = statuses(reported)
    assert got["Rapid review 4"] == "ok"  # shortcuts
    assert got["Rapid review 6"] == "manual"  # does the limitation cover the shortcuts?
    edit(reported / "review.yaml", "  verification: A second", "  verification: none\n  x: A")
    edit(reported / "review.yaml", "stakeholders: Transport", "# stakeholders: Transport")
    edit(reported / "review.yaml", "shortcuts:\n", "x_shortcuts:\n")
    got = statuses(reported)
    assert got["Rapid review 5"] == "declared"
    assert got["Rapid review 2"] == "partial"  # commissioned_by says who asked, not how
    assert got["Rapid review 4"] == "missing"
    edit(reported / "review.yaml", "type: Rapid scoping review", "type: Scoping review")
    got = statuses(reported)
    assert (got["Rapid review 1"], got["Rapid review 3"]) == ("missing", "n/a")


# ------------------------------------------------------------------------------- the CLI


def test_the_default_check_is_unchanged() -> None:
    _, data = run_check(SOCIAL_VALUE_REVIEW, "--json")
    assert "reporting" not in data
    assert not [p for p in data["problems"] if p["code"] == "reporting-item"]
    _, text = run_check(SOCIAL_VALUE_REVIEW)
    assert "PRISMA" not in text


def test_the_text_table_lists_every_item_with_place_and_status(reported: Path) -> None:
    code, text = run_check(reported, "--reporting")
    lines = text.splitlines()
    assert lines[0] == f"Reporting items of {reported.name} (where: the file in {reported})"
    assert lines[1].split() == ["item", "title", "where", "status", "note"]
    row = next(line for line in lines if line.startswith("PRISMA-ScR 12 "))
    assert " review.yaml:" in row and "declared" in row
    assert sum(line.startswith(("PRISMA", "Rapid review")) for line in lines) == len(ITEMS)
    assert "reporting: 24 ok, 3 missing" in text
    assert "warning[reporting-item] PRISMA-ScR 5: protocol and registration" in text
    assert lines[-1] == "reporting-item: 0 errors, 1 warning" and code == 0


def test_json_carries_the_table_and_validates_against_both_schemas(check_schema: dict) -> None:
    code, data = run_check(SOCIAL_VALUE_REVIEW, "--reporting", "--json")
    jsonschema.validate(data, check_schema)
    jsonschema.validate(data["reporting"], SCHEMA)
    items = data["reporting"]["items"]
    assert len(items) == len(ITEMS)
    warned = {f"{i['standard']} {i['item']}" for i in items if i["warns"]}
    reported = {
        p["message"].split(":")[0] for p in data["problems"] if p["code"] == "reporting-item"
    }
    assert warned == reported and "PRISMA-ScR 5" in warned
    assert data["reporting"]["prisma2020"] is None  # no screening counts yet
    assert code == 0


def test_strict_fails_on_a_missing_item(reported: Path) -> None:
    assert run_check(reported, "--reporting", "--strict")[0] == 1
    assert run_check(reported, "--strict")[0] == 0


def test_an_unreadable_review_has_no_table(tmp_path: Path, check_schema: dict) -> None:
    code, data = run_check(tmp_path, "--reporting", "--json")
    assert code == 2 and data["reporting"] is None
    jsonschema.validate(data, check_schema)
    jsonschema.validate(data["reporting"], SCHEMA)


# ------------------------------------------------------------------------------ the flow


def test_the_counts_export_under_prisma2020_names(reported: Path) -> None:
    _, data = run_check(reported, "--reporting", "--json")
    jsonschema.validate(data["reporting"], SCHEMA)
    rows = {row["data"]: row["n"] for row in data["reporting"]["prisma2020"]}
    assert rows == {
        "website_results": 4286,
        "duplicates": 0,
        "records_screened": 186,
        "records_excluded": 170,
        "other_assessed": 16,
        "other_excluded": "No outcome reported, 12",
        "new_studies": 4,
        "total_studies": 4,
    }


def test_counts_that_add_up_are_no_mismatch(reported: Path) -> None:
    _, data = run_check(reported, "--json")
    assert data["problems"] == []


def test_included_defaults_to_the_sources_cited(reported: Path) -> None:
    edit(reported / "review.yaml", "    included: 4\n", "")
    _, data = run_check(reported, "--json")
    assert data["problems"] == []  # 4 sources are cited: 16 − 12 = 4
    edit(reported / "review.yaml", "No outcome reported: 12", "No outcome reported: 11")
    _, data = run_check(reported, "--json")
    [problem] = data["problems"]
    assert problem["code"] == "flow-mismatch"
    assert "4 sources cited (the default), but 16 assessed less 11" in problem["message"]


def test_the_example_review_reports_what_the_original_says_and_asks_for_the_rest() -> None:
    got = statuses(SOCIAL_VALUE_REVIEW)
    # what the original briefing says, now in fields
    assert got["Rapid review 4"] == "ok"  # its two shortcuts
    assert got["Rapid review 2"] == "ok"  # the discussions that led to the review
    assert got["PRISMA-S 4"] == "ok"  # websites and a search engine, by kind
    assert got["PRISMA-S 9"] == "ok"  # .gov.uk domains
    assert got["PRISMA-ScR 6"] == "partial"  # what was looked for, but no rationale
    # what it does not say: a reviewer would ask for each
    _, data = run_check(SOCIAL_VALUE_REVIEW, "--reporting", "--json")
    asked = {p["message"].split(":")[0] for p in data["problems"] if p["code"] == "reporting-item"}
    assert {
        "PRISMA-ScR 5", "PRISMA-ScR 9", "PRISMA-ScR 10", "PRISMA-ScR 12", "PRISMA-ScR 14",
        "PRISMA-S 13", "PRISMA-S 14", "Rapid review 5", "Rapid review 6",
    } <= asked  # fmt: skip

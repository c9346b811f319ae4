"""The library API behind `scopekit check`: load_review and check_review."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import (
    CLEAN_REVIEW,
    TODAY_DATE,
    FixtureReviews,
    expected_folders,
    fixture_ids,
    format_keys,
    parse_expected,
    problem_keys,
    run_check,
)

from scopekit.checks import check_review
from scopekit.errors import ReviewUnreadable
from scopekit.review import load_review

FOLDERS = expected_folders()
UNREADABLE = [f for f in FOLDERS if parse_expected(f / "expected.txt")[0] == 2]
READABLE = [f for f in FOLDERS if f not in UNREADABLE]


def test_clean_review_loads_and_has_no_problems() -> None:
    assert check_review(load_review(CLEAN_REVIEW), TODAY_DATE) == []


def test_folder_without_review_yaml_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(ReviewUnreadable):
        load_review(tmp_path)


@pytest.mark.parametrize("folder", UNREADABLE, ids=fixture_ids(UNREADABLE))
def test_unreadable_fixtures_raise(folder: Path, fixture_review: FixtureReviews) -> None:
    with pytest.raises(ReviewUnreadable):
        load_review(fixture_review(folder))


@pytest.mark.parametrize("folder", READABLE, ids=fixture_ids(READABLE))
def test_library_and_cli_report_the_same_problems(
    folder: Path, fixture_review: FixtureReviews
) -> None:
    folder = fixture_review(folder)
    problems = check_review(load_review(folder), TODAY_DATE)
    from_library = {(p.file, p.line, p.severity, p.code) for p in problems}
    from_cli = problem_keys(run_check(folder, "--json")[1])
    assert from_library == from_cli, format_keys(from_library ^ from_cli)

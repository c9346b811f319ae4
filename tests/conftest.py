"""Shared helpers for the scopekit test suite.

The fixture reviews live in tests/checks/: `clean/` is a small review with no
problems and every other folder holding an `expected.txt` is an overlay on it, the
smallest change that triggers one problem code (see tests/checks/README.md and
test_check_codes.py). Run one through `fixture_review` (read it) or `copy_review`
(change it): both build the real folder with tests/materialise.py. Golden files are
compared with `assert_matches_golden`; `TODAY` is "today" for every test.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import pytest
from materialise import CHECKS_DIR, IGNORE, fixture_folders, materialise
from materialise import CLEAN as CLEAN_REVIEW
from typer.testing import CliRunner, Result

from scopekit.cli import app

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
GOLDEN_DIR = TESTS_DIR / "golden"
SOCIAL_VALUE_REVIEW = REPO_ROOT / "reviews" / "social-value"
# Every citation and note form in one review (test_citations, test_docx).
EVERY_FORM_REVIEW = TESTS_DIR / "reviews" / "every-form"
# The shared design folder, when the project is checked out beside it. Its JSON schemas are
# also copied into docs/schemas/ (test_docs checks the copies are the same), so the schema
# tests run in any clone.
DESIGN_DIR = REPO_ROOT.parent / "shared" / "design"
SCHEMAS_DIR = (
    DESIGN_DIR / "schemas"
    if (DESIGN_DIR / "schemas" / "check.schema.json").is_file()
    else REPO_ROOT / "docs" / "schemas"
)
CLI_CONTRACT = DESIGN_DIR / "cli.md"

# "Today" for every date rule in the fixtures, and for every test (SCOPEKIT_TODAY).
TODAY = "2026-11-25"
TODAY_DATE = dt.date.fromisoformat(TODAY)
ENV = {"SCOPEKIT_TODAY": TODAY}
# Set (to 1) to rewrite the golden files from what the code makes now.
UPDATE_GOLDEN = "SCOPEKIT_UPDATE_GOLDEN"

# A problem as the tests compare it: (file, line, severity, code).
ProblemKey = tuple[str | None, int | None, str, str]

runner = CliRunner()


def invoke(*args: str, today: str = TODAY) -> Result:
    """Run the scopekit CLI in-process and check that it did not crash."""
    result = runner.invoke(app, list(args), env={"SCOPEKIT_TODAY": today})
    assert_no_traceback(result)
    return result


def assert_no_traceback(result: Result) -> None:
    """A CLI run may exit with any status, but must never end in an exception."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(
            f"scopekit raised {type(result.exception).__name__}: {result.exception}\n"
            f"output:\n{result.output}"
        ) from result.exception


def run_check(folder: Path | str, *args: str, today: str = TODAY) -> tuple[int, object]:
    """Run `scopekit check FOLDER ARGS...`.

    Returns (exit code, parsed JSON) with --json, else (exit code, text output).
    """
    result = invoke("check", str(folder), *args, today=today)
    if "--json" in args:
        return result.exit_code, parse_json_output(result)
    return result.exit_code, result.output


def parse_json_output(result: Result) -> dict:
    """`check --json` prints exactly one JSON object on stdout."""
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError as err:
        raise AssertionError(
            f"--json output is not one JSON object: {err}\n{result.stdout}"
        ) from err
    assert isinstance(data, dict), result.stdout
    return data


def problem_keys(data: dict) -> set[ProblemKey]:
    """The (file, line, severity, code) of each problem in `check --json` output."""
    return {(p["file"], p["line"], p["severity"], p["code"]) for p in data["problems"]}


def problems_with_code(data: dict, code: str) -> list[dict]:
    return [p for p in data["problems"] if p["code"] == code]


EXPECTED_LINE = re.compile(
    r"^(?P<file>[^:\s]+)(?::(?P<line>\d+))?: (?P<severity>error|warning)\[(?P<code>[a-z0-9-]+)\]$"
)


def parse_expected(path: Path) -> tuple[int, set[ProblemKey]]:
    """Read an expected.txt: `exit: N` on the first line, then one
    `FILE:LINE: severity[code]` (or `FILE: severity[code]`) per problem.
    Lines starting with `#` are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = re.fullmatch(r"exit: ([0-2])", lines[0].strip()) if lines else None
    if first is None:
        raise ValueError(f"{path}: the first line must be 'exit: N'")
    expected: set[ProblemKey] = set()
    for number, raw in enumerate(lines[1:], start=2):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        match = EXPECTED_LINE.match(text)
        if match is None:
            raise ValueError(f"{path}:{number}: cannot read {text!r}")
        line = int(match["line"]) if match["line"] else None
        expected.add((match["file"], line, match["severity"], match["code"]))
    return int(first[1]), expected


def expected_folders() -> list[Path]:
    """Every fixture under tests/checks (a folder holding an expected.txt), clean/ too. They
    are overlays: run them through `fixture_review` or `copy_review`."""
    return fixture_folders()


def fixture_ids(folders: Iterable[Path]) -> list[str]:
    """Test ids for fixture folders: their paths under tests/checks."""
    return [folder.relative_to(CHECKS_DIR).as_posix() for folder in folders]


def copy_review(source: Path, dest: Path) -> Path:
    """Copy a review folder (without a fixture's expected.txt and overlay.yaml and anything a
    build left) to `dest` and return the copy. A fixture under tests/checks is materialised:
    clean/ with the fixture's overlay on top."""
    if source.resolve().is_relative_to(CHECKS_DIR):
        return materialise(source, dest)
    shutil.copytree(source, dest, ignore=IGNORE)
    return dest


class FixtureReviews:
    """The review folders of the fixtures, each materialised once a session under `root`,
    laid out as tests/checks is. For reading: copy_review a fixture to change it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __call__(self, fixture: Path | str) -> Path:
        """The review folder of a fixture, given as its path or as its path under
        tests/checks ("unknown-source/citation")."""
        source = fixture if isinstance(fixture, Path) else CHECKS_DIR / fixture
        target = self.root / source.resolve().relative_to(CHECKS_DIR)
        if not target.exists():
            materialise(source, target)
        return target


@pytest.fixture(scope="session")
def fixture_review(tmp_path_factory: pytest.TempPathFactory) -> FixtureReviews:
    """`fixture_review("todo")`: the real review folder of tests/checks/todo/."""
    return FixtureReviews(tmp_path_factory.mktemp("checks"))


def assert_matches_golden(actual: str, golden: Path, what: str = "the output") -> None:
    """Fail, with a unified diff, unless `actual` is the text of the golden file. With
    SCOPEKIT_UPDATE_GOLDEN=1 the golden file is (re)written first: review its diff."""
    if os.environ.get(UPDATE_GOLDEN):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    shown = golden.relative_to(REPO_ROOT) if golden.is_relative_to(REPO_ROOT) else golden
    if not golden.is_file():
        pytest.fail(f"{shown} does not exist: make it with {UPDATE_GOLDEN}=1", pytrace=False)
    expected = golden.read_text(encoding="utf-8")
    if actual == expected:
        return
    lines = list(
        difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"{shown} (golden)", what, lineterm=""
        )
    )
    if not lines:
        lines = ["(the lines are the same: they differ in line endings or the final newline)"]
    more = f"\n… and {len(lines) - 80} more diff lines" if len(lines) > 80 else ""
    pytest.fail(
        f"{what} differs from {shown}: if the change is intended, regenerate with "
        f"{UPDATE_GOLDEN}=1 and review the diff\n" + "\n".join(lines[:80]) + more,
        pytrace=False,
    )


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based number of the one line of a file that contains `needle`."""
    hits = [
        number
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if needle in line
    ]
    assert len(hits) == 1, f"{needle!r} is on lines {hits} of {path}"
    return hits[0]


def format_keys(keys: Iterable[ProblemKey]) -> str:
    """Problems as expected.txt lines, for readable assertion messages."""

    def fmt(key: ProblemKey) -> str:
        file, line, severity, code = key
        where = f"{file}:{line}" if line is not None else f"{file}"
        return f"{where}: {severity}[{code}]"

    return "\n".join(sorted(fmt(k) for k in keys)) or "(none)"


@pytest.fixture
def clean_copy(tmp_path: Path) -> Path:
    """A writable copy of the clean review."""
    return copy_review(CLEAN_REVIEW, tmp_path / "review")


@pytest.fixture(scope="session")
def check_schema() -> dict:
    """The JSON Schema of `check --json` (the shared design's, else the repo's copy)."""
    return json.loads((SCHEMAS_DIR / "check.schema.json").read_text(encoding="utf-8"))

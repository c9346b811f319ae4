"""Error messages: every error names its file and line (where there is one) and gives a hint.

Each test makes a real review folder from a copy of tests/checks/clean and runs the CLI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    CLEAN_REVIEW,
    ENV,
    FixtureReviews,
    copy_review,
    edit,
    line_of,
    parse_json_output,
)
from typer.testing import CliRunner, Result

from scopekit.cli import app


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env=ENV)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"scopekit crashed:\n{result.output}") from result.exception
    assert "Traceback" not in result.output
    return result


def reported(result: Result, where: str) -> tuple[str, str]:
    """The line that starts with `where` (`FOLDER/FILE:LINE: `) and the hint line below it."""
    lines = result.output.splitlines()
    hits = [i for i, line in enumerate(lines) if line.startswith(f"{where}: ")]
    assert hits, f"no line starts with {where!r}:\n{result.output}"
    index = hits[0]
    hint = lines[index + 1] if index + 1 < len(lines) else ""
    assert hint.startswith("    hint: "), f"no hint below {lines[index]!r}:\n{result.output}"
    return lines[index], hint.removeprefix("    hint: ")


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return copy_review(CLEAN_REVIEW, tmp_path / "review")


# ---------------------------------------------------------------- 1. YAML syntax errors


def test_a_tab_in_the_indentation_says_use_spaces(review: Path) -> None:
    edit(review / "review.yaml", "short_title: Active travel", "\tshort_title: Active travel")
    line = line_of(review / "review.yaml", "short_title:")
    result = run("check", str(review))
    assert result.exit_code == 2
    _, hint = reported(result, f"{review}/review.yaml:{line}")
    assert hint == "YAML does not allow tabs for indentation: use spaces"


def test_a_quote_left_open_to_the_end_is_reported_where_it_opens(review: Path) -> None:
    edit(review / "review.yaml", "title: What helps", 'title: "What helps')
    line = line_of(review / "review.yaml", 'title: "What helps')
    result = run("check", str(review), "--json")
    [problem] = parse_json_output(result)["problems"]
    assert (problem["file"], problem["line"], problem["code"]) == (
        "review.yaml",
        line,
        "unreadable",
    )
    assert problem["hint"] == f"close the quote that opens on line {line}"


def test_a_quote_closed_only_by_a_later_quote_is_reported_where_it_opens(review: Path) -> None:
    # The quote on the title line is closed by the first quote of a later line; PyYAML only
    # notices on that later line.
    edit(review / "review.yaml", "title: What helps", "title: 'What helps")
    edit(review / "review.yaml", "type: Rapid scoping review", "type: 'Rapid scoping review'")
    line = line_of(review / "review.yaml", "title: 'What helps")
    result = run("check", str(review))
    assert result.exit_code == 2
    message, hint = reported(result, f"{review}/review.yaml:{line}")
    assert "error[unreadable] YAML syntax error" in message
    assert hint == f"close the quote that opens on line {line}"


def test_other_syntax_errors_get_a_hint(review: Path) -> None:
    edit(review / "sources.yaml", '  type: report\n  title: "Phys', '  type: report\n title: "Phys')
    result = run("check", str(review), "--json")
    [problem] = parse_json_output(result)["problems"]
    assert problem["file"] == "sources.yaml" and problem["line"] is not None
    assert problem["hint"] == "check the indentation and quotes near this line"


def test_a_colon_in_an_unquoted_value_says_to_quote_it(fixture_review: FixtureReviews) -> None:
    folder = fixture_review("unreadable/yaml-syntax")
    line = line_of(folder / "sources.yaml", "title: Physical activity:")
    result = run("check", str(folder))
    _, hint = reported(result, f"{folder}/sources.yaml:{line}")
    assert hint.startswith("put the value in quotes")
    assert hint.endswith('title: "Physical activity: applying All Our Health"')  # its own line


def test_curly_quotes_round_a_value_are_named(review: Path) -> None:
    edit(
        review / "review.yaml",
        "short_title: Active travel",
        "short_title: “Active travel: what works”",
    )
    result = run("check", str(review))
    assert result.exit_code == 2
    assert "curly quotes (“ ”), which YAML reads as text, not as quotes" in result.output


# ------------------------------------------------- 2. build names the file of a bad section


def test_build_names_the_folder_file_and_line_of_a_section_that_is_not_utf8(
    review: Path,
) -> None:
    path = review / "findings.md"
    line = line_of(path, "drop-off")
    path.write_bytes(path.read_bytes().replace(b"drop-off", b"drop\x96off", 1))
    checked = run("check", str(review))
    built = run("build", str(review), "--format", "html")
    assert (checked.exit_code, built.exit_code) == (2, 2)
    for result in (checked, built):
        message, hint = reported(result, f"{review}/findings.md:{line}")
        assert "error[unreadable] findings.md is not UTF-8 text" in message
        assert hint == "save the file as UTF-8 in your editor"
    assert not (review / "build").exists()


# ----------------------------------------------------------- 3. an empty review.yaml


def test_an_empty_review_yaml_is_reported_at_line_1_with_a_hint(review: Path) -> None:
    (review / "review.yaml").write_text("", encoding="utf-8")
    result = run("check", str(review), "--json")
    assert result.exit_code == 2
    [problem] = parse_json_output(result)["problems"]
    assert (problem["file"], problem["line"], problem["code"]) == ("review.yaml", 1, "unreadable")
    assert "empty" in problem["message"]
    assert "scopekit new" in problem["hint"]


def test_a_review_yaml_that_is_not_a_mapping_gets_a_hint(fixture_review: FixtureReviews) -> None:
    folder = fixture_review("unreadable/review-not-mapping")
    result = run("check", str(folder))
    message, hint = reported(result, f"{folder}/review.yaml:1")
    assert message.endswith("not a list")
    assert "one field per line" in hint


def test_an_empty_title_is_reported_at_its_line(review: Path) -> None:
    edit(
        review / "review.yaml",
        "title: What helps people walk and cycle for short local journeys?",
        "title:",
    )
    lines = (review / "review.yaml").read_text(encoding="utf-8").splitlines()
    line = lines.index("title:") + 1
    result = run("check", str(review), "--json")
    [problem] = parse_json_output(result)["problems"]
    assert (problem["code"], problem["line"]) == ("missing-field", line)


# ------------------------------------------------- 4. new --from a review that cannot be read


def test_new_from_a_broken_review_names_its_file_and_line(review: Path, tmp_path: Path) -> None:
    edit(review / "review.yaml", "type: Rapid scoping review", "type: Rapid: scoping review")
    line = line_of(review / "review.yaml", "type: Rapid:")
    result = run("new", str(tmp_path / "next"), "--from", str(review))
    assert result.exit_code == 2
    message, hint = reported(result, f"{review}/review.yaml:{line}")
    assert "YAML syntax error" in message
    assert hint.startswith("put the value in quotes")
    assert not (tmp_path / "next").exists()


# ----------------------------------------------------- 5. a folder where a section should be


def test_a_folder_named_like_a_section_is_called_a_folder(review: Path) -> None:
    (review / "methods.md").unlink()
    (review / "methods.md").mkdir()
    result = run("check", str(review), "--json")
    [problem] = parse_json_output(result)["problems"]
    assert problem["code"] == "missing-section"
    assert "folder" in problem["message"]
    assert "did you mean 'methods.md'" not in (problem["hint"] or "")


# -------------------------------------------------- 6. a file where a folder is expected


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_review_yaml_given_instead_of_its_folder(review: Path, command: str) -> None:
    result = run(command, str(review / "review.yaml"))
    assert result.exit_code == 2
    message, hint = reported(result, str(review / "review.yaml"))
    assert "is a file, not a folder" in message
    assert "no such folder" not in result.output
    assert hint.endswith(f": {review}")
    if command == "check":  # the summary names what was typed, not "review.yaml"
        assert result.output.splitlines()[-1] == f"{review / 'review.yaml'}: cannot be read"


def test_new_into_an_existing_file_says_it_is_a_file(review: Path) -> None:
    result = run("new", str(review / "review.yaml"))
    assert result.exit_code == 2
    assert f"{review / 'review.yaml'} is an existing file" in result.output
    assert "is not empty" not in result.output
    assert "hint: choose a new folder name" in result.output


# ----------------------------------------------------------- 7. values of the wrong kind


def test_a_count_in_words_gets_a_hint_about_whole_numbers(review: Path) -> None:
    edit(review / "searches.yaml", "results: 4200", "results: about 12k")
    result = run("check", str(review), "--json")
    [problem] = parse_json_output(result)["problems"]
    assert problem["file"] == "searches.yaml"
    assert "whole number" in problem["hint"]


@pytest.mark.parametrize(
    ("results", "hint"),
    [
        ("4,200", "write 'results: 4200', without commas"),
        ("~4200", "write 'results: 4200' and 'approximate: true' (printed ~4,200)"),
        ("about 4,200", "write 'results: 4200' and 'approximate: true' (printed ~4,200)"),
        ("4 200", "write 'results: 4200', the number alone"),
        ("4200 results", "write 'results: 4200', the number alone"),
        ("about 4,200 results", "write 'results: 4200' and 'approximate: true' (printed ~4,200)"),
    ],
)
def test_a_count_typed_as_shown_is_named_by_its_search_and_given_back(
    review: Path, results: str, hint: str
) -> None:
    edit(review / "searches.yaml", "results: 4200", f"results: {results}")
    result = run("check", str(review), "--json")
    [problem] = parse_json_output(result)["problems"]
    assert problem["message"] == (
        f"search 'govuk': 'results' must be a whole number, not '{results}'"
    )
    assert problem["hint"] == hint


def test_a_list_for_a_title_gets_a_hint_about_text(review: Path) -> None:
    edit(
        review / "review.yaml",
        "title: What helps people walk and cycle for short local journeys?",
        "title: [a, b]",
    )
    result = run("check", str(review), "--json")
    [problem] = parse_json_output(result)["problems"]
    assert problem["line"] == line_of(review / "review.yaml", "title: [a, b]")
    assert "must be text" in problem["message"]
    assert "write text" in problem["hint"]


# -------------------------------------------------------------- 8. stdout closed early


@pytest.mark.parametrize(("fixture", "status"), [("clean", 0), ("duplicate-id", 1)], ids=["0", "1"])
@pytest.mark.parametrize("args", [[], ["--json"]], ids=["text", "json"])
def test_a_closed_stdout_keeps_the_exit_status_and_is_quiet(
    fixture: str, status: int, args: list[str], fixture_review: FixtureReviews
) -> None:
    """`scopekit check DIR | head -1`: the reader has gone before anything is written."""
    folder = fixture_review(fixture)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "scopekit", "check", str(folder), *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env={**os.environ, **ENV},
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr.decode()) == (status, "")


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "first"),
    [
        ("review.yaml", "language: en-GB\n", "language: en-GB\nsections: [findings.md]\n", 23, 22),
        (
            "sources.yaml",
            "- id: ohid-physical-activity\n",
            "- id: ohid-physical-activity\n  id: x\n",
            4,
            3,
        ),
        ("searches.yaml", "  run: 2024-05-20\n", "  run: 2024-05-20\n  run: 2024-05-21\n", 7, 6),
    ],
    ids=["review.yaml", "sources.yaml", "searches.yaml"],
)
def test_a_key_given_twice_is_an_error_at_the_later(
    review: Path, file: str, old: str, new: str, line: int, first: int
) -> None:
    """YAML keeps only the last of two equal keys: Background and Methods vanished unsaid."""
    edit(review / file, old, new)
    result = run("check", str(review), "--json")
    assert result.exit_code == 2
    [problem] = parse_json_output(result)["problems"]
    assert (problem["file"], problem["line"], problem["code"]) == (file, line, "unreadable")
    assert f"is given twice (first on line {first})" in problem["message"]


@pytest.mark.parametrize(
    ("old", "new", "line", "hint"),
    [
        (
            "    affiliation: Coventry Health",
            "       affiliation: Coventry Health",
            10,
            "check this line's indentation",
        ),
        ("short_title: Active travel", 'short_title: "Active\\Travel"', 3, "a backslash"),
        ("short_title: Active travel", "short_title:Active travel", 3, "a space after the colon"),
        (
            "sections:\n  - background.md\n  - methods.md\n  - findings.md\n",
            "sections: [background.md, methods.md\n",
            22,
            "close the [ ]",
        ),
    ],
    ids=["over-indented", "backslash", "no space", "open bracket"],
)
def test_yaml_mistakes_are_placed_and_explained(
    review: Path, old: str, new: str, line: int, hint: str
) -> None:
    edit(review / "review.yaml", old, new)
    result = run("check", str(review), "--json")
    [problem] = parse_json_output(result)["problems"]
    assert (problem["line"], problem["code"]) == (line, "unreadable")
    assert hint in problem["hint"]


def test_an_earlier_open_quote_is_blamed_not_the_later_empty_one(review: Path) -> None:
    edit(review / "review.yaml", "short_title: Active travel", 'short_title: "Active travel')
    edit(
        review / "review.yaml", "organisation: Coventry Health Determinants", 'organisation: ""\nx:'
    )
    [problem] = parse_json_output(run("check", str(review), "--json"))["problems"]
    assert problem["line"] == 3
    assert problem["hint"] == "close the quote that opens on line 3"


@pytest.mark.parametrize("command", ["import", "merge"])
def test_a_folder_given_for_the_word_document_gets_a_hint(
    review: Path, tmp_path: Path, command: str
) -> None:
    result = run(command, str(review), str(tmp_path / "new" if command == "import" else review))
    assert result.exit_code == 2
    assert f"{review} is a folder, not a .docx file" in result.output
    assert "hint: that is a review folder: give the Word document (.docx) first" in result.output
    (review / "build").mkdir()
    (review / "build" / "review.docx").write_bytes(b"")
    result = run(command, str(review), str(tmp_path / "new2" if command == "import" else review))
    assert f"hint: give the Word document itself, e.g. {review}/build/review.docx" in result.output


SCHOOL_STREETS = "https://www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/what-is-a-school-street"


@pytest.mark.parametrize(
    ("old", "new", "file", "expected"),
    [
        # a source id with a space: one error at the id, no citation suggested for it
        (
            "- id: dft-cwis2",
            "- id: dft cwis2",
            "sources.yaml",
            [("missing-field", "write 'id: dft-cwis2' (and cite it as [@dft-cwis2])")],
        ),
        # an empty quoted value is a missing one, said once
        (
            "accessed: 2024-06-03",
            "accessed: ''",
            "sources.yaml",
            [("missing-accessed", "add 'accessed: YYYY-MM-DD', the day the page was last opened")],
        ),
        (
            f"URL: {SCHOOL_STREETS}",
            "URL: ''",
            "sources.yaml",
            [("missing-url", "add 'URL:' and 'accessed:' once the page is found")],
        ),
        (
            f"URL: {SCHOOL_STREETS}",
            f"URL: '{SCHOOL_STREETS} '",
            "sources.yaml",
            [("bad-url", "remove the space before or after the address (inside the quotes)")],
        ),
        (
            "results: 4200",
            "results: -4200",
            "searches.yaml",
            [("missing-field", "write the count of hits")],
        ),
        (
            "results: 4200",
            "results: '4200'",
            "searches.yaml",
            [("missing-field", "write 'results: 4200', without quotes")],
        ),
        (
            "type: webpage",
            "type: journal article",
            "sources.yaml",
            [("unknown-field", "did you mean 'article-journal'?")],
        ),
        (
            "      given: Rachel",
            "      givn: Rachel",
            "sources.yaml",
            [("unknown-field", "did you mean 'given'?")],
        ),
    ],
)
def test_slips_in_the_yaml_are_said_once_with_the_fix(
    review: Path, old: str, new: str, file: str, expected: list[tuple[str, str]]
) -> None:
    edit(review / file, old, new)
    problems = [
        (p["code"], p["hint"])
        for p in parse_json_output(run("check", str(review), "--json"))["problems"]
        if p["code"] not in ("unknown-source",)  # the citations of a renamed id
    ]
    assert problems == expected


def test_an_empty_type_is_reported_at_its_line(review: Path) -> None:
    edit(review / "sources.yaml", "type: webpage", "type: ''")
    line = line_of(review / "sources.yaml", "type: ''")
    [problem] = parse_json_output(run("check", str(review), "--json"))["problems"]
    assert (problem["code"], problem["line"]) == ("missing-field", line)


def test_a_link_whose_address_has_a_space_is_said_unread_once(review: Path) -> None:
    findings = review / "findings.md"
    typed = "[the guide](https://www.sustrans.org.uk/what is a school street)"
    findings.write_text(findings.read_text(encoding="utf-8") + f"\nSee {typed}.\n", "utf-8")
    line = line_of(findings, typed)
    problems = parse_json_output(run("check", str(review), "--json"))["problems"]
    said = [(p["code"], p["line"]) for p in problems if p["file"] == "findings.md"]
    assert said == [("unread-markdown", line)]
    assert "angle brackets" in next(p["hint"] for p in problems if p["code"] == "unread-markdown")


def test_a_name_of_one_unknown_part_is_printed_and_no_library_warning_leaks(
    review: Path,
) -> None:
    import warnings

    edit(
        review / "sources.yaml", "    - literal: Office for Health", "    - name: Office for Health"
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run("build", str(review), "--format", "html", "--force")
    assert result.exit_code == 0, result.output
    assert not [w for w in caught if "citeproc" in str(w.filename)], caught


def test_two_searches_with_one_id_are_a_duplicate(review: Path) -> None:
    searches = review / "searches.yaml"
    ids = re.findall(r"^- id: (\S+)$", searches.read_text(encoding="utf-8"), re.M)
    edit(searches, f"- id: {ids[1]}\n", f"- id: {ids[0]}\n")
    problems = parse_json_output(run("check", str(review), "--json"))["problems"]
    assert [(p["code"], p["message"]) for p in problems] == [
        ("duplicate-id", f"search id '{ids[0]}' is used twice")
    ]


def test_a_todo_in_a_search_or_a_source_names_it(review: Path) -> None:
    edit(review / "searches.yaml", "results: 4200", "results: 4200\n  limits: TODO check count")
    edit(review / "sources.yaml", "title: What is a school street?", "title: TODO the title")
    todos = [
        p["message"]
        for p in parse_json_output(run("check", str(review), "--json"))["problems"]
        if p["code"] == "todo"
    ]
    assert "TODO left in search 'govuk': 'TODO check count'" in todos
    assert "TODO left in source 'sustrans-school-streets': 'TODO the title'" in todos


def test_review_yaml_as_a_folder_is_unreadable_with_a_hint(review: Path) -> None:
    (review / "review.yaml").unlink()
    (review / "review.yaml").mkdir()
    result = run("check", str(review), "--json")
    assert result.exit_code == 2
    [problem] = parse_json_output(result)["problems"]
    assert problem["code"] == "unreadable" and problem["hint"].startswith("rename the folder")

"""The optional fields that report how a review was done (issue 17.2): read from review.yaml
and searches.yaml, checked as fields (unknown keys, wrong kinds, in nested mappings too), and
written commented out by `scopekit new`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import edit, invoke, line_of, problems_with_code, run_check

from scopekit.review import load_review
from scopekit.review.model import SEARCH_KINDS, Metadata, Search
from scopekit.review.yaml_reader import load_yaml
from scopekit.starter import Carried, review_yaml

FILLED = """\
protocol: none
eligibility:
  include: [Council social value policies, NHS anchor work]
  exclude: Pages behind a log-in
  language: English only
  rationale: Set with the Economic Development team.
screening:
  reviewers: One reviewer (JB)
  verification: none
  counts:
    identified: 43
    duplicates: 3
    screened: 40
    excluded: 20
    assessed: 20
    reasons:
      Not about a public body: 4
      No social value content: 2
    included: 14
charting: One reviewer noted what each source says.
appraisal: none
shortcuts:
  - One reviewer screened and charted.
limitations: Only the first pages of Google results were read.
peer_review: none
stakeholders: The Economic Development team set the questions.
acknowledgements: none
"""


def test_the_reporting_fields_are_read_with_their_kinds() -> None:
    meta = Metadata(load_yaml("title: T\n" + FILLED))
    assert meta.protocol == "none"
    assert meta.eligibility.include == ["Council social value policies", "NHS anchor work"]
    assert meta.eligibility.exclude == ["Pages behind a log-in"]  # one text is a list of one
    assert meta.screening.reviewers == "One reviewer (JB)"
    counts = meta.screening.counts
    assert (counts.duplicates, counts.screened, counts.included) == (3, 40, 14)
    assert counts.reasons == {"Not about a public body": 4, "No social value content": 2}
    assert meta.charting.process.startswith("One reviewer")  # a plain text is the process
    assert meta.charting.columns == []
    assert meta.limitations == ["Only the first pages of Google results were read."]
    assert meta.eligibility.line == 3 and counts.line == 11


def test_absent_reporting_fields_are_none_or_empty() -> None:
    meta = Metadata(load_yaml("title: T\n"))
    assert (meta.eligibility, meta.screening, meta.charting, meta.protocol) == (None,) * 4
    assert meta.shortcuts == [] and meta.limitations == []


def test_a_search_has_a_kind_a_platform_and_limits() -> None:
    search = Search(load_yaml("kind: database\nplatform: Ovid\nlimits: English only\n"))
    assert (search.kind, search.platform, search.limits) == ("database", "Ovid", "English only")
    assert Search(load_yaml("kind: library\n")).kind is None
    assert "search-engine" in SEARCH_KINDS and len(SEARCH_KINDS) == 7


def test_the_filled_fields_pass_check(clean_copy: Path) -> None:
    (clean_copy / "review.yaml").write_text(
        (clean_copy / "review.yaml").read_text(encoding="utf-8") + FILLED, encoding="utf-8"
    )
    code, data = run_check(clean_copy, "--json")
    assert (code, data["problems"]) == (0, [])


def test_misspelt_keys_inside_a_mapping_get_the_closest_name(clean_copy: Path) -> None:
    text = FILLED.replace("  exclude:", "  exclud:").replace("    screened:", "    screend:")
    review = clean_copy / "review.yaml"
    review.write_text(review.read_text(encoding="utf-8") + text, encoding="utf-8")
    code, data = run_check(clean_copy, "--json")
    unknown = problems_with_code(data, "unknown-field")
    assert [(p["line"], p["hint"]) for p in unknown] == [
        (line_of(review, "exclud:"), "did you mean 'exclude' or 'include'?"),
        (line_of(review, "screend:"), "did you mean 'screened'?"),
    ]
    assert "'counts' in 'screening' in review.yaml" in unknown[1]["message"]
    assert code == 0


def test_values_of_the_wrong_kind_are_missing_field_errors(clean_copy: Path) -> None:
    review = clean_copy / "review.yaml"
    text = FILLED.replace("duplicates: 3", "duplicates: three").replace(
        "No social value content: 2", "No social value content: two"
    )
    review.write_text(review.read_text(encoding="utf-8") + text + "\n", encoding="utf-8")
    edit(review, "protocol: none", "protocol: [a, b]")
    code, data = run_check(clean_copy, "--json")
    messages = [p["message"] for p in problems_with_code(data, "missing-field")]
    assert code == 1
    assert any("'protocol' must be text" in m for m in messages)
    assert any("'duplicates' must be a whole number" in m for m in messages)
    assert any("'No social value content' must be a whole number" in m for m in messages)


def test_a_search_kind_that_is_not_known_names_the_kinds(clean_copy: Path) -> None:
    searches = clean_copy / "searches.yaml"
    text = searches.read_text(encoding="utf-8")
    first = text.index("- id:")
    end = text.index("\n", first)
    searches.write_text(text[: end + 1] + "  kind: library\n" + text[end + 1 :], encoding="utf-8")
    code, data = run_check(clean_copy, "--json")
    [problem] = problems_with_code(data, "missing-field")
    assert code == 1
    assert "'kind' must be one of database, website, search-engine" in problem["message"]
    assert problem["line"] == line_of(searches, "kind: library")


def test_new_writes_every_reporting_field_commented_with_guidance() -> None:
    text = review_yaml(None, None, date(2026, 11, 25), Carried())
    block = text[text.index("# How the review was done") :].splitlines()[1:]
    assert all(line.startswith("# ") for line in block)
    top = [line[2:].split(":")[0] for line in block if line[2:3].isalpha()]
    assert top == [
        "protocol", "eligibility", "screening", "charting", "appraisal", "shortcuts",
        "limitations", "peer_review", "stakeholders", "acknowledgements",
    ]  # fmt: skip
    assert all("  # " in line for line in block if line[2:3].isalpha() and ": " in line)


def test_the_commented_fields_once_uncommented_pass_check(tmp_path: Path) -> None:
    folder = tmp_path / "r"
    assert invoke("new", str(folder), "--title", "Q?", "--author", "A").exit_code == 0
    review = folder / "review.yaml"
    text = review.read_text(encoding="utf-8")
    head, _, block = text.partition("# How the review was done")
    lines = block.splitlines()[1:]
    review.write_text(head + "\n".join(line[2:] for line in lines) + "\n", encoding="utf-8")
    meta = load_review(folder).meta
    assert meta.screening.counts.reasons == {"Not about councils": 5}
    assert meta.charting.columns == ["organisation", "approach"]
    _, data = run_check(folder, "--json")
    codes = {p["code"] for p in data["problems"]}
    assert not codes & {"unknown-field", "missing-field"}, data["problems"]

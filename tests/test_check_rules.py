"""Edge cases of single `check` rules, each on a copy of the clean review.

The fixture folders in tests/checks/ show one realistic case per code; these
tests walk through the lists and boundaries the contract spells out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import (
    CHECKS_DIR,
    copy_review,
    edit,
    invoke,
    line_of,
    problem_keys,
    problems_with_code,
    run_check,
)

LINK = "[School streets](@sustrans-school-streets)"


def codes_at(data: dict, file: str, line: int) -> set[str]:
    return {p["code"] for p in data["problems"] if (p["file"], p["line"]) == (file, line)}


# -------------------------------------------------------------- vague-link-text

VAGUE = [
    "here", "Here", "HERE.", "click here", "Click here!", "clicking here", "this link",
    "clicking this link", "link", "Link:", "available here", "available via this link",
    "read more", "Read more about school streets", "more", "More…", "this page",
    "this website", "(here)", "here and there",
]  # fmt: skip
NOT_VAGUE = [
    "School streets", "Hereford's school streets", "Linked trips", "Linking schools and parks",
    "Moreton Hall school street", "There and back", "Where to read more", "a page about streets",
]  # fmt: skip


@pytest.mark.parametrize("text", VAGUE)
def test_vague_link_text(clean_copy: Path, text: str) -> None:
    edit(clean_copy / "findings.md", LINK, f"[{text}](@sustrans-school-streets)")
    line = line_of(clean_copy / "findings.md", "(@sustrans-school-streets)")
    exit_code, data = run_check(clean_copy, "--json")
    assert problem_keys(data) == {("findings.md", line, "warning", "vague-link-text")}
    assert exit_code == 0


@pytest.mark.parametrize("text", NOT_VAGUE)
def test_link_text_that_is_not_vague(clean_copy: Path, text: str) -> None:
    edit(clean_copy / "findings.md", LINK, f"[{text}](@sustrans-school-streets)")
    exit_code, data = run_check(clean_copy, "--json")
    assert data["problems"] == []
    assert exit_code == 0


# ----------------------------------------------------------- date-typo-in-prose

SENTENCE = "cycle training for children and adults;"


@pytest.mark.parametrize(
    "date",
    ["01/01/20220", "31/02/2024", "29/02/2023", "31/04/2024", "1.9.23", "14/6/24", "0/1/2024",
     "12/13/2024", "3.3.202"],
)  # fmt: skip
def test_date_typo_in_prose(clean_copy: Path, date: str) -> None:
    edit(clean_copy / "findings.md", SENTENCE, f"cycle training since {date};")
    line = line_of(clean_copy / "findings.md", "cycle training since")
    exit_code, data = run_check(clean_copy, "--json")
    assert problem_keys(data) == {("findings.md", line, "warning", "date-typo-in-prose")}
    assert exit_code == 0


@pytest.mark.parametrize("date", ["29/02/2024", "01/09/2023", "1/9/2023", "31.12.2023", "1/2"])
def test_real_dates_in_prose_are_fine(clean_copy: Path, date: str) -> None:
    edit(clean_copy / "findings.md", SENTENCE, f"cycle training since {date};")
    assert run_check(clean_copy, "--json")[1]["problems"] == []


# -------------------------------------------------------- prose-search-mismatch

METHODS_RANGE = "01/01/2019 – 20/05/2024"


@pytest.mark.parametrize(
    ("written", "mismatch"),
    [
        ("01/01/2019 - 20/05/2024", False),
        ("1/1/2019 – 20/5/2024", False),
        ("01/01/2019 – 21/05/2024", True),
        ("02/01/2019 - 20/05/2024", True),
        ("01/01/2020 – 20/05/2024", True),
    ],
)
def test_ranges_in_methods_are_compared_with_the_searches(
    clean_copy: Path, written: str, mismatch: bool
) -> None:
    edit(clean_copy / "methods.md", METHODS_RANGE, written)
    line = line_of(clean_copy / "methods.md", written)
    _, data = run_check(clean_copy, "--json")
    expected = {("methods.md", line, "warning", "prose-search-mismatch")} if mismatch else set()
    assert problem_keys(data) == expected


def test_a_search_date_typed_day_first_is_reported_once(clean_copy: Path) -> None:
    """The search's `from` cannot be read: invalid-date says so, and the range in Methods
    that the search would match is not also called a mismatch."""
    searches = clean_copy / "searches.yaml"
    text = searches.read_text(encoding="utf-8")
    searches.write_text(text.replace("from: 2019-01-01", "from: 01/01/2019"), "utf-8")
    _, data = run_check(clean_copy, "--json")
    assert {key[3] for key in problem_keys(data)} == {"invalid-date"}


def test_ranges_outside_methods_are_not_compared(clean_copy: Path) -> None:
    edit(
        clean_copy / "findings.md",
        "## Programmes\n",
        "Most schemes ran 01/04/2021 – 31/03/2023.\n\n## Programmes\n",
    )
    assert run_check(clean_copy, "--json")[1]["problems"] == []


def test_methods_is_found_by_its_heading_not_its_file_name(clean_copy: Path) -> None:
    (clean_copy / "methods.md").rename(clean_copy / "approach.md")
    edit(clean_copy / "review.yaml", "  - methods.md\n", "  - approach.md\n")
    edit(clean_copy / "approach.md", METHODS_RANGE, "01/01/2018 – 20/05/2024")
    line = line_of(clean_copy / "approach.md", "01/01/2018 – 20/05/2024")
    _, data = run_check(clean_copy, "--json")
    assert problem_keys(data) == {("approach.md", line, "warning", "prose-search-mismatch")}


# --------------------------------------------------------------------- sections

SECTIONS = "sections:\n  - background.md\n  - methods.md\n  - findings.md\n"


def test_a_section_name_too_long_for_the_file_system(clean_copy: Path) -> None:
    name = "a" * 300 + ".md"
    edit(clean_copy / "review.yaml", "  - findings.md\n", f"  - findings.md\n  - {name}\n")
    line = line_of(clean_copy / "review.yaml", name)
    exit_code, data = run_check(clean_copy, "--json")
    assert problem_keys(data) == {("review.yaml", line, "error", "missing-section")}
    assert exit_code == 1


@pytest.mark.parametrize(
    "sections",
    ["sections: conclusions.md", "sections: " + "a" * 300 + ".md", "sections: " + "9" * 400,
     "sections: {background: background.md}", "sections: true"],
    ids=["missing-file", "long-name", "huge-number", "mapping", "boolean"],
)  # fmt: skip
def test_sections_that_are_not_a_list_of_files_are_an_error(
    clean_copy: Path, sections: str
) -> None:
    edit(clean_copy / "review.yaml", SECTIONS, sections + "\n")
    exit_code, data = run_check(clean_copy, "--json")
    assert exit_code in (1, 2)
    assert any(p["file"] == "review.yaml" and p["severity"] == "error" for p in data["problems"])


# ---------------------------------------------------------------- duplicate-url

DFT_URL = (
    "https://www.gov.uk/government/publications/the-second-cycling-and-walking-investment-strategy"
)
DUPLICATE_SOURCE = """
- id: dft-cwis2-summary
  type: report
  title: The second cycling and walking investment strategy (summary)
  URL: {url}  # the second copy
  accessed: 2024-05-20
"""


@pytest.mark.parametrize(
    ("url", "duplicate"),
    [
        (DFT_URL, True),
        (DFT_URL.replace("https:", "http:"), True),
        (DFT_URL + "/", True),
        (DFT_URL.replace("www.gov.uk", "WWW.Gov.UK"), True),
        (DFT_URL.replace("https:", "HTTP:").replace("www.gov.uk", "www.GOV.uk") + "/", True),
        (DFT_URL.replace("/government/", "/Government/"), False),
        (DFT_URL + "/summary", False),
        (DFT_URL.replace("www.gov.uk", "gov.uk"), False),
    ],
)
def test_duplicate_url_normalises_scheme_host_case_and_trailing_slash(
    clean_copy: Path, url: str, duplicate: bool
) -> None:
    sources = clean_copy / "sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8") + DUPLICATE_SOURCE.format(url=url), encoding="utf-8"
    )
    edit(clean_copy / "findings.md", "[@dft-cwis2;", "[@dft-cwis2-summary;")
    line = line_of(sources, "# the second copy")
    _, data = run_check(clean_copy, "--json")
    expected = {("sources.yaml", line, "warning", "duplicate-url")} if duplicate else set()
    assert problem_keys(data) == expected


# ------------------------------------------------------------------ missing-url

SUSTRANS_URL_LINES = (
    "  URL: https://www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/"
    "what-is-a-school-street\n  accessed: 2024-06-03\n"
)


@pytest.mark.parametrize(
    ("source_type", "web"),
    [
        ("webpage", True),
        ("post", True),
        ("post-weblog", True),
        ("video", True),
        ("report", False),
        ("article-journal", False),
        ("document", False),
    ],
)
def test_only_web_sources_need_a_url(clean_copy: Path, source_type: str, web: bool) -> None:
    sources = clean_copy / "sources.yaml"
    edit(sources, "  type: webpage\n", f"  type: {source_type}\n")
    edit(sources, SUSTRANS_URL_LINES, "")
    line = line_of(sources, "- id: sustrans-school-streets")
    _, data = run_check(clean_copy, "--json")
    expected = {("sources.yaml", line, "warning", "missing-url")} if web else set()
    assert problem_keys(data) == expected


# ---------------------------------------------------------------- date formats


@pytest.mark.parametrize("issued", ["2022", "2022-07", "2022-07-14"])
def test_iso_dates_of_every_precision_are_valid(clean_copy: Path, issued: str) -> None:
    edit(clean_copy / "sources.yaml", "issued: 2022-07", f"issued: {issued}")
    assert run_check(clean_copy, "--json")[1]["problems"] == []


@pytest.mark.parametrize(
    "accessed",
    ["2024-02-30", "2023-02-29", "2024-00-10", "2024-6-3", "03/06/2024", "2024/06/03",
     "June 2024", "yesterday"],
)  # fmt: skip
def test_invalid_access_dates(clean_copy: Path, accessed: str) -> None:
    edit(clean_copy / "sources.yaml", "accessed: 2024-06-03", f"accessed: {accessed}")
    line = line_of(clean_copy / "sources.yaml", f"accessed: {accessed}")
    exit_code, data = run_check(clean_copy, "--json")
    assert ("sources.yaml", line, "error", "invalid-date") in problem_keys(data)
    assert codes_at(data, "sources.yaml", line) == {"invalid-date"}
    assert exit_code == 1


@pytest.mark.parametrize(
    ("accessed", "said"),
    [
        ("03/06/2024", "read day first, that is 2024-06-03"),
        ("3.6.2024", "read day first, that is 2024-06-03"),
        ("31/02/2024", None),  # no such day: nothing to suggest
        ("2024-6-3", "that is 2024-06-03"),
        ("2024/06/03", "that is 2024-06-03"),
        ("2024-6", "that is 2024-06"),
        ("2024-2-30", None),
        ("06/2024", "that is 2024-06"),
        ("June 2024", "that is 2024-06"),
        ("Sept 2024", "that is 2024-09"),
    ],
)
def test_a_date_typed_day_first_or_without_zeros_is_given_back_as_iso(
    clean_copy: Path, accessed: str, said: str | None
) -> None:
    edit(clean_copy / "sources.yaml", "accessed: 2024-06-03", f"accessed: {accessed}")
    _, data = run_check(clean_copy, "--json")
    (message,) = [p["message"] for p in problems_with_code(data, "invalid-date")]
    assert message.endswith(f": {said}") if said else "day first" not in message


SUSTRANS_URL = (
    "https://www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/"
    "what-is-a-school-street"
)


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("accessed: 2024-06-03", "accessed:", "missing-accessed"),
        (f"URL: {SUSTRANS_URL}", "URL:", "missing-url"),
    ],
)
def test_a_field_left_empty_is_reported_at_its_line(
    clean_copy: Path, old: str, new: str, code: str
) -> None:
    edit(clean_copy / "sources.yaml", f"  {old}\n", f"  {new}\n")
    lines = (clean_copy / "sources.yaml").read_text(encoding="utf-8").splitlines()
    _, data = run_check(clean_copy, "--json")
    assert problem_keys(data) == {("sources.yaml", lines.index(f"  {new}") + 1, "warning", code)}


def test_leap_day_is_a_valid_access_date(clean_copy: Path) -> None:
    edit(clean_copy / "review.yaml", "published: 2024-06\n", "published: 2024-03\n")
    edit(clean_copy / "sources.yaml", "accessed: 2024-06-03", "accessed: 2024-02-29")
    for old in ("2024-05-14", "2024-05-20", "2024-05-21"):
        edit(clean_copy / "sources.yaml", f"accessed: {old}", "accessed: 2024-03-01")
    assert run_check(clean_copy, "--json")[1]["problems"] == []


# -------------------------------------------------------------------- raw-html


@pytest.mark.parametrize(
    "html",
    [
        "<!-- a comment -->",
        "<!--\nTODO: a comment over\nseveral lines\n-->",
        "`<br>` in code",
        "a < b and c > d",
        "the <https://www.sustrans.org.uk> autolink",
    ],
)
def test_what_is_not_raw_html(clean_copy: Path, html: str) -> None:
    edit(clean_copy / "findings.md", "## Programmes\n", f"{html}\n\n## Programmes\n")
    _, data = run_check(clean_copy, "--json")
    assert problems_with_code(data, "raw-html") == []
    assert problems_with_code(data, "todo") == []


def test_an_autolink_is_one_bare_link(clean_copy) -> None:
    findings = clean_copy / "findings.md"
    findings.write_text(findings.read_text() + "\nSee <https://example.org/page>.\n")
    _, data = run_check(clean_copy, "--json")
    assert [p["code"] for p in data["problems"]] == ["bare-link"]


def test_a_raw_url_is_named_without_the_sentence_s_full_stop(clean_copy) -> None:
    findings = clean_copy / "findings.md"
    findings.write_text(findings.read_text() + "\nMore is at https://example.org/a/page.\n")
    _, data = run_check(clean_copy, "--json")
    (problem,) = problems_with_code(data, "bare-link")
    assert problem["message"] == "raw URL in prose: https://example.org/a/page"


def test_a_long_url_is_named_whole(clean_copy) -> None:
    long = "https://www.gov.uk/government/publications/active-travel-local-authority-toolkit/"
    ends = ["guidance-for-councils", "evidence-summary", "case-studies"]
    findings = clean_copy / "findings.md"
    text = "".join(f"\nSee {long}{end}.\n" for end in ends[:2])
    findings.write_text(findings.read_text() + text + f"\n[Case studies]({long}{ends[2]})\n")
    _, data = run_check(clean_copy, "--json")
    assert [p["message"] for p in problems_with_code(data, "bare-link")] == [
        f"raw URL in prose: {long}{ends[0]}",
        f"raw URL in prose: {long}{ends[1]}",
        f"link to {long}{ends[2]} directly instead of through a source",
    ]


@pytest.mark.parametrize(
    ("url", "hint"),
    [
        (
            "https://www.londoncouncils.gov.uk/school streets (2021)",
            "the address has a space: write each space as %20, or copy the address from the "
            "browser's address bar",
        ),
        (
            "www.sustrans.org.uk/what-is-a-school-street",
            "write the full address, starting https://",
        ),
        ("https://www.sustrans.org.uk:99999/", "copy the address from the browser's address bar"),
    ],
)
def test_a_bad_source_url_is_hinted_at_what_is_wrong(clean_copy, url: str, hint: str) -> None:
    sustrans = "https://www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/"
    edit(clean_copy / "sources.yaml", f"URL: {sustrans}what-is-a-school-street\n", f"URL: {url}\n")
    _, data = run_check(clean_copy, "--json")
    [problem] = problems_with_code(data, "bad-url")
    assert problem["line"] == line_of(clean_copy / "sources.yaml", f"URL: {url}")
    assert problem["hint"] == hint


def test_version_numbers_are_not_date_typos(clean_copy) -> None:
    findings = clean_copy / "findings.md"
    findings.write_text(
        findings.read_text() + "\nVersion 3.2.1 of the toolkit; 1/2/3 and 1.2.23.\n"
    )
    _, data = run_check(clean_copy, "--json")
    messages = [p["message"] for p in data["problems"] if p["code"] == "date-typo-in-prose"]
    assert sorted(messages) == [
        "'1.2.23' looks like a typo: its year has 2 digits",
        "'1/2/3' looks like a typo: its year has 1 digit",
    ]


def test_an_unclosed_comment_is_reported_as_such(clean_copy: Path) -> None:
    edit(clean_copy / "findings.md", "## Programmes\n", "<!-- note to self\n\n## Programmes\n")
    _, data = run_check(clean_copy, "--json")
    [problem] = problems_with_code(data, "raw-html")
    assert problem["message"].startswith("unclosed comment '<!-- note to self")
    assert problem["hint"] == "end the comment with -->"


# ------------------------------------------------------------- refused-resource


@pytest.mark.parametrize(
    ("name", "data", "refused"),
    [
        ("chart.tiff", b"II*\x00", "is not an image type a briefing can show"),
        ("chart.png", b"", "holds no image"),
        ("chart.svg", b"<?xml version='1.0'?>\n<html>no</html>", "holds no image"),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, None),  # shows all the same
        ("chart.svg", b"<?xml version='1.0'?>\n<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        ("chart.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 ", None),
    ],
)
def test_an_image_must_be_one(clean_copy: Path, name: str, data: bytes, refused) -> None:
    (clean_copy / "figures" / name).write_bytes(data)
    edit(clean_copy / "findings.md", "figures/mode-share.png", f"figures/{name}")
    _, data_ = run_check(clean_copy, "--json")
    problems = problems_with_code(data_, "refused-resource")
    if refused is None:
        assert problems == []
    else:
        [problem] = problems
        assert refused in problem["message"]


# ------------------------------------------------------------------ citation style

HOUSE_CSL = Path(__file__).resolve().parents[1] / "templates" / "csl" / "coventry-hdrc.csl"


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda csl: re.sub(r"<bibliography.*?</bibliography>", "", csl, flags=re.S), "no <bib"),
        (lambda csl: csl.replace('macro="accessed"', 'macro="nosuch"', 1), "macro 'nosuch'"),
    ],
    ids=["no bibliography", "undefined macro"],
)
def test_a_broken_csl_file_is_reported_at_its_line(clean_copy: Path, breakage, message) -> None:
    (clean_copy / "my.csl").write_text(breakage(HOUSE_CSL.read_text()))
    edit(clean_copy / "review.yaml", "citation_style: coventry-hdrc", "citation_style: my.csl")
    code, data = run_check(clean_copy, "--json")
    [problem] = problems_with_code(data, "unknown-style")
    assert (problem["file"], problem["line"], code) == ("review.yaml", 20, 1)
    assert message in problem["message"]


def test_a_style_name_the_os_cannot_hold_is_just_not_found(clean_copy: Path) -> None:
    """Found by the build fuzz: a 300-digit house_style made the folder test raise ENAMETOOLONG."""
    edit(clean_copy / "review.yaml", "house_style: coventry-hdrc", f"house_style: '{'9' * 300}'")
    code, data = run_check(clean_copy, "--json")
    [problem] = problems_with_code(data, "unknown-style")
    assert code == 1 and "not found" in problem["message"]


def test_build_force_says_why_a_csl_file_is_no_style(tmp_path: Path) -> None:
    """--force gets past the check, not past a style that is no style: the build's error says
    what check said (not citeproc-py's own words), and nothing is written."""
    review = copy_review(CHECKS_DIR / "unknown-style" / "not-csl", tmp_path / "review")
    result = invoke("build", str(review), "--force", "--format", "html")
    assert result.exit_code == 1
    assert "scopekit: error: citation style notes.csl is not a CSL style (its root is <notes>)" in (
        result.output
    )
    assert "_Element" not in result.output
    assert not (review / "build" / "review.html").exists()


def test_an_image_path_with_a_space_is_found(clean_copy: Path) -> None:
    """`![…](<figures/mode share.png>)`, CommonMark's way to write a space, names that file."""
    (clean_copy / "figures" / "mode-share.png").rename(clean_copy / "figures" / "mode share.png")
    edit(clean_copy / "findings.md", "(figures/mode-share.png)", "(<figures/mode share.png>)")
    _, data = run_check(clean_copy, "--json")
    assert problems_with_code(data, "refused-resource") == []
    result = invoke("build", str(clean_copy), "--format", "html")
    assert result.exit_code == 0, result.output
    html = (clean_copy / "build" / f"{clean_copy.name}.html").read_text(encoding="utf-8")
    assert 'alt="Bar chart: share of trips under 2 km by mode in Coventry"' in html
    assert "data:image/png;base64," in html

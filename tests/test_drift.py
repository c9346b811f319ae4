"""Drift: `check-links` warns `title-changed` and `content-changed` when a source's page is no
longer what it was when the source was last marked accessed (`add`, `--update-accessed`).

The pages are served on 127.0.0.1 (tests/driftsite.py, tests/sourcesite.py) and changed
between runs; nothing leaves the machine.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import jsonschema
import pytest
from conftest import CLEAN_REVIEW, SCHEMAS_DIR, copy_review, invoke, parse_json_output
from driftsite import DriftSite, page
from sourcesite import SourceSite

from scopekit.links.drift import resembles, see, simhash, similarity, words_of
from scopekit.metadata.maintext import main_text

CWIS2 = "www.gov.uk/government/publications/the-second-cycling-and-walking-investment-strategy"
CWIS2_TITLE = "The second cycling and walking investment strategy (CWIS2) - GOV.UK"
STRATEGY = """The second cycling and walking investment strategy sets out the government's
plan to make walking, wheeling and cycling the natural choice for shorter journeys by 2040.

It commits 3.8 billion pounds over the spending review period to active travel, including
new cycle routes, safer junctions and school streets in every region of England.

Local authorities are asked to publish local cycling and walking infrastructure plans, to
build to the standards of Local Transport Note 1/20, and to report on their progress each
year to Active Travel England, which will inspect the largest schemes.

The strategy's objectives are to double cycling, increase walking to 365 stages per person
per year, and raise the share of children aged 5 to 10 who usually walk to school to 55%."""
CONSULTATION = """This consultation sought views on the draft strategy before it was laid
before Parliament, asking how the Active Travel Fund should be spent between 2021 and 2025.

Responses closed on 14 May 2021. The department received 1,254 responses, of which 40% came
from individuals and the rest from councils, charities, operators and businesses.

A summary of the responses and the government's reply will be published alongside the final
strategy later this year. Read the consultation document and the impact assessment below.

An easy read version, a large print version and a Welsh translation are available on
request from the department's correspondence unit, who will reply within 20 working days."""


@pytest.fixture
def site() -> DriftSite:
    with DriftSite() as server:
        server.pages[CWIS2] = page(CWIS2_TITLE, STRATEGY)
        yield server


@pytest.fixture
def review(tmp_path: Path, site: DriftSite) -> Path:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "review")
    site.rewrite(folder)
    return folder


def check_links(folder: Path, *args: str) -> tuple[int, dict]:
    """`check-links --json --no-cache`, validated against the shared schema."""
    result = invoke("check-links", str(folder), "--json", "--no-cache", "--delay", "0", *args)
    data = parse_json_output(result)
    schema = json.loads((SCHEMAS_DIR / "check-links.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    return result.exit_code, data


def warnings(data: dict) -> list[tuple[str, str]]:
    """(source, code) of every drift warning of a run."""
    return [(w["source"], w["code"]) for link in data["links"] for w in link["warnings"]]


def stamp(folder: Path) -> str:
    """Mark every source verified ok accessed today (`--update-accessed`); the text output."""
    result = invoke("check-links", str(folder), "--no-cache", "--delay", "0", "--update-accessed")
    assert result.exit_code == 0, result.output
    return result.output


# ------------------------------------------------------------------ the parts


def test_main_text_leaves_out_menus_banners_and_footers() -> None:
    html = page("A title", "The findings.", chrome="Sign up to our newsletter")
    assert main_text(html.decode()) == "A title The findings."
    bare = "<html><body><nav>Menu</nav><p>Only <b>this</b> text</p><footer>x</footer></body>"
    assert main_text(bare) == "Only this text"
    assert main_text("<p>unclosed <script>var x = '</p>';") == "unclosed"


def test_fingerprints_of_close_texts_are_close_and_of_others_far() -> None:
    words = words_of(STRATEGY)
    edited = words_of(STRATEGY.replace("2040", "2045").replace("3.8 billion", "2 billion"))
    assert similarity(simhash(words), simhash(words)) == 1.0
    assert similarity(simhash(words), simhash(edited)) > 0.8
    assert similarity(simhash(words), simhash(words_of(CONSULTATION))) < 0.5


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [
        ("Social value and sustainability", "Social value | Coventry City Council", True),
        ("What is a school street?", "School streets: what they are", True),
        ("Physical activity: applying All Our Health", "Physical activity", True),
        ("What is a school street?", "Shop: gifts and cycling gear", False),
        ("Adult social care charging", "Council tax bands 2024/25", False),
        ("The &", "Anything at all", True),  # no words to judge by
    ],
)
def test_titles_resemble_when_half_their_words_are_shared(
    first: str, second: str, alike: bool
) -> None:
    assert resembles(first, second) is alike


def test_too_little_text_is_not_fingerprinted() -> None:
    seen = see(b"<html><title>App</title><body><div id=root></div></body></html>", None, "x")
    assert (seen.titles, seen.fingerprint, seen.words) == (("App",), None, 0)


# ------------------------------------------------------------------ check-links


def test_a_page_that_did_not_change_gives_no_warning(review: Path) -> None:
    stamp(review)
    code, data = check_links(review)
    assert (code, warnings(data)) == (0, [])
    assert all(link["warnings"] == [] for link in data["links"])


def test_a_page_whose_text_was_replaced_warns_content_changed(
    review: Path, site: DriftSite
) -> None:
    stamp(review)
    site.pages[CWIS2] = page(CWIS2_TITLE, CONSULTATION)
    code, data = check_links(review)
    assert (code, warnings(data)) == (0, [("dft-cwis2", "content-changed")])
    assert data["summary"]["warnings"] == 1
    link = next(link for link in data["links"] if link["sources"] == ["dft-cwis2"])
    assert link["status"] == "ok" and link["message"] is None
    warning = link["warnings"][0]
    assert warning["line"] == 18
    assert (
        "differs a lot from what was seen when it was accessed on 2026-11-25" in warning["message"]
    )
    assert "--update-accessed" in warning["hint"]


def test_small_edits_and_a_new_menu_do_not_warn(review: Path, site: DriftSite) -> None:
    stamp(review)
    edited = STRATEGY.replace("2040", "2045").replace("365 stages", "300 stages")
    site.pages[CWIS2] = page(CWIS2_TITLE, edited, chrome="New: our climate action hub " * 40)
    assert warnings(check_links(review)[1]) == []


def test_a_url_that_now_shows_another_page_warns_title_changed(
    review: Path, site: DriftSite
) -> None:
    stamp(review)
    site.pages[CWIS2] = page("Council tax bands and charges - GOV.UK", CONSULTATION)
    assert sorted(warnings(check_links(review)[1])) == [
        ("dft-cwis2", "content-changed"),
        ("dft-cwis2", "title-changed"),
    ]


def test_a_title_that_never_matched_is_not_warned_again_once_re_stamped(
    review: Path, site: DriftSite
) -> None:
    site.pages[CWIS2] = page("Active travel: our plan to 2040 - GOV.UK", STRATEGY)
    assert warnings(check_links(review)[1]) == [("dft-cwis2", "title-changed")]
    output = stamp(review)
    assert "re-stamped although the page drifted: dft-cwis2" in output
    assert warnings(check_links(review)[1]) == []


def test_the_text_output_prints_each_warning_as_check_does(review: Path, site: DriftSite) -> None:
    stamp(review)
    site.pages[CWIS2] = page(CWIS2_TITLE, CONSULTATION)
    result = invoke("check-links", str(review), "--no-cache", "--delay", "0")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    at = lines.index(next(line for line in lines if "warning[content-changed]" in line))
    assert lines[at].startswith(f"{review}/sources.yaml:18: warning[content-changed] ")
    assert "source 'dft-cwis2'" in lines[at]
    assert lines[at + 1].startswith("    hint: open the page and read it again")
    assert lines[-1].endswith("4 ok; 1 warning of drift")


def test_the_cache_keeps_what_each_page_showed(review: Path, site: DriftSite) -> None:
    stamp(review)
    site.pages[CWIS2] = page(CWIS2_TITLE, CONSULTATION)
    check_links(review)
    hits = site.hits[CWIS2]
    result = invoke("check-links", str(review), "--json", "--delay", "0")
    data = parse_json_output(result)
    assert site.hits[CWIS2] == hits  # from the cache, and still warned about
    assert warnings(data) == [("dft-cwis2", "content-changed")]


def test_a_baseline_of_another_url_is_ignored(review: Path, site: DriftSite) -> None:
    stamp(review)
    moved = CWIS2 + "-2022"
    site.pages[moved] = page(CWIS2_TITLE, CONSULTATION)
    sources = review / "sources.yaml"
    sources.write_text(sources.read_text().replace(CWIS2, moved), encoding="utf-8")
    assert warnings(check_links(review)[1]) == []


def test_the_baseline_is_committed_beside_sources_yaml(review: Path) -> None:
    before = (review / "sources.yaml").read_text(encoding="utf-8")
    output = stamp(review)
    assert "sources.seen.json: what the page shows recorded for" in output
    data = json.loads((review / "sources.seen.json").read_text(encoding="utf-8"))
    assert data["kind"] == "scopekit pages seen"
    baseline = data["sources"]["dft-cwis2"]
    assert baseline["accessed"] == "2026-11-25"
    assert baseline["titles"] == ["The second cycling and walking investment strategy (CWIS2)"]
    assert len(baseline["fingerprint"]) == 64
    after = (review / "sources.yaml").read_text(encoding="utf-8")
    changed = [
        (old, new) for old, new in zip(before.splitlines(), after.splitlines()) if old != new
    ]
    assert len(changed) == 4
    assert all(new.strip() == "accessed: 2026-11-25" for _, new in changed)


@pytest.mark.parametrize("content", ["{broken", '{"kind": "other"}', "[]"])
def test_an_unreadable_baseline_file_is_ignored_with_a_warning(
    review: Path, site: DriftSite, content: str
) -> None:
    (review / "sources.seen.json").write_text(content, encoding="utf-8")
    result = invoke("check-links", str(review), "--json", "--no-cache", "--delay", "0")
    assert result.exit_code == 0
    assert "sources.seen.json" in result.stderr and "baselines are ignored" in result.stderr
    assert warnings(parse_json_output(result)) == []


def test_a_pdf_or_a_huge_page_is_judged_but_not_read(tmp_path: Path) -> None:
    with SourceSite() as source_site:
        folder = copy_review(CLEAN_REVIEW, tmp_path / "review")
        text = (folder / "sources.yaml").read_text(encoding="utf-8")
        urls = [line.split("URL: ")[1] for line in text.splitlines() if "URL: " in line]
        text = text.replace(urls[0], source_site.url("/files/hi-report.pdf"))
        text = text.replace(urls[1], source_site.url("/huge"))
        for url in urls[2:]:
            text = text.replace(url, source_site.url("/socialvalue"))
        (folder / "sources.yaml").write_text(text, encoding="utf-8")
        _, data = check_links(folder)
    statuses = {link["sources"][0]: link["status"] for link in data["links"]}
    assert statuses["ohid-physical-activity"] == "ok"
    assert statuses["dft-cwis2"] == "ok"
    assert [source for source, _ in warnings(data)] == [
        "aldred-mini-hollands-2019",
        "sustrans-school-streets",
    ]


# ------------------------------------------------------------------ add


def test_add_records_what_the_page_showed(tmp_path: Path) -> None:
    with SourceSite() as source_site:
        folder = copy_review(CLEAN_REVIEW, tmp_path / "review")
        result = invoke("add", source_site.url("/socialvalue"), "--dir", str(folder))
        assert result.exit_code == 0, result.output
        result = invoke("add", source_site.url("/files/hi-report.pdf"), "--dir", str(folder))
        assert result.exit_code == 0, result.output
    data = json.loads((folder / "sources.seen.json").read_text(encoding="utf-8"))
    (source_id,) = data["sources"]  # the PDF has no baseline: its text is not read
    baseline = data["sources"][source_id]
    assert baseline["URL"] == source_site.url("/socialvalue")
    assert baseline["accessed"] == "2026-11-25"
    assert baseline["titles"][0] == "Social value and sustainability"


def test_add_dry_run_records_nothing(tmp_path: Path) -> None:
    with SourceSite() as source_site:
        folder = copy_review(CLEAN_REVIEW, tmp_path / "review")
        invoke("add", source_site.url("/socialvalue"), "--dir", str(folder), "--dry-run")
    assert not (folder / "sources.seen.json").exists()


def test_a_page_that_never_ends_is_judged_by_its_answer(tmp_path: Path) -> None:
    with SourceSite() as source_site:
        folder = copy_review(CLEAN_REVIEW, tmp_path / "review")
        text = (folder / "sources.yaml").read_text(encoding="utf-8")
        urls = [line.split("URL: ")[1] for line in text.splitlines() if "URL: " in line]
        for url in urls:
            text = text.replace(url, source_site.url("/never-ending"))
        (folder / "sources.yaml").write_text(text, encoding="utf-8")
        start = time.monotonic()
        code, data = check_links(folder, "--timeout", "1")
    assert time.monotonic() - start < 5
    assert code == 0
    assert {link["status"] for link in data["links"]} == {"ok"}
    assert warnings(data) == []

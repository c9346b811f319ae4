"""`scopekit new` and building a folder of reviews, as a user would run them."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import CHECKS_DIR, CLEAN_REVIEW, ENV, SOCIAL_VALUE_REVIEW, copy_review
from typer.testing import CliRunner

from scopekit.cli import app

runner = CliRunner()


def add_clean_review(folder: Path) -> Path:
    """A copy of the clean test review at `folder` (a review of a library)."""
    return copy_review(CLEAN_REVIEW, folder)


def invoke(*args: str):
    return runner.invoke(app, list(args), env=ENV)


def test_new_then_check_then_build(tmp_path: Path) -> None:
    review = tmp_path / "reviews" / "active-travel"
    result = invoke(
        "new",
        str(review),
        "--title",
        "What helps people walk: a review?",
        "--author",
        "Dr A. Analyst",
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in review.iterdir())
    assert names == [
        ".gitignore",
        "background.md",
        "findings.md",
        "methods.md",
        "review.yaml",
        "searches.yaml",
        "sources.yaml",
    ]
    assert (review / ".gitignore").read_text().split() == ["build/", ".scopekit/"]
    meta = yaml.safe_load((review / "review.yaml").read_text())
    assert meta["title"] == "What helps people walk: a review?"
    assert meta["authors"] == [{"name": "Dr A. Analyst"}]
    assert str(meta["published"]) == "2026-11"

    checked = invoke("check", str(review), "--json")
    assert checked.exit_code == 0, checked.output
    problems = json.loads(checked.output)["problems"]
    assert problems and {p["code"] for p in problems} == {"todo"}
    files = {p["file"] for p in problems}
    assert {"background.md", "methods.md", "findings.md"} <= files
    assert invoke("check", str(review), "--strict").exit_code == 1

    built = invoke("build", str(review), "--format", "html", "--format", "pdf")
    assert built.exit_code == 0, built.output
    html = (review / "build" / "active-travel.html").read_text()
    assert "<!--" not in html.split("<body", 1)[1], "guidance comments are never rendered"
    assert (review / "build" / "active-travel.pdf").stat().st_size > 1000


def test_a_new_users_first_review(tmp_path: Path) -> None:
    """Follow the README tutorial: new, three sources, cite them, build."""
    review = tmp_path / "first"
    assert (
        invoke(
            "new",
            str(review),
            "--title",
            "Do school streets cut traffic?",
            "--author",
            "Sam Analyst",
        ).exit_code
        == 0
    )
    text = (review / "review.yaml").read_text()
    (review / "review.yaml").write_text(
        text.replace(
            "organisation: TODO the organisation named in the closing line",
            "organisation: Coventry Health Determinants Research Collaboration",
        )
    )
    (review / "sources.yaml").write_text("""\
- id: sustrans-school-streets
  type: webpage
  title: What is a school street?
  publisher: Sustrans
  URL: https://www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/what-is-a-school-street
  accessed: 2026-11-20
- id: dft-cwis2
  type: report
  title: The second cycling and walking investment strategy
  publisher: Department for Transport
  URL: https://www.gov.uk/government/publications/the-second-cycling-and-walking-investment-strategy
  accessed: 2026-11-20
- id: coventry-school-streets
  type: webpage
  title: School streets
  publisher: Coventry City Council
  URL: https://www.coventry.gov.uk/schoolstreets
  accessed: 2026-11-21
""")
    (review / "background.md").write_text(
        "# Background\n\nSchool streets close roads to traffic at school times.[@sustrans-school-"
        "streets] National policy supports them.[@dft-cwis2]\n"
    )
    (review / "methods.md").write_text(
        "# Methods\n\nWe read [Coventry's school streets page](@coventry-school-streets).\n"
    )
    (review / "findings.md").write_text(
        "# Findings\n\nThey are popular.[@sustrans-school-streets; @dft-cwis2]\n"
    )
    checked = invoke("check", str(review), "--strict")
    assert checked.exit_code == 0, checked.output
    built = invoke("build", str(review))
    assert built.exit_code == 0, built.output
    for ext in ("html", "pdf", "docx"):
        assert (review / "build" / f"first.{ext}").is_file()
    html = (review / "build" / "first.html").read_text()
    assert 'As <a href="#note-1">1</a>' in html and 'As <a href="#note-2">2</a>' in html
    assert "Other sources" in html
    assert (
        "Produced by Sam Analyst, Coventry Health Determinants Research Collaboration, "
        "November 2026." in html
    )


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = invoke("new", str(tmp_path))
    assert result.exit_code == 2
    assert "is not empty" in result.output
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_new_from_an_earlier_review_takes_style_people_and_searches_only(tmp_path) -> None:
    review = tmp_path / "update"
    result = invoke("new", str(review), "--from", str(SOCIAL_VALUE_REVIEW))
    assert result.exit_code == 0, result.output
    meta = yaml.safe_load((review / "review.yaml").read_text())
    assert meta["authors"] == [
        {
            "name": "Dr Jack Birch",
            "affiliation": "Coventry Health Determinants Research Collaboration",
        }
    ]
    assert meta["organisation"] == "Coventry Health Determinants Research Collaboration"
    assert meta["house_style"] == "coventry-hdrc"
    assert meta["title"].startswith("TODO")
    searches = yaml.safe_load((review / "searches.yaml").read_text())
    assert [s["id"] for s in searches] == [
        "govuk",
        "lga-quoted",
        "lga-unquoted",
        "solihull",
        "kings-fund",
        "health-foundation",
    ]
    for search in searches:
        assert not {"from", "to", "run", "results", "approximate"} & set(search)
        assert search["notes"].startswith("TODO")
    assert yaml.safe_load((review / "sources.yaml").read_text()) is None
    for name in ("background.md", "methods.md", "findings.md"):
        text = (review / name).read_text()
        assert "Public Services (Social Value) Act" not in text and "Sandwell" not in text
    checked = invoke("check", str(review), "--json")
    assert checked.exit_code == 0
    assert {p["code"] for p in json.loads(checked.output)["problems"]} == {"todo"}


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self.hrefs.extend(v for k, v in attrs if k == "href" and v)


def test_library_builds_every_review_and_an_index(tmp_path: Path) -> None:
    library = tmp_path / "reviews"
    library.mkdir()
    copy_review(SOCIAL_VALUE_REVIEW, library / "social-value")
    copy_review(CLEAN_REVIEW, library / "active-travel")
    copy_review(CHECKS_DIR / "unknown-source" / "citation", library / "broken")
    result = invoke("build", str(library), "--format", "html", "--format", "docx")
    assert result.exit_code == 1, "one review has errors"
    assert "broken: not built" in result.output
    index = library / "build" / "index.html"
    html = index.read_text()
    assert "What are other local authorities doing around social value?" in html
    assert "What helps people walk and cycle for short local journeys?" in html
    assert "Not built" in html and "Dr Jack Birch" in html and "June 2024" in html
    parser = Links()
    parser.feed(html)
    local = [h for h in parser.hrefs if not h.startswith("#")]
    assert set(local) == {
        "social-value.html",
        "social-value.docx",
        "active-travel.html",
        "active-travel.docx",
    }
    for href in local:
        assert (index.parent / href).is_file(), href
    assert not re.search(r"<script", html)
    # with the broken review fixed, everything builds and the exit status says so
    shutil.rmtree(library / "broken")
    assert invoke("build", str(library), "--format", "html").exit_code == 0


def test_two_reviews_with_one_folder_name_never_overwrite_each_other(tmp_path: Path) -> None:
    library = tmp_path / "reviews"
    for year in ("2024", "2025"):
        add_clean_review(library / year / "active-travel")
    later = library / "2025" / "active-travel" / "review.yaml"
    later.write_text(later.read_text().replace("title: What helps", "title: Again, what helps"))
    for extra in ((), ("--force",)):
        result = invoke("build", str(library), "--format", "html", *extra)
        assert result.exit_code == 1
        assert "2025/active-travel: not built: its outputs would overwrite those of" in (
            result.output
        )
        assert "hint: rename one of the two folders" in result.output
        assert "(1 of 2 reviews built)" in result.output
        built = (library / "build" / "active-travel.html").read_text()
        assert "What helps people walk" in built and "Again, what helps" not in built


def test_an_unreadable_review_in_a_library_is_named_with_its_file_and_line(
    tmp_path: Path,
) -> None:
    library = tmp_path / "reviews"
    for name in ("good", "bad"):
        add_clean_review(library / name)
    (library / "bad" / "review.yaml").write_text("title: [unclosed\n")
    result = invoke("build", str(library), "--format", "html")
    assert result.exit_code == 1
    assert f"{library / 'bad'}/review.yaml:" in result.output
    assert "error[unreadable]" in result.output
    assert f"scopekit: {library / 'bad'}: not built" in result.output
    assert "(1 of 2 reviews built)" in result.output


def test_a_moved_library_reuses_its_outputs(tmp_path: Path) -> None:
    library = tmp_path / "reviews"
    add_clean_review(library / "active-travel")
    assert invoke("build", str(library), "--format", "html", "--format", "docx").exit_code == 0
    moved = library.rename(tmp_path / "moved")
    result = invoke("build", str(moved), "--format", "html", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert "changed since scopekit wrote it" not in result.output
    assert result.output.count("up to date") == 2


def test_a_review_folder_named_index_never_replaces_the_library_page(tmp_path: Path) -> None:
    library = tmp_path / "reviews"
    for name in ("index", "Active-Travel", "active-travel"):
        add_clean_review(library / name)
    result = invoke("build", str(library), "--format", "html")
    assert result.exit_code == 1
    assert "index: not built: its HTML would overwrite the library page" in result.output
    assert "active-travel: not built: its outputs would overwrite those of" in result.output
    assert "(1 of 3 reviews built)" in result.output
    assert "<title>" in (page := (library / "build" / "index.html").read_text())
    assert "What helps people walk" not in page.split("<title>", 1)[1].split("</title>", 1)[0]


def test_a_library_page_changed_by_hand_is_kept_and_said_so(tmp_path: Path) -> None:
    library = tmp_path / "reviews"
    add_clean_review(library / "active-travel")
    assert invoke("build", str(library), "--format", "html").exit_code == 0
    index = library / "build" / "index.html"
    index.write_text("<p>our own library page</p>")
    result = invoke("build", str(library), "--format", "html")
    assert result.exit_code == 1
    assert "index.html was changed since scopekit wrote it" in result.output
    assert "hint: keep your edits elsewhere, or run with --force" in result.output
    assert index.read_text() == "<p>our own library page</p>"
    assert invoke("build", str(library), "--format", "html", "--force").exit_code == 0
    assert "our own library page" not in index.read_text()

"""The messages a user audit found confusing, each as it reads now: folders named by their
name, hints that fit the file given, a URL with a space, an empty page, an import that
changed nothing, a fill with no network, one-word PDF authors, the library's links and the
reporting table's width."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from conftest import CHECKS_DIR, CLEAN_REVIEW, copy_review, invoke
from linkserver import closed_port_url
from sourcesite import SourceSite

from scopekit.metadata.model import person
from scopekit.preview import Preview
from scopekit.review.yaml_reader import load_yaml

TODAY = "2026-12-03"


@pytest.fixture(scope="module")
def site():
    with SourceSite() as running:
        yield running


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return copy_review(CLEAN_REVIEW, tmp_path / "review")


def pdf_by(author: str, title: str) -> bytes:
    """A one-page PDF whose document information names `author` and `title` (no XMP)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_metadata({"/Author": author, "/Title": title, "/CreationDate": "D:20230115"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- 2. the review folder is named by its name, also when given as `.` ----------------------


def test_a_blocked_build_in_the_folder_names_it_as_check_does(tmp_path, monkeypatch) -> None:
    folder = copy_review(CHECKS_DIR / "unknown-source" / "citation", tmp_path / "My Review")
    monkeypatch.chdir(folder)
    checked = invoke("check", ".")
    assert checked.output.splitlines()[-1].startswith("My Review: 1 error")
    result = invoke("build", ".", "--format", "html")
    assert result.exit_code == 1
    assert "My Review: 1 error: nothing built" in result.output
    assert ".: " not in result.output


def test_serve_in_the_folder_names_it(tmp_path, monkeypatch) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "My Review")
    monkeypatch.chdir(folder)

    def stop(self) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Preview, "serve_forever", stop)
    result = invoke("serve", ".", "--port", "0", "--no-browser")
    assert result.exit_code == 0, result.output
    assert re.search(r"^Serving My Review at http://127\.0\.0\.1:\d+/", result.output, re.M)


# --- 3. merge given a file that is not a DOCX -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "seems"),
    [
        ("briefing.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF, not a DOCX"),
        ("briefing.md", b"# Findings\n\nText.\n", "a text file, not a DOCX"),
        ("briefing.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "a Word 97-2003 .doc"),
        ("briefing.docx", b"PK\x03\x04cut short", "a damaged zip archive"),
    ],
)
def test_merge_of_a_file_that_is_not_a_docx_says_what_it_seems(
    review: Path, tmp_path: Path, name: str, data: bytes, seems: str
) -> None:
    given = tmp_path / name
    given.write_bytes(data)
    result = invoke("merge", str(given), str(review))
    assert result.exit_code == 2
    assert seems in result.output
    hint = result.output.split("hint: ", 1)[1]
    assert "import" not in hint and "merge" in hint


def test_import_of_a_pdf_still_says_to_import_the_docx(tmp_path: Path) -> None:
    given = tmp_path / "old.pdf"
    given.write_bytes(b"%PDF-1.4\n")
    result = invoke("import", str(given), str(tmp_path / "new"))
    assert result.exit_code == 2
    assert "old.pdf is a PDF, not a DOCX" in result.output
    assert "then import that file" in result.output


# --- 4, 5, 9. add: a URL with a space, an empty page, a one-word PDF author ------------------


def test_a_url_with_a_space_is_said_so(review: Path) -> None:
    result = invoke("add", "https://a.example/My Report.pdf", "--dir", str(review))
    assert result.exit_code == 2
    assert "has a space in it" in result.output and "%20" in result.output
    assert "neither" not in result.output


def test_the_rest_of_an_unquoted_url_points_at_the_space(review: Path) -> None:
    result = invoke("add", "https://a.example/My", "Report.pdf", "--dir", str(review))
    assert result.exit_code == 2
    assert "'Report.pdf' is neither" in result.output
    assert "if it is the rest of https://a.example/My, that URL has a space" in result.output


def test_an_empty_page_is_said_to_be_empty(review: Path, site: SourceSite) -> None:
    site.extra["/blank"] = (b"", "text/html; charset=utf-8")
    result = invoke("add", site.url("/blank"), "--dir", str(review), today=TODAY)
    assert result.exit_code == 1
    assert "the page is empty (text/html)" in result.output
    assert "not a web page or a PDF" not in result.output


def test_a_one_word_pdf_author_is_an_organisation(review: Path, site: SourceSite) -> None:
    site.extra["/files/school-streets.pdf"] = (
        pdf_by("Sustrans", "School Streets in Scotland"),
        "application/pdf",
    )
    result = invoke("add", site.url("/files/school-streets.pdf"), "--dir", str(review), today=TODAY)
    assert result.exit_code == 0, result.output
    added = load_yaml((review / "sources.yaml").read_text(encoding="utf-8"))[-1]
    assert added["author"] == [{"literal": "Sustrans"}]


@pytest.mark.parametrize(
    ("given", "name"),
    [
        ("Sustrans", {"literal": "Sustrans"}),
        ("Jane Smith", {"family": "Smith", "given": "Jane"}),
        ("Smith, Jane", {"family": "Smith", "given": "Jane"}),
        ("Smith,", {"family": "Smith"}),
        ("Coventry City Council", {"literal": "Coventry City Council"}),
    ],
)
def test_names_one_word_is_literal_two_are_a_person(given: str, name: dict) -> None:
    assert person(given) == name


# --- 6. sources import: a file with nothing in it, an import that changed nothing -------------


def test_an_ris_file_with_no_record_is_noted(review: Path, tmp_path: Path) -> None:
    given = tmp_path / "zotero.ris"
    given.write_text("this is not what Zotero writes\nnor this\n", encoding="utf-8")
    before = (review / "sources.yaml").read_bytes()
    result = invoke("sources", "import", str(given), "--dir", str(review))
    assert result.exit_code == 0
    assert "note: " in result.output and "no RIS record found in it" in result.output
    assert "nothing new" in result.output
    assert (review / "sources.yaml").read_bytes() == before


def test_importing_what_is_there_says_nothing_new(review: Path, tmp_path: Path) -> None:
    exported = tmp_path / "sources.ris"
    exporting = ("sources", "export", "--dir", str(review), "--format", "ris", "-o", str(exported))
    assert invoke(*exporting).exit_code == 0
    count = len(load_yaml((review / "sources.yaml").read_text(encoding="utf-8")))
    result = invoke("sources", "import", str(exported), "--dir", str(review))
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert f"0 added, {count} already there, nothing new from" in last
    assert "merged" not in last


# --- 7. sources fill with no network exits 3, as add does -------------------------------------


def test_fill_exits_3_when_every_failure_is_the_network(review: Path, site: SourceSite) -> None:
    """One page answers with nothing new; the other cannot be reached: no network, as for add."""
    (review / "sources.yaml").write_text(
        "- id: a\n  type: webpage\n  title: Only a title\n"
        f"  URL: {site.url('/only-title')}\n"
        "- id: b\n  type: webpage\n  title: B   # made from the URL\n"
        f"  URL: {closed_port_url('b')}\n",
        encoding="utf-8",
    )
    result = invoke("sources", "fill", str(review), today=TODAY)
    assert result.exit_code == 3, result.output
    assert "not read: source 'b'" in result.output
    assert "scopekit: no network: 1 of 2 page(s) got no answer" in result.output
    added = invoke("add", site.url("/only-title"), closed_port_url("c"), "--dir", str(review))
    assert added.exit_code == 3  # the same case for add: already there, and no network


# --- 8. check --reporting fits the terminal ---------------------------------------------------


def test_the_reporting_table_fits_100_columns_with_every_column_headed() -> None:
    from conftest import SOCIAL_VALUE_REVIEW

    result = invoke("check", str(SOCIAL_VALUE_REVIEW), "--reporting")
    lines = result.output.splitlines()
    table = lines[1 : lines.index(next(x for x in lines if x.startswith("reporting: ")))]
    assert table[0].split() == ["item", "title", "where", "status", "note"]
    assert max(len(line) for line in table) <= 100
    header = table[0]
    where, status, note = (header.index(name) for name in ("where", "status", "note"))
    for row in (line for line in table[1:] if line.startswith(("PRISMA", "Rapid"))):
        if row[status:note].strip() == "ok" and row[where:status].strip() != "-":
            assert row[note:].strip(), f"an ok row with a place but no note: {row}"
    warned = [x for x in lines if "warning[reporting-item]" in x]
    assert warned and all(re.match(r"\S+\.yaml:\d+: ", x) for x in warned)


def test_the_reporting_table_follows_columns(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    result = invoke("check", str(CLEAN_REVIEW), "--reporting")
    table = result.output.split("\nreporting: ")[0].splitlines()[1:]
    assert max(len(line) for line in table) <= 72


# --- 10. the library's links are percent-encoded ----------------------------------------------


def test_library_links_to_a_review_with_a_space_are_encoded(tmp_path: Path) -> None:
    library = tmp_path / "reviews"
    library.mkdir()
    copy_review(CLEAN_REVIEW, library / "My Review")
    result = invoke("build", str(library), "--format", "html")
    assert result.exit_code == 0, result.output
    page = (library / "build" / "index.html").read_text(encoding="utf-8")
    assert 'href="My%20Review.html"' in page and 'href="My Review.html"' not in page
    assert (library / "build" / "My Review.html").is_file()


def test_changes_since_given_a_pdf_says_to_give_the_built_docx(review: Path, tmp_path) -> None:
    given = tmp_path / "sent.pdf"
    given.write_bytes(b"%PDF-1.4\n")
    result = invoke("build", str(review), "--format", "docx", "--changes-since", str(given))
    assert result.exit_code == 2, result.output
    assert "sent.pdf is a PDF, not a DOCX" in result.output
    assert "--changes-since reads a Word document" in result.output


def test_a_missing_part_of_a_field_is_warned_at_that_field(tmp_path: Path) -> None:
    folder = copy_review(CHECKS_DIR / "reporting-item", tmp_path / "reported")
    path = folder / "review.yaml"
    text = path.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines(keepends=True) if "  verification:" not in line]
    path.write_text("".join(kept), encoding="utf-8")
    line = next(n for n, x in enumerate(kept, 1) if x.startswith("screening:"))
    result = invoke("check", str(folder), "--reporting")
    assert f"review.yaml:{line}: warning[reporting-item] Rapid review 5:" in result.output
    assert "review.yaml:1: warning[reporting-item] PRISMA-ScR 5:" in result.output

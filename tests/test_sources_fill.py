"""`scopekit sources fill`: guessed or missing titles, publishers and dates, read from pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, invoke
from linkserver import closed_port_url
from sourcesite import SourceSite

from scopekit.review.yaml_reader import load_yaml

TODAY = "2026-12-03"

# As `scopekit import` writes them: guesses marked, places in comments.
IMPORTED = """# Sources imported from briefing.docx, in the order the text first uses them.
# Titles made from a URL and publishers guessed from a domain are marked: check them.

- id: coventry-socialvalue   # note 1
  type: webpage
  title: Socialvalue   # made from the URL
  URL: {socialvalue}
  accessed: 2024-06-03

- id: gov-social-value-model   # note 2, note 5
  type: webpage
  title: Social value model   # made from the URL
  publisher: GOV.UK   # guessed from the domain
  URL: {model}
  accessed: 2024-06-03

- id: kept-as-written   # note 3
  type: webpage
  title: Our own title
  publisher: Someone
  issued: 2020
  URL: {kept}
  accessed: 2024-06-03

- id: gone   # note 4
  type: webpage
  title: Gone page   # made from the URL
  URL: {gone}
  accessed: 2024-06-03

- id: placeholder   # paragraph 3
  type: webpage
  title: TODO name the page linked as “here”
  remark: URL to be added
"""


@pytest.fixture(scope="module")
def site():
    with SourceSite() as running:
        yield running


@pytest.fixture
def review(tmp_path: Path, site: SourceSite) -> Path:
    folder = tmp_path / "review"
    shutil.copytree(CLEAN_REVIEW, folder)
    (folder / "sources.yaml").write_text(
        IMPORTED.format(
            socialvalue=site.url("/socialvalue"),
            model=site.url("/government/publications/social-value-model"),
            kept=site.url("/only-title"),
            gone=site.url("/gone-for-good"),
        ),
        encoding="utf-8",
    )
    return folder


def test_fill_proposes_a_diff_and_writes_nothing(review: Path, site: SourceSite):
    before = (review / "sources.yaml").read_bytes()
    result = invoke("sources", "fill", str(review), today=TODAY)
    assert result.exit_code == 1  # the gone page
    out = result.stdout
    assert (
        "source 'coventry-socialvalue': title: “Socialvalue” → “Social value and sustainability”"
        "   (from dc.title)" in out
    )
    assert "-  title: Socialvalue   # made from the URL\n" in out
    assert "+  title: Social value and sustainability\n" in out
    assert "+  publisher: Coventry City Council\n" in out
    assert "+  issued: 2023-10-11\n" in out
    assert "source 'gov-social-value-model': publisher: “GOV.UK” → “Cabinet Office”" in out
    assert "not read: source 'gone': the page could not be read: 404 Not Found" in out
    assert "kept-as-written" not in out
    assert "run with --apply to write them" in out
    assert (review / "sources.yaml").read_bytes() == before


def test_apply_writes_only_the_values_found(review: Path, site: SourceSite):
    path = review / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    result = invoke("sources", "fill", str(review), "--apply", today=TODAY)
    assert result.exit_code == 1
    assert "sources.yaml: 6 value(s) for 2 source(s) filled" in result.stdout
    after = path.read_text(encoding="utf-8")
    expected = before.replace(
        "  title: Socialvalue   # made from the URL\n",
        "  title: Social value and sustainability\n  publisher: Coventry City Council\n"
        "  issued: 2023-10-11\n",
    ).replace(
        "  title: Social value model   # made from the URL\n"
        "  publisher: GOV.UK   # guessed from the domain\n",
        "  title: The Social Value Model\n  publisher: Cabinet Office\n  issued: 2020-09-24\n",
    )
    assert after == expected
    entries = {entry["id"]: entry for entry in load_yaml(after)}
    assert entries["kept-as-written"]["title"] == "Our own title"
    assert entries["gone"]["title"] == "Gone page"


def test_nothing_to_fill_fetches_nothing(tmp_path: Path):
    folder = tmp_path / "review"
    shutil.copytree(CLEAN_REVIEW, folder)
    path = folder / "sources.yaml"
    path.write_text(
        "- id: a\n  type: webpage\n  title: A\n  publisher: P\n  issued: 2020\n"
        f"  URL: {closed_port_url('a')}\n"
    )
    result = invoke("sources", "fill", str(folder), today=TODAY)
    assert result.exit_code == 0
    assert "no source has a guessed title or publisher, or lacks one" in result.stdout


def test_no_network_exits_3(tmp_path: Path):
    folder = tmp_path / "review"
    shutil.copytree(CLEAN_REVIEW, folder)
    (folder / "sources.yaml").write_text(
        "- id: a\n  type: webpage\n  title: A   # made from the URL\n"
        f"  URL: {closed_port_url('a')}\n"
    )
    result = invoke("sources", "fill", str(folder), today=TODAY)
    assert result.exit_code == 3
    assert "no network" in result.output


def test_an_unreadable_sources_file_exits_2(tmp_path: Path):
    folder = tmp_path / "review"
    shutil.copytree(CLEAN_REVIEW, folder)
    (folder / "sources.yaml").write_text("- id: a\n  title: [unclosed\n")
    result = invoke("sources", "fill", str(folder), today=TODAY)
    assert result.exit_code == 2
    assert "sources.yaml:" in result.output


def test_a_source_with_a_doi_is_read_through_the_doi(
    tmp_path: Path, site: SourceSite, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SCOPEKIT_DOI_URL", site.url("/doi"))
    folder = tmp_path / "review"
    shutil.copytree(CLEAN_REVIEW, folder)
    (folder / "sources.yaml").write_text(
        "- id: birch\n  type: article-journal\n  title: Birch 2023   # made from the URL\n"
        "  DOI: 10.1234/abc\n"
    )
    result = invoke("sources", "fill", str(folder), "--apply", today=TODAY)
    assert result.exit_code == 0, result.output
    assert (folder / "sources.yaml").read_text() == (
        "- id: birch\n  type: article-journal\n"
        "  title: 'Social value in local government: a scoping review'\n"
        "  publisher: Oxford University Press\n  issued: 2023-05-04\n  DOI: 10.1234/abc\n"
    )

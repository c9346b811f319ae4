"""`scopekit sources import` and `export`: Zotero's formats in and out, merged by DOI and URL."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import CLEAN_REVIEW, invoke
from hypothesis import given, settings
from hypothesis import strategies as st

from scopekit.review.yaml_reader import load_yaml
from scopekit.review.yamltext import scalar

TODAY = "2026-12-03"

ZOTERO_CSL = [
    {
        "id": "http://zotero.org/users/123/items/ABCD1234",
        "type": "report",
        "title": "Health inequalities in Coventry",
        "publisher": "Coventry City Council",
        "author": [{"literal": "Coventry City Council"}],
        "issued": {"date-parts": [["2023", 1, 15]]},
        "accessed": {"date-parts": [[2024, 6, 3]]},
        "URL": "https://www.coventry.gov.uk/hi-report",
        "abstract": "A long abstract.",
        "note": "Citation Key: coventry2023",
    },
    {
        "id": "12",
        "type": "article-journal",
        "title": "Impacts of an active travel intervention",
        "author": [{"family": "Aldred", "given": "Rachel"}],
        "container-title": "Transportation Research Part A",
        "volume": 123,
        "page": "147-169",
        "publisher": "Elsevier",
        "DOI": "10.1016/J.TRA.2018.05.018",
        "issued": {"date-parts": [[2019]]},
    },
]
BETTER_CSL = [
    {
        "id": "birchSocialValue2023",
        "citation-key": "birchSocialValue2023",
        "type": "article-journal",
        "title": "Social value in local government",
        "author": [{"family": "Birch", "given": "Jack"}],
        "issued": {"date-parts": [[2023, 5]]},
    }
]
BIBTEX = r"""% exported by Zotero
@techreport{ohid2022,
  title = {Physical activity: applying {All Our Health}},
  author = {{Office for Health Improvement and Disparities}},
  institution = {Office for Health Improvement and Disparities},
  year = {2022}, month = mar,
  url = {https://www.gov.uk/government/publications/physical-activity-applying-all-our-health?x=1%20},
  urldate = {2024-05-14},
}
@article{muller2020,
  title = {Caf{\'e} culture \& walking},
  author = {M{\"u}ller, J{\"o}rg and van der Berg, Anna},
  journal = {Journal of Transport \& Health},
  volume = {18}, number = {2}, pages = {100--110},
  date = {2020-09-01},
  doi = {10.1016/j.jth.2020.100110},
}
@misc{smith2021-,
  title = {A key no citation can name},
}
@article{broken, title = {no end
"""
RIS = """TY  - RPRT
ID  - kingsfund-social-value
TI  - The Social Value Act explained
AU  - The King's Fund
PB  - The King's Fund
PY  - 2023
DA  - 2023/03/16/
Y2  - 2024/06/01/
UR  - https://www.kingsfund.org.uk/social-value
ER  -

TY  - ELEC
TI  - What is a school street?
AU  - Smith, Jane
UR  - https://www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/what-is-a-school-street/
PB  - Sustrans
PY  - 2019
ER  -
"""


@pytest.fixture
def review(tmp_path: Path) -> Path:
    folder = tmp_path / "review"
    shutil.copytree(CLEAN_REVIEW, folder)
    return folder


def entries(review: Path) -> dict[str, dict]:
    data = load_yaml((review / "sources.yaml").read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data}


def write(tmp_path: Path, name: str, content: object) -> Path:
    path = tmp_path / name
    text = content if isinstance(content, str) else json.dumps(content)
    path.write_text(text, encoding="utf-8")
    return path


def test_zotero_csl_json_is_imported_and_merged_by_doi(review: Path, tmp_path: Path):
    path = write(tmp_path, "zotero.json", ZOTERO_CSL)
    before = (review / "sources.yaml").read_bytes()
    result = invoke("sources", "import", str(path), "--dir", str(review), today=TODAY)
    assert result.exit_code == 0, result.output
    assert "added 'coventry-health-inequalities-2023'" in result.stdout
    # the same DOI (any case) as the clean review's aldred-mini-hollands-2019
    assert "already there as 'aldred-mini-hollands-2019' (same DOI or URL): added publisher" in (
        result.stdout
    )
    assert "kept as written in sources.yaml: title, container-title" in result.stdout
    assert "note: 'abstract' left out of 1 item(s)" in result.stdout
    text = (review / "sources.yaml").read_bytes()
    merged = b"  page: 147-169\n  publisher: Elsevier\n"
    assert text.startswith(before.replace(b"  page: 147-169\n", merged))  # all else kept
    found = entries(review)
    assert found["coventry-health-inequalities-2023"] == {
        "id": "coventry-health-inequalities-2023",
        "type": "report",
        "title": "Health inequalities in Coventry",
        "author": [{"literal": "Coventry City Council"}],
        "publisher": "Coventry City Council",
        "issued": "2023-01-15",
        "URL": "https://www.coventry.gov.uk/hi-report",
        "accessed": "2024-06-03",
    }
    assert found["aldred-mini-hollands-2019"]["publisher"] == "Elsevier"
    assert found["aldred-mini-hollands-2019"]["title"].startswith("Impacts of an active travel")
    assert invoke("check", str(review), today=TODAY).exit_code == 0


def test_better_csl_json_keeps_its_citation_key(review: Path, tmp_path: Path):
    path = write(tmp_path, "better.json", BETTER_CSL)
    assert invoke("sources", "import", str(path), "--dir", str(review)).exit_code == 0
    assert entries(review)["birchSocialValue2023"]["issued"] == "2023-05"


def test_bibtex_is_read_with_its_names_and_latex(review: Path, tmp_path: Path):
    path = write(tmp_path, "zotero.bib", BIBTEX)
    result = invoke("sources", "import", str(path), "--dir", str(review), today=TODAY)
    assert result.exit_code == 0, result.output
    assert "an entry that cannot be read: skipped" in result.stdout
    assert "id 'smith2021-' is taken or cannot be cited" in result.stdout
    assert "key-no-citation" in entries(review)
    found = entries(review)
    assert found["muller2020"] == {
        "id": "muller2020",
        "type": "article-journal",
        "title": "Café culture & walking",
        "author": [
            {"family": "Müller", "given": "Jörg"},
            {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
        ],
        "container-title": "Journal of Transport & Health",
        "volume": "18",
        "issue": "2",
        "page": "100-110",
        "issued": "2020-09-01",
        "DOI": "10.1016/j.jth.2020.100110",
    }
    report = found["ohid2022"]
    assert report["type"] == "report"
    assert report["title"] == "Physical activity: applying All Our Health"
    assert report["author"] == [{"literal": "Office for Health Improvement and Disparities"}]
    assert report["publisher"] == "Office for Health Improvement and Disparities"
    assert report["issued"] == "2022-03"
    assert report["URL"].endswith("?x=1%20")


def test_ris_is_read_and_merged_by_url(review: Path, tmp_path: Path):
    path = write(tmp_path, "zotero.ris", RIS)
    result = invoke("sources", "import", str(path), "--dir", str(review), today=TODAY)
    assert result.exit_code == 0, result.output
    found = entries(review)
    assert found["kingsfund-social-value"]["author"] == [{"literal": "The King's Fund"}]
    assert found["kingsfund-social-value"]["issued"] == "2023-03-16"
    assert found["kingsfund-social-value"]["accessed"] == "2024-06-01"
    assert "already there as 'sustrans-school-streets' (same DOI or URL): added issued" in (
        result.stdout
    )
    assert found["sustrans-school-streets"]["issued"] == "2019"
    assert "author" not in found["sustrans-school-streets"]  # names are never merged in


def test_dry_run_writes_nothing(review: Path, tmp_path: Path):
    path = write(tmp_path, "zotero.ris", RIS)
    before = (review / "sources.yaml").read_bytes()
    result = invoke("sources", "import", str(path), "--dir", str(review), "--dry-run")
    assert result.exit_code == 0
    assert "would add 'kingsfund-social-value'" in result.stdout
    assert (review / "sources.yaml").read_bytes() == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.json", "[{", "not JSON"),
        ("x.txt", "hello", "not CSL-JSON, BibTeX or RIS"),
        ("missing.json", None, "does not exist"),
        ("latin.bib", b"@misc{a, title={caf\xe9}}", "is not UTF-8 text"),
    ],
)
def test_a_file_that_cannot_be_read_exits_2(review: Path, tmp_path: Path, name, content, message):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    before = (review / "sources.yaml").read_bytes()
    result = invoke("sources", "import", str(path), "--dir", str(review))
    assert result.exit_code == 2
    assert message in result.output
    assert (review / "sources.yaml").read_bytes() == before


@pytest.mark.parametrize("fmt", ["csljson", "bibtex", "ris"])
def test_export_then_import_gives_the_same_items(review: Path, tmp_path: Path, fmt: str):
    out = tmp_path / f"sources.{ {'csljson': 'json', 'bibtex': 'bib', 'ris': 'ris'}[fmt] }"
    result = invoke("sources", "export", "--dir", str(review), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.output
    other = tmp_path / "other"
    shutil.copytree(CLEAN_REVIEW, other)
    (other / "sources.yaml").write_text("# empty\n")
    assert invoke("sources", "import", str(out), "--dir", str(other)).exit_code == 0
    assert plain(entries(other), drop=()) == plain(entries(review), drop=("remark", "archived"))


def plain(found: dict[str, dict], drop: tuple[str, ...]) -> dict[str, dict]:
    """Entries with numbers as text (`issued: 2019` reads as a number) and `drop` left out."""
    return {
        key: {k: (str(v) if isinstance(v, int) else v) for k, v in entry.items() if k not in drop}
        for key, entry in found.items()
    }


def test_export_prints_csl_json_and_cited_keeps_only_the_cited(review: Path):
    result = invoke("sources", "export", "--dir", str(review))
    everything = json.loads(result.stdout)
    assert {item["citation-key"] for item in everything} == set(entries(review))
    report = next(item for item in everything if item["id"] == "ohid-physical-activity")
    assert report["issued"] == {"date-parts": [[2022, 3, 24]]}
    (review / "sources.yaml").write_text(
        (review / "sources.yaml").read_text() + "\n- id: never-cited\n  type: webpage\n  title: N\n"
    )
    cited = json.loads(invoke("sources", "export", "--dir", str(review), "--cited").stdout)
    assert "never-cited" not in {item["id"] for item in cited}
    assert len(cited) == len(everything)


def test_report_institution_and_publisher_are_kept_in_bibtex_and_ris(review: Path):
    bib = invoke("sources", "export", "--dir", str(review), "--format", "bibtex").stdout
    assert "@techreport{dft-cwis2,\n" in bib
    assert "  institution = {Department for Transport},\n" in bib
    ris = invoke("sources", "export", "--dir", str(review), "--format", "ris").stdout
    assert "TY  - RPRT" in ris
    assert all(line[:2].isupper() and line[2:6] == "  - " for line in ris.splitlines() if line)
    assert "PB  - Department for Transport" in ris


@given(st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.()/&+'’-]{0,30}[A-Za-z0-9.)’']", fullmatch=True))
@settings(max_examples=300, deadline=None)
def test_the_fast_plain_scalar_reads_back_as_typed(text: str):
    written = scalar(text)
    assert load_yaml(f"k: {written}\n")["k"] == text
    assert yaml.safe_load(f"k: {written}\n")["k"] == text

"""The evidence table (issue 17.5): review.yaml `charting: columns` and each source's
`charting:` cells give an "Evidence table" appendix in HTML, PDF and DOCX (note numbers as
in the text, header row repeated, landscape when wide, counts of repeated values under it),
`uncharted-source` and `unknown-field` warnings, and a CSV export."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest
from conftest import CHECKS_DIR, copy_review, edit, invoke, line_of, problems_with_code, run_check
from test_build import pdf_pages, squash

from scopekit.build import build_review

CHARTED = CHECKS_DIR / "uncharted-source"  # three of the four cited sources charted
WIDE_COLUMNS = "  columns: [organisation, scheme, setting, outcome]"


def docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def chart_all(folder: Path, columns: str = "  columns: [organisation, scheme]") -> None:
    """Chart the fourth source too, and give the columns `columns`."""
    edit(folder / "review.yaml", "  columns: [organisation, scheme]", columns)
    wide = (
        "    setting: Primary schools\n    outcome: Trips counted\n" if "outcome" in columns else ""
    )
    edit(
        folder / "sources.yaml",
        "  accessed: 2024-06-03\n",
        "  accessed: 2024-06-03\n  charting:\n    organisation: Charity\n    scheme: School"
        " streets\n" + wide,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = copy_review(CHARTED, tmp_path_factory.mktemp("charted") / CHARTED.name)
    chart_all(folder)
    written = build_review(folder, ["html", "pdf", "docx"]).written
    return {item.path.suffix[1:]: item.path for item in written}


ROWS = [
    ("Note 1: Physical activity: applying All Our Health", "Government", "Guidance"),
    ("Note 2: The second cycling and walking investment strategy (CWIS2)", "Government",
     "Strategy"),
    ("Note 3: Impacts of an active travel intervention", "University", "Mini-Hollands"),
]  # fmt: skip


def test_html_has_one_row_per_charted_source_with_its_note_number(built) -> None:
    html = built["html"].read_text(encoding="utf-8")
    part = html[html.index('id="evidence-heading"') :]
    assert html.index("produced-by") < html.index('id="evidence-heading"')  # an appendix
    rows = re.findall(r"<tr>(.*?)</tr>", part, flags=re.S)
    cells = [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r)]
             for r in rows]  # fmt: skip
    assert cells[0] == ["Source", "Organisation", "Scheme"]
    for row, (source, organisation, scheme) in zip(cells[1:], ROWS):
        assert row[0].startswith(source) and row[1:] == [organisation, scheme]
    assert cells[4][0] == "What is a school street?"  # only linked: no note number
    assert "<thead>" in part and "Organisation: 2 Government, 1 Charity, 1 University" in part


def test_pdf_has_the_rows_and_the_counts(built) -> None:
    text = squash(" ".join(pdf_pages(built["pdf"])))
    assert squash("Appendix: Evidence table") in text
    for source, organisation, scheme in ROWS:
        assert squash(source) in text and squash(f"{organisation}{scheme}") in text
    assert squash("Organisation: 2 Government, 1 Charity, 1 University") in text


def test_docx_has_the_table_with_a_repeated_header_row(built) -> None:
    xml = docx_xml(built["docx"])
    part = xml[xml.index("Appendix: Evidence table") :]
    table = part[: part.index("</w:tbl>")]
    rows = re.findall(r"<w:tr[ >].*?</w:tr>", table, flags=re.S)
    assert "<w:tblHeader/>" in rows[0]
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", r)) for r in rows]
    assert texts[0] == "SourceOrganisationScheme"
    assert texts[1] == "Note 1: Physical activity: applying All Our HealthGovernmentGuidance"
    assert "Organisation: 2 Government, 1 Charity, 1 University" in part
    assert 'w:orient="landscape"' not in xml  # two columns fit a portrait page


def test_a_wide_table_goes_on_landscape_pages(tmp_path: Path) -> None:
    from pypdf import PdfReader

    folder = copy_review(CHARTED, tmp_path / CHARTED.name)
    chart_all(folder, WIDE_COLUMNS)
    written = {w.path.suffix: w.path for w in build_review(folder, ["pdf", "docx"]).written}
    pages = PdfReader(written[".pdf"]).pages
    last = pages[-1].mediabox
    assert float(last.width) > float(last.height)  # the appendix: landscape
    assert float(pages[0].mediabox.width) < float(pages[0].mediabox.height)
    assert "Setting" in (pages[-1].extract_text() or "")
    xml = docx_xml(written[".docx"])
    sections = re.findall(r"<w:sectPr[ >].*?</w:sectPr>", xml, flags=re.S)
    assert len(sections) == 2 and 'w:orient="landscape"' in sections[-1]
    with zipfile.ZipFile(written[".docx"]) as archive:
        footers = [archive.read(n).decode() for n in archive.namelist() if "footer" in n]
    # the landscape footer's page number at its own right margin, not the portrait one
    assert any('w:val="clear"' in f and "PAGE" in f for f in footers)


def test_hostile_text_in_cells_is_escaped(tmp_path: Path) -> None:
    folder = copy_review(CHARTED, tmp_path / CHARTED.name)
    edit(folder / "sources.yaml", "scheme: Guidance", 'scheme: "<script>x</script> & <i>"')
    written = build_review(folder, ["html", "docx"]).written
    html = written[0].path.read_text(encoding="utf-8")
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt; &amp; &lt;i&gt;" in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp;amp; &lt;i&gt;" not in html
    assert "&lt;script&gt;x&lt;/script&gt; &amp; &lt;i&gt;" in docx_xml(written[1].path)


def test_a_cited_source_without_a_row_is_uncharted(tmp_path: Path) -> None:
    folder = copy_review(CHARTED, tmp_path / CHARTED.name)
    _, data = run_check(folder, "--json")
    [problem] = data["problems"]
    assert problem["code"] == "uncharted-source" and "sustrans-school-streets" in problem["message"]
    chart_all(folder)
    _, data = run_check(folder, "--json")
    assert data["problems"] == []


def test_a_cell_of_an_unknown_column_is_an_unknown_field(tmp_path: Path) -> None:
    folder = copy_review(CHARTED, tmp_path / CHARTED.name)
    chart_all(folder)
    edit(folder / "sources.yaml", "    scheme: Guidance", "    schemes: Guidance")
    _, data = run_check(folder, "--json")
    [problem] = problems_with_code(data, "unknown-field")
    assert problem["line"] == line_of(folder / "sources.yaml", "schemes: Guidance")
    assert problem["hint"] == "did you mean 'scheme'?"
    assert "charting column 'schemes'" in problem["message"]


def test_the_csv_export(tmp_path: Path) -> None:
    folder = copy_review(CHARTED, tmp_path / CHARTED.name)
    chart_all(folder)
    result = invoke("export", str(folder))
    assert result.exit_code == 0, result.output
    path = folder / "build" / f"{folder.name}-evidence.csv"
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines() == [
        "source,organisation,scheme",
        "ohid-physical-activity,Government,Guidance",
        "dft-cwis2,Government,Strategy",
        "aldred-mini-hollands-2019,University,Mini-Hollands",
        "sustrans-school-streets,Charity,School streets",
    ]
    assert "no flow counts" in result.stderr
    path.write_text("my own edits\n", encoding="utf-8")
    kept = invoke("export", str(folder))
    assert kept.exit_code == 1 and "not overwritten" in kept.stderr
    assert path.read_text(encoding="utf-8") == "my own edits\n"
    assert invoke("export", str(folder), "--force").exit_code == 0


def test_export_of_a_review_without_tables_says_so(tmp_path: Path) -> None:
    folder = copy_review(CHECKS_DIR / "clean", tmp_path / "clean")
    result = invoke("export", str(folder))
    assert result.exit_code == 1
    assert "no evidence table" in result.stderr and "no flow counts" in result.stderr


def test_a_thousand_source_evidence_table_builds_to_html_in_under_2_s(tmp_path: Path) -> None:
    folder = copy_review(CHARTED, tmp_path / CHARTED.name)
    entries = [
        f"- id: s{n}\n  type: report\n  title: Report {n}\n  charting:\n"
        f"    organisation: {'Council' if n % 3 else 'NHS trust'}\n    scheme: Scheme {n}\n"
        for n in range(1000)
    ]
    (folder / "sources.yaml").write_text(
        (folder / "sources.yaml").read_text(encoding="utf-8") + "\n" + "".join(entries),
        encoding="utf-8",
    )
    findings = folder / "findings.md"
    cites = " ".join(f"[@s{n}]" for n in range(1000))
    findings.write_text(findings.read_text(encoding="utf-8") + f"\nMany.{cites}\n", "utf-8")
    start = time.perf_counter()
    written = build_review(folder, ["html"], force=True).written
    seconds = time.perf_counter() - start
    html = written[0].path.read_text(encoding="utf-8")
    assert html.count('<tr><td><span class="evidence-note">') == 1003
    assert "Organisation: 666 Council, 334 NHS trust" in html
    assert seconds < 2, f"{seconds:.2f} s"

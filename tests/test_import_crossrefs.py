"""`scopekit import`: tables keep their captions, and tables and sections their ids and the
cross-references that name them (`: Caption {#tbl-x}`, `# Title {#sec-x}`, `@tbl-x`,
`@sec-x`), from a DOCX scopekit built or one typed in Word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, TODAY_DATE, copy_review, invoke

from scopekit.checks import check_review
from scopekit.importer import import_docx
from scopekit.merging.record import read_record
from scopekit.review import load_review

docx = pytest.importorskip("docx")

FINDINGS = """# Findings {#sec-findings}

The counts are in @tbl-counts, and how they were found in @sec-methods.

| Place | Schemes |
| --- | --- |
| Coventry | 3 |
| Warwick | 4 |

: Schemes by place {#tbl-counts}

As @tbl-counts shows, Warwick described more schemes.
"""


def _built(tmp_path: Path) -> Path:
    """The clean review with a captioned table, section ids and cross-references, built."""
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    (folder / "findings.md").write_text(FINDINGS, encoding="utf-8")
    methods = folder / "methods.md"
    text = methods.read_text(encoding="utf-8")
    methods.write_text(text.replace("# Methods", "# Methods {#sec-methods}", 1), encoding="utf-8")
    built = invoke("build", str(folder), "--format", "docx")
    assert built.exit_code == 0, built.output
    return folder / "build" / "clean.docx"


def _errors(folder: Path) -> list[str]:
    problems = check_review(load_review(folder), TODAY_DATE)
    return [f"{p.file}:{p.line} {p.code}" for p in problems if p.severity.value == "error"]


def test_a_built_table_and_sections_keep_ids_caption_and_cross_references(
    tmp_path: Path,
) -> None:
    import_docx(_built(tmp_path), tmp_path / "back")
    back = tmp_path / "back"
    assert (back / "findings.md").read_text(encoding="utf-8") == FINDINGS
    assert (back / "methods.md").read_text(encoding="utf-8").startswith("# Methods {#sec-methods}")
    assert _errors(back) == []
    codes = [p.code for p in check_review(load_review(back), TODAY_DATE)]
    assert "unparsed-citation" not in codes
    again = invoke("build", str(back), "--format", "docx")
    assert again.exit_code == 0, again.output
    words = "\n".join(p.text for p in docx.Document(str(back / "build" / "back.docx")).paragraphs)
    assert "The counts are in Table 1, and how they were found in Methods." in words
    assert "Table 1: Schemes by place" in words
    assert "@tbl-counts" not in words and "@sec-methods" not in words


def test_the_build_record_ties_a_table_caption_to_its_own_line(tmp_path: Path) -> None:
    """So that `merge` and `import` find the caption's Markdown, not the paragraph before."""
    record, _ = read_record(_built(tmp_path))
    caption = next(b for b in record.blocks if b.text == "Table 1: Schemes by place")
    assert (caption.file, caption.line) == ("findings.md", 10)
    assert caption.source == ": Schemes by place {#tbl-counts}"


def _caption(document, label: str, text: str):
    """A Word caption paragraph: "Table {SEQ Table}: text"."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.add_paragraph(f"{label} ", style="Caption")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" SEQ {label} \\* ARABIC ")
    run, shown = OxmlElement("w:r"), OxmlElement("w:t")
    shown.text = "1"
    run.append(shown)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(f": {text}")
    return paragraph


def _bookmark(paragraph, name: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    for element in (start, end):
        element.set(qn("w:id"), "5")
    start.set(qn("w:name"), name)
    paragraph._p.insert(1, start)
    paragraph._p.append(end)


def _ref_field(paragraph, bookmark: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" REF {bookmark} \\h ")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def test_a_word_table_caption_and_cross_reference_to_it(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Findings", 1)
    cited = document.add_paragraph("The counts are in ")
    _ref_field(cited, "_Ref777", "Table 1")
    cited.add_run(".")
    _bookmark(_caption(document, "Table", "Schemes by place"), "_Ref777")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ["Place", "Schemes", "Coventry", "3"], strict=True):
        cell.text = text
    _caption(document, "Table", "A caption beside no table")
    document.add_paragraph("That is all.")
    document.save(str(tmp_path / "old.docx"))
    import_docx(tmp_path / "old.docx", tmp_path / "review")
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert "The counts are in @tbl-schemes-by-place." in text
    assert "| Coventry | 3 |\n\n: Schemes by place {#tbl-schemes-by-place}\n" in text
    assert "\n\nTable 1: A caption beside no table\n\nThat is all." in text  # no table: text
    assert _errors(tmp_path / "review") == []
    codes = [p.code for p in check_review(load_review(tmp_path / "review"), TODAY_DATE)]
    assert "unparsed-citation" not in codes


def test_a_table_caption_without_a_cross_reference_gets_no_id(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Findings", 1)
    _caption(document, "Table", "Schemes by place")
    table = document.add_table(rows=1, cols=2)
    table._cells[0].text, table._cells[1].text = "Place", "Schemes"
    document.save(str(tmp_path / "old.docx"))
    import_docx(tmp_path / "old.docx", tmp_path / "review")
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert "| Place | Schemes |\n| --- | --- |\n\n: Schemes by place\n" in text


def test_a_section_title_also_typed_as_words_stays_words(tmp_path: Path) -> None:
    """Only the occurrences of "Methods" that were `@sec-methods` come back as it."""
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    findings = (
        "# Findings\n\nMethods came first: see @sec-methods for the Methods used, "
        "and Table 1 of @tbl-counts.\n\n| Place | Schemes |\n| --- | --- |\n"
        "| Coventry | 3 |\n\n: Schemes by place {#tbl-counts}\n"
    )
    (folder / "findings.md").write_text(findings, encoding="utf-8")
    methods = folder / "methods.md"
    text = methods.read_text(encoding="utf-8")
    methods.write_text(text.replace("# Methods", "# Methods {#sec-methods}", 1), encoding="utf-8")
    assert invoke("build", str(folder), "--format", "docx").exit_code == 0
    import_docx(folder / "build" / "clean.docx", tmp_path / "back")
    assert (tmp_path / "back" / "findings.md").read_text(encoding="utf-8") == findings

"""`scopekit merge`: a heading renamed in Word, and a cross-reference to it retyped to match.

`@sec-methods` shows the Methods heading's title. A colleague who renames the heading and
then types the new title where the text showed the old one has changed only the heading:
the cross-reference stays `@sec-methods` and shows the new title by itself.
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import CLEAN_REVIEW, copy_review, invoke
from test_merge import built, edit_part

POINTER = "How the schemes were found is in @sec-methods, with the searches."


def _review(tmp_path: Path) -> Path:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    methods = folder / "methods.md"
    text = methods.read_text(encoding="utf-8")
    methods.write_text(text.replace("# Methods", "# Methods {#sec-methods}", 1), "utf-8")
    findings = folder / "findings.md"
    findings.write_text(findings.read_text(encoding="utf-8") + f"\n{POINTER}\n", "utf-8")
    assert invoke("build", str(folder), "--format", "docx").exit_code == 0
    return folder


def _renamed(text: str, words: str) -> str:
    """document.xml with the Methods heading, and the words shown for @sec-methods, changed."""
    run = '<w:t xml:space="preserve">Methods</w:t>'
    heading = re.search(rf'w:val="Heading1"/></w:pPr>(?:(?!</w:p>).)*?({re.escape(run)})', text)
    assert heading is not None
    at = heading.start(1)
    text = text[:at] + run.replace("Methods", "Methods and sources") + text[at + len(run) :]
    shown = f'is in </w:t></w:r><w:r>{run}</w:r><w:r><w:t xml:space="preserve">, with'
    assert shown in text
    return text.replace(shown, shown.replace(">Methods<", f">{words}<"), 1)


def test_a_retyped_cross_reference_stays_one(tmp_path: Path) -> None:
    folder = _review(tmp_path)
    edited = tmp_path / "edited.docx"
    edit_part(built(folder), edited, lambda text: _renamed(text, "Methods and sources"))
    assert ">Methods and sources<" in _document(edited)
    result = invoke("merge", str(edited), str(folder), "--apply")
    assert result.exit_code == 0, result.output
    assert (
        (folder / "methods.md")
        .read_text(encoding="utf-8")
        .startswith("# Methods and sources {#sec-methods}")
    )
    assert POINTER in (folder / "findings.md").read_text(encoding="utf-8")


def test_other_words_after_a_cross_reference_are_still_merged(tmp_path: Path) -> None:
    folder = _review(tmp_path)
    edited = tmp_path / "edited.docx"
    edit_part(built(folder), edited, lambda text: _renamed(text, "Methods (below)"))
    assert invoke("merge", str(edited), str(folder), "--apply").exit_code == 0
    findings = (folder / "findings.md").read_text(encoding="utf-8")
    assert "is in @sec-methods (below), with" in findings


def _document(docx: Path) -> str:
    import zipfile

    with zipfile.ZipFile(docx) as package:
        return package.read("word/document.xml").decode("utf-8")

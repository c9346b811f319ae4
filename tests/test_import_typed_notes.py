"""`scopekit import` of a briefing whose notes were typed as text, not made with Word's
Insert Footnote: numbers in superscript (`¹`, digits formatted superscript, `^{15,16}`) or
in brackets (`[1]`), and the notes as paragraphs starting with their number.

The first DOCX is the original briefing itself, the seed transcript as pandoc turns it into
Word, headings typed as plain lines: it must import as the same review as the seed made
with real footnotes (tests/docx_inputs.py's `seed_docx`).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import invoke
from docx_inputs import SEED, pandoc_docx, seed_docx

from scopekit.importer import import_docx
from scopekit.review import load_review

pytest.importorskip("pypandoc")


def _cited(folder: Path) -> list[str]:
    """Every citation key of the review's sections, in reading order."""
    review = load_review(folder)
    text = "\n".join(section.text for section in review.sections)
    return re.findall(r"@([\w:.-]+)", text)


def _issues(report) -> list[str]:
    return [f"{issue.place}: {issue.message}" for issue in report.issues]


def test_the_original_briefing_with_its_typed_notes_imports_as_with_real_ones(
    tmp_path: Path,
) -> None:
    typed_docx = pandoc_docx(SEED.read_text(encoding="utf-8"), tmp_path / "typed.docx")
    typed = import_docx(typed_docx, tmp_path / "typed")
    real = import_docx(seed_docx(tmp_path / "real.docx"), tmp_path / "real")
    assert typed.counts["notes"] == typed.counts["typed"] == real.counts["notes"] == 24
    assert typed.back_references == real.back_references  # "As 10" → note 10, as typed
    assert typed.merged == real.merged
    assert _cited(tmp_path / "typed")[1:] == _cited(tmp_path / "real")[1:]
    review = load_review(tmp_path / "typed")
    assert review.meta.title == "What are other local authorities doing around social value?"
    assert [s.path.name for s in review.sections] == ["background.md", "methods.md", "findings.md"]
    assert not review.meta.funding  # the last note is a note, not the closing text
    text = "\n".join(section.text for section in review.sections)
    assert not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]|\^\{", text)  # no number left typed
    assert "youtube.com/watch" not in (tmp_path / "typed" / "findings.md").read_text("utf-8")
    assert any("24 notes typed as text" in line for line in _issues(typed))
    assert any("“Methods” read as a heading" in line for line in _issues(typed))
    findings = (tmp_path / "typed" / "findings.md").read_text(encoding="utf-8")
    for title in (
        "Examples from the West Midlands: Sandwell and Solihull",
        "Sandwell",
        "Solihull",
        "Results from health-focused organisations",
    ):
        assert f"\n## {title}\n" in findings  # the seed's subsections, typed as plain lines
    result = invoke("check", str(tmp_path / "typed"))
    assert result.exit_code == 0, result.output


def _word(tmp_path: Path, paragraphs: list[list[tuple[str, bool]]]) -> Path:
    """A DOCX made in python-docx: each paragraph's runs, (text, superscript)."""
    import docx

    document = docx.Document()
    document.add_heading("Background", level=1)
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, superscript in runs:
            paragraph.add_run(text).font.superscript = superscript
    path = tmp_path / "word.docx"
    document.save(str(path))
    return path


def test_digits_formatted_superscript_are_note_calls(tmp_path: Path) -> None:
    docx = _word(
        tmp_path,
        [
            [("Councils publish a policy.", False), ("1", True), (" Most do.", False)],
            [("Two pages agree.", False), ("2,3", True)],
            [
                ("1", True),
                (" https://www.coventry.gov.uk/socialvalue (Accessed 03/06/2024)", False),
            ],
            [
                ("2", True),
                (" https://www.solihull.gov.uk/business/social-value (Accessed 04/06/2024)", False),
            ],
            [("3", True), (" As 1", False)],
        ],
    )
    report = import_docx(docx, tmp_path / "review")
    assert report.counts["typed"] == 3 and report.back_references
    text = (tmp_path / "review" / "background.md").read_text(encoding="utf-8")
    assert "Councils publish a policy.[@" in text and "Most do." in text
    keys = _cited(tmp_path / "review")
    assert keys[0] == keys[2] and keys[1] != keys[0]  # note 3 is "As 1"
    assert "Accessed" not in text and "coventry.gov.uk" not in text
    sources = (tmp_path / "review" / "sources.yaml").read_text(encoding="utf-8")
    assert "accessed: 2024-06-04" in sources and "accessed: 2024-06-03" in sources


def test_bracketed_numbers_and_a_references_list_are_notes(tmp_path: Path) -> None:
    markdown = (
        "% School streets\n\n# Background\n\nSchool streets close roads at drop-off [1]. "
        "Councils report fewer cars [2].\n\n# References\n\n"
        "\\[1\\] What is a school street? Sustrans. "
        "https://www.sustrans.org.uk/what-is-a-school-street (Accessed 03/06/2024)\n\n"
        "\\[2\\] School Streets. Hackney Council. https://hackney.gov.uk/school-streets "
        "(Accessed 03/06/2024)\n"
    )
    report = import_docx(pandoc_docx(markdown, tmp_path / "b.docx"), tmp_path / "review")
    assert report.counts["typed"] == 2
    review = load_review(tmp_path / "review")
    assert [s.path.name for s in review.sections] == ["background.md"]  # no References left
    text = review.sections[0].text
    assert re.search(r"drop-off ?\[@[\w-]+\]\. Councils report fewer cars ?\[@[\w-]+\]\.", text)
    assert "[1]" not in text and "[2]" not in text


def test_a_typed_number_with_no_note_stays_text_and_is_listed(tmp_path: Path) -> None:
    markdown = (
        "% A review\n\n# Background\n\nOne page.¹ Another.⁹\n\n"
        "¹ https://www.coventry.gov.uk/socialvalue (Accessed 03/06/2024)\n\n"
        "⁴ A note the text never calls.\n"
    )
    report = import_docx(pandoc_docx(markdown, tmp_path / "t.docx"), tmp_path / "review")
    text = (tmp_path / "review" / "background.md").read_text(encoding="utf-8")
    assert "One page.[@" in text and "Another.⁹" in text
    assert "⁴ A note the text never calls." in text
    issues = _issues(report)
    assert any("note number 9 typed in the text has no note paragraph" in i for i in issues)
    assert any("starts with note number 4, which the text never calls" in i for i in issues)


def test_with_word_footnotes_typed_superscripts_are_text(tmp_path: Path) -> None:
    markdown = (
        "% A review\n\n# Background\n\nThe site is 400 m² in all.[^1]\n\n"
        "² Not a note: the document has Word's own.\n\n"
        "[^1]: https://www.coventry.gov.uk/socialvalue (Accessed 03/06/2024)\n"
    )
    report = import_docx(pandoc_docx(markdown, tmp_path / "w.docx"), tmp_path / "review")
    assert report.counts["footnotes"] == 1 and report.counts["typed"] == 0
    text = (tmp_path / "review" / "background.md").read_text(encoding="utf-8")
    assert "400 m² in all.[@" in text and "² Not a note" in text


def test_typed_notes_beside_word_footnotes_are_listed_not_read(tmp_path: Path) -> None:
    markdown = (
        "% A review\n\n# Background\n\nCouncils publish a policy [1].[^1]\n\n# References\n\n"
        "\\[1\\] Social value. Coventry City Council. https://www.coventry.gov.uk/socialvalue "
        "(Accessed 03/06/2024)\n\n"
        "[^1]: https://www.solihull.gov.uk/business/social-value (Accessed 03/06/2024)\n"
    )
    report = import_docx(pandoc_docx(markdown, tmp_path / "m.docx"), tmp_path / "review")
    assert report.counts["footnotes"] == 1 and report.counts["typed"] == 0
    assert any(
        "starts with note number 1, typed as text: kept as text (the document has Word notes"
        in line
        for line in _issues(report)
    )


def test_a_numbered_references_list_holds_the_typed_notes(tmp_path: Path) -> None:
    markdown = (
        "% A review\n\n# Background\n\nCouncils publish a policy.¹ Some measure it.² "
        "Coventry does both.¹\n\n# References\n\n"
        "1. Social value. Coventry City Council. https://www.coventry.gov.uk/socialvalue "
        "(Accessed 03/06/2024)\n"
        "2. https://www.solihull.gov.uk/business/social-value (Accessed 04/06/2024)\n"
    )
    report = import_docx(pandoc_docx(markdown, tmp_path / "l.docx"), tmp_path / "review")
    assert report.counts["typed"] == 2
    review = load_review(tmp_path / "review")
    assert [s.path.name for s in review.sections] == ["background.md"]
    keys = _cited(tmp_path / "review")
    assert len(keys) == 3 and keys[0] == keys[2] != keys[1]
    sources = (tmp_path / "review" / "sources.yaml").read_text(encoding="utf-8")
    assert 'publisher: "Coventry City Council"' in sources and "accessed: 2024-06-04" in sources


# --- typed as people type them (an audit's cases) -------------------------------------------

URL_A = "https://www.local.gov.uk/social-value (Accessed 03/06/2024)"
URL_B = "https://socialvalueportal.com/toms (Accessed 03/06/2024)"
URL_C = "https://www.coventry.gov.uk/assets (Accessed 04/06/2024)"


def _typed(tmp_path: Path, markdown: str, name: str = "typed"):
    """Import Markdown as pandoc writes it to Word with `^1^` as superscript runs; the
    report, the sections' Markdown joined, and the folder."""
    import pypandoc

    docx = tmp_path / f"{name}.docx"
    pypandoc.convert_text(markdown, "docx", format="markdown-smart", outputfile=str(docx))
    report = import_docx(docx, tmp_path / name)
    review = load_review(tmp_path / name)
    return report, "\n".join(section.text for section in review.sections), review


def test_an_exponent_is_no_call(tmp_path: Path) -> None:
    report, text, _ = _typed(
        tmp_path,
        "% Halls\n\n# Background\n\nMost are small.^1^ The largest is 400 m² and the yard 90 "
        f"m^2^.^2^\n\n# Notes\n\n^1^ {URL_A}\n\n^2^ {URL_C}\n",
    )
    assert "400 m² and the yard 90 m^2^.[@" in text
    assert len(re.findall(r"\[@", text)) == 2
    assert any("“m²” read as a unit's exponent" in line for line in _issues(report))


def test_the_way_of_typing_with_the_most_calls_is_read(tmp_path: Path) -> None:
    _, text, _ = _typed(
        tmp_path,
        "% Halls\n\n# Background\n\nMost publish a policy [1]. The hall has 120 m² of floor "
        f"[2].\n\n# References\n\n1. {URL_A}\n2. {URL_C}\n",
    )
    assert re.search(r"policy \[@[\w-]+\]\. The hall has 120 m² of floor \[@[\w-]+\]", text)


def test_notes_numbered_again_in_each_section_are_each_sections_own(tmp_path: Path) -> None:
    report, text, review = _typed(
        tmp_path,
        f"% Briefing\n\n# Background\n\nCouncils publish.^1^\n\n^1^ {URL_A}\n\n"
        f"# Findings\n\nBirmingham uses the TOMs.^1^ Leeds does not.^2^\n\n^1^ {URL_B}\n\n"
        f"^2^ {URL_C}\n",
    )
    background, findings = (section.text for section in review.sections)
    assert "[@local-social-value]" in background
    assert "TOMs.[@socialvalueportal-toms]" in findings and "[@coventry-assets]" in findings
    assert "http" not in text
    assert any("numbers start again" in line for line in _issues(report))


def test_notes_typed_one_dot_under_references_are_read(tmp_path: Path) -> None:
    report, text, _ = _typed(
        tmp_path,
        f"% Briefing\n\n# Background\n\nCouncils publish.^1^ Many use the TOMs.^2^\n\n"
        f"# References\n\n1\\. Social value. {URL_A}\n\n2\\. National TOMs. {URL_B}\n",
    )
    assert report.counts["typed"] == 2 and "References" not in text and "1\\." not in text


def test_a_bold_references_label_and_its_list_in_a_plain_document(tmp_path: Path) -> None:
    report, text, review = _typed(
        tmp_path,
        "% Briefing\n\n**Background**\n\nCouncils publish.^1^ Many use the TOMs.^2^\n\n"
        f"**References:**\n\n1. {URL_A}\n2. {URL_B}\n",
    )
    assert report.counts["typed"] == 2
    assert [s.path.name for s in review.sections] == ["background.md"]
    assert text.startswith("# Background\n") and "**" not in text and "References" not in text


def test_a_superscript_that_calls_no_note_stays_superscript(tmp_path: Path) -> None:
    report, text, _ = _typed(
        tmp_path,
        f"% Use\n\n# Background\n\nUse rose in 2022^4^ and fell.^1^\n\n# Notes\n\n^1^ {URL_A}\n",
    )
    assert "Use rose in 2022^4^ and fell.[@" in text
    assert any("note number 4 typed in the text has no note" in line for line in _issues(report))


def test_call_forms_spaces_and_separators(tmp_path: Path) -> None:
    _, text, _ = _typed(
        tmp_path,
        "% Forms\n\n# Background\n\nAs the LGA says^1\\ ^most agree. A.¹,² B.^1;3^ C.^2–3^\n\n"
        f"# Notes\n\n^1.^ {URL_A}\n\n^2.^ {URL_B}\n\n^3.^ {URL_C}\n",
    )
    keys = {"a": "@local-social-value", "b": "@socialvalueportal-toms", "c": "@coventry-assets"}
    assert f"As the LGA says[{keys['a']}]\u00a0most agree." in text  # pandoc's `\ `: no-break
    assert f"A.[{keys['a']}; {keys['b']}] B.[{keys['a']}; {keys['c']}]" in text
    assert f"C.[{keys['b']}; {keys['c']}]" in text


def test_headings_typed_in_bold_and_the_title_guess(tmp_path: Path) -> None:
    _, text, review = _typed(
        tmp_path,
        "OFFICIAL\n\nParks and wellbeing in Coventry\n\n**Background:**\n\nParks matter.\n\n"
        "**What we found**\n\nTen councils have a policy.\n\n**2. Next steps**\n\nAsk.\n",
    )
    assert review.meta.title == "Parks and wellbeing in Coventry"
    assert "# Background\n" in text and "## What we found\n" in text and "**" not in text
    assert "OFFICIAL" not in text  # a protective marking: listed, not imported
    _, _, review = _typed(
        tmp_path, "This note sums up what councils do.\n\n**Background**\n\nParks.\n", "sentence"
    )
    assert review.meta.title.startswith("TODO")  # "Background" is a section, not the title


def test_a_bracketed_back_reference(tmp_path: Path) -> None:
    report, _, _ = _typed(
        tmp_path,
        "% Briefing\n\n# Background\n\nOne [1]. Two [2].\n\n# References\n\n"
        f"\\[1\\] {URL_A}\n\n\\[2\\] See \\[1\\] above.\n",
    )
    assert report.back_references == ["note 2 “See [1] above.” → note 1: local-social-value"]


def test_two_urls_joined_by_and_are_two_sources_named_from_their_urls(tmp_path: Path) -> None:
    _, text, review = _typed(
        tmp_path,
        "% Two\n\n# Background\n\nBoth agree.^1^\n\n# Notes\n\n^1^ "
        "https://www.local.gov.uk/social-value and https://socialvalueportal.com/toms "
        "(Accessed 03/06/2024)\n",
    )
    titles = [source.title for source in review.sources]
    assert len(titles) == 2 and "and" not in titles
    assert re.search(r"agree\.\[@[\w-]+; @[\w-]+\]", text)


def _raised_docx(tmp_path: Path, runs: list[list[tuple[str, str]]]) -> Path:
    """A DOCX made in python-docx, no date in its properties: each paragraph's runs as
    (text, how): "" plain, "sup" superscript, "raised" LibreOffice's raised text, "link"."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Background", level=1)
    for pieces in runs:
        paragraph = document.add_paragraph()
        for text, how in pieces:
            run = paragraph.add_run(text)
            if how == "sup":
                run.font.superscript = True
            elif how == "raised":
                position = OxmlElement("w:position")
                position.set(qn("w:val"), "8")
                run._r.get_or_add_rPr().append(position)
    saved = tmp_path / "saved.docx"
    document.save(str(saved))
    path = tmp_path / "raised.docx"
    with zipfile.ZipFile(saved) as old, zipfile.ZipFile(path, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename == "docProps/core.xml":  # no date saved in the file
                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", data)
            new.writestr(info, data)
    return path


def test_ordinals_raised_text_tabs_and_years_as_people_type_them(tmp_path: Path) -> None:
    docx = _raised_docx(
        tmp_path,
        [
            [("It ranked 4", ""), ("th", "sup"), ("1", "sup"), (" in the region.", "")],
            [("Use rose", ""), ("2", "raised"), (" in [2019–2021].", "")],
            [("Notes", "")],
            [("1\tArts Council. https://www.artscouncil.org.uk/rank (Accessed 03/06/2024)", "")],
            [("2\thttps://www.ons.gov.uk/parks (Accessed 04/06/2024)", "")],
        ],
    )
    report = import_docx(docx, tmp_path / "review")
    text = (tmp_path / "review" / "background.md").read_text(encoding="utf-8")
    assert re.search(r"It ranked 4\^th\^\[@[\w-]+\] in the region\.", text)
    assert re.search(r"Use rose\[@[\w-]+\] in \\\[2019–2021\\\]\.", text)
    assert "Arts Council" not in text and report.counts["typed"] == 2
    issues = _issues(report)
    assert not any("note number 2019" in line for line in issues)  # years are no notes
    review = load_review(tmp_path / "review")
    assert review.meta.published is not None  # no date in the file: this month, listed
    assert any("no date saved in the file" in line for line in issues)


def test_a_call_typed_inside_a_links_text_follows_the_link(tmp_path: Path) -> None:
    _, text, review = _typed(
        tmp_path,
        "% Links\n\n# Background\n\nSee the [LGA guidance^1^](https://www.local.gov.uk/guide) "
        f"for detail.\n\n# Notes\n\n^1^ {URL_B}\n",
    )
    assert re.search(r"See the \[LGA guidance\]\(@[\w-]+\)\[@socialvalueportal-toms\] for", text)
    assert "LGA guidance1" not in {source.title for source in review.sources}


@pytest.mark.parametrize(
    ("closing", "authors", "organisation"),
    [
        (
            "Produced by Jane Smith, Public Health, Coventry City Council, June 2024.",
            ["Jane Smith"],
            "Public Health, Coventry City Council",
        ),
        (
            "Produced by Jane Smith, Sam Lee, Insight Team, Coventry City Council, June 2024.",
            ["Jane Smith", "Sam Lee"],
            "Insight Team, Coventry City Council",
        ),
        ("Produced by Jane Smith, Coventry HDRC, June 2024.", ["Jane Smith"], "Coventry HDRC"),
    ],
)
def test_a_team_in_the_closing_line_is_no_author(
    tmp_path: Path, closing: str, authors: list[str], organisation: str
) -> None:
    _, _, review = _typed(tmp_path, f"% A review\n\n# Background\n\nText.\n\n{closing}\n")
    assert [author.name for author in review.meta.authors] == authors
    assert review.meta.organisation == organisation

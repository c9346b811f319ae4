"""`scopekit import`: pictures come back as figures in `figures/`, with alt text and caption.

The DOCX inputs are made here with python-docx (`add_picture`, a Caption paragraph with a
SEQ field), or built by scopekit from the clean fixture review.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, TODAY_DATE, copy_review, invoke
from lxml import etree

from scopekit.checks import check_review
from scopekit.errors import UsageError
from scopekit.folder_writer import write_folder
from scopekit.importer import import_docx
from scopekit.review import load_review

docx = pytest.importorskip("docx")

PNG = CLEAN_REVIEW / "figures" / "mode-share.png"
ALT = "Bar chart: walking 41%, car 38%, cycling 12%"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4"/></svg>'
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SVG_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _caption(document, before: str, after: str) -> None:
    """A Word caption paragraph: "Figure {SEQ Figure}: text"."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = document.add_paragraph(before, style="Caption")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " SEQ Figure \\* ARABIC ")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(after)


def picture_docx(out: Path, alt: str | None = ALT, caption: bool = True) -> Path:
    """A briefing with a picture (alt text, caption below), the same image again (no alt
    text), and a chart-like drawing that is no picture."""
    document = docx.Document()
    document.add_paragraph("Walking in towns", style="Title")
    document.add_heading("Findings", 1)
    document.add_paragraph("Most short trips are walked.")
    document.add_picture(str(PNG))
    if alt is not None:
        document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", alt)
    if caption:
        _caption(document, "Figure ", ": Trips under 2 km by mode, Coventry")
    document.add_paragraph("Cycling is rare.")
    document.add_picture(str(PNG))
    document.save(str(out))
    return out


def _errors(folder: Path) -> list[str]:
    problems = check_review(load_review(folder), TODAY_DATE)
    return [f"{p.file}:{p.line} {p.code}" for p in problems if p.severity.value == "error"]


def _codes(folder: Path) -> list[str]:
    return [p.code for p in check_review(load_review(folder), TODAY_DATE)]


def test_a_picture_with_alt_text_and_caption_becomes_a_figure(tmp_path: Path) -> None:
    folder = tmp_path / "review"
    report = import_docx(picture_docx(tmp_path / "old.docx"), folder)
    assert (folder / "figures" / "mode-share.png").read_bytes() == PNG.read_bytes()
    assert sorted(p.name for p in (folder / "figures").iterdir()) == ["mode-share.png"]
    text = (folder / "findings.md").read_text(encoding="utf-8")
    assert f'![{ALT}](figures/mode-share.png "Trips under 2 km by mode, Coventry")' in text
    assert "Figure 1" not in text and "**" not in text
    assert "\n![](figures/mode-share.png)\n" in text  # the image part used twice, written once
    assert "figures/mode-share.png" in report.files
    assert not any("not imported" in issue.message for issue in report.issues)
    assert _errors(folder) == []
    assert _codes(folder).count("missing-alt-text") == 1


def test_import_from_the_command_line_lists_the_figure(tmp_path: Path) -> None:
    result = invoke("import", str(picture_docx(tmp_path / "old.docx")), str(tmp_path / "new"))
    assert result.exit_code == 0, result.output
    assert "figures/mode-share.png" in result.output


def test_a_caption_above_the_picture_and_title_as_alt_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Findings", 1)
    _caption(document, "Figure ", ": Modes")
    document.add_picture(str(PNG))
    document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("title", "Walking and cycling")
    document.add_paragraph("Figure 2: not a caption, as it is body text.")
    document.save(str(tmp_path / "old.docx"))
    import_docx(tmp_path / "old.docx", tmp_path / "review")
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert '![Walking and cycling](figures/mode-share.png "Modes")' in text
    assert "Figure 2: not a caption" in text


def test_a_pandoc_image_caption_becomes_the_caption(tmp_path: Path) -> None:
    import pypandoc

    (tmp_path / "chart.png").write_bytes(PNG.read_bytes())
    (tmp_path / "doc.md").write_text(
        "# Findings\n\nText.\n\n![Trips by mode](chart.png)\n", encoding="utf-8"
    )
    pypandoc.convert_file(
        str(tmp_path / "doc.md"), "docx", outputfile=str(tmp_path / "doc.docx"), cworkdir=tmp_path
    )
    import_docx(tmp_path / "doc.docx", tmp_path / "review")
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert text.count("Trips by mode") == 2  # alt text and caption, no paragraph of its own
    assert '"Trips by mode")' in text


def _with_svg(path: Path, out: Path) -> Path:
    """The DOCX with an SVG image part beside its PNG, named by an `asvg:svgBlip`."""
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    rels = etree.fromstring(entries["word/_rels/document.xml.rels"])
    etree.SubElement(rels, f"{{{_REL}}}Relationship", Id="rIdSvg", Target="media/drawing.svg")
    rels[-1].set(
        "Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    )
    document = etree.fromstring(entries["word/document.xml"])
    blip = next(document.iter(f"{{{_A}}}blip"))
    ext = etree.SubElement(etree.SubElement(blip, f"{{{_A}}}extLst"), f"{{{_A}}}ext")
    svg = etree.SubElement(ext, f"{{{_SVG_NS}}}svgBlip")
    svg.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed", "rIdSvg")
    entries["word/document.xml"] = etree.tostring(document)
    entries["word/_rels/document.xml.rels"] = etree.tostring(rels)
    entries["word/media/drawing.svg"] = SVG
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    return out


def test_an_svg_picture_is_imported_as_svg(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Findings", 1)
    document.add_picture(str(PNG))
    document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", ALT)
    document.save(str(tmp_path / "plain.docx"))
    import_docx(_with_svg(tmp_path / "plain.docx", tmp_path / "svg.docx"), tmp_path / "review")
    assert (tmp_path / "review" / "figures" / "mode-share.svg").read_bytes() == SVG
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert f"![{ALT}](figures/mode-share.svg)" in text


def test_a_chart_is_no_picture() -> None:
    from scopekit.importer.pictures import pictures

    chart = etree.fromstring(
        f'<w:drawing xmlns:w="{w_ns()}" xmlns:a="{_A}"><a:graphic><a:graphicData>'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>'
        "</a:graphicData></a:graphic></w:drawing>"
    )
    assert pictures(chart, {}, {}) == ([], 1)


def w_ns() -> str:
    return "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_an_unreadable_picture_is_still_reported(tmp_path: Path) -> None:
    path = picture_docx(tmp_path / "old.docx", caption=False)
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    media = next(name for name in entries if name.startswith("word/media/"))
    entries[media] = b"not an image"
    with zipfile.ZipFile(tmp_path / "broken.docx", "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    report = import_docx(tmp_path / "broken.docx", tmp_path / "review")
    lost = [issue.message for issue in report.issues if "not imported" in issue.message]
    assert len(lost) == 2 and all("unreadable picture" in m for m in lost)
    assert not (tmp_path / "review" / "figures").exists()
    from scopekit.importer.pictures import image_kind

    assert image_kind(b"not an image") is None


def test_the_folder_writer_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(b"mine")
    with pytest.raises(UsageError):
        write_folder(tmp_path, {"figures/a.png": b"theirs"})
    assert (tmp_path / "figures" / "a.png").read_bytes() == b"mine"


def test_round_trip_of_the_clean_review_keeps_its_figure(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    findings = folder / "findings.md"
    findings.write_text(
        findings.read_text(encoding="utf-8").replace(
            "(figures/mode-share.png)", '(figures/mode-share.png "Trips under 2 km by *mode*")'
        ),
        encoding="utf-8",
    )
    built = invoke("build", str(folder), "--format", "docx")
    assert built.exit_code == 0, built.output
    import_docx(folder / "build" / "clean.docx", tmp_path / "back")
    back = tmp_path / "back"
    assert (back / "figures" / "mode-share.png").read_bytes() == PNG.read_bytes()
    text = (back / "findings.md").read_text(encoding="utf-8")
    assert (
        "![Bar chart: share of trips under 2 km by mode in Coventry]"
        '(figures/mode-share.png "Trips under 2 km by *mode*")'
    ) in text
    assert _errors(back) == []


def _with_figure_id(folder: Path) -> None:
    """The clean review's chart as a figure `{#fig-modes}`, cited in the text as @fig-modes."""
    findings = folder / "findings.md"
    findings.write_text(
        findings.read_text(encoding="utf-8")
        .replace(
            "(figures/mode-share.png)",
            '(figures/mode-share.png "Trips under 2 km by mode [@dft-cwis2]"){#fig-modes}',
        )
        .replace(
            "## Programmes", "As @fig-modes shows, most short trips are walked.\n\n## Programmes"
        ),
        encoding="utf-8",
    )


def test_a_built_figure_keeps_its_id_and_cross_references(tmp_path: Path) -> None:
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    _with_figure_id(folder)
    before = _codes(folder)
    built = invoke("build", str(folder), "--format", "docx")
    assert built.exit_code == 0, built.output
    import_docx(folder / "build" / "clean.docx", tmp_path / "back")
    back = tmp_path / "back"
    text = (back / "findings.md").read_text(encoding="utf-8")
    figure = re.search(r'\(figures/mode-share\.png "Trips under 2 km by mode\[@([\w-]+)\]"\)', text)
    assert figure is not None, text  # the caption's citation kept (it was `[]`)
    assert f"{figure[0]}{{#fig-modes}}" in text
    assert "As @fig-modes shows, most short trips are walked." in text
    assert "Figure 1" not in text
    new = [code for code in _codes(back) if code not in before]
    assert not [c for c in new if c in ("unparsed-citation", "missing-alt-text")], new
    assert _errors(back) == []
    again = invoke("build", str(back), "--format", "docx")
    assert again.exit_code == 0, again.output
    words = "\n".join(p.text for p in docx.Document(str(back / "build" / "back.docx")).paragraphs)
    assert "As Figure 1 shows" in words and "@fig-modes" not in words


def _bookmark(paragraph, name: str, number: str) -> None:
    """A bookmark `name` around the paragraph's first run (as Word puts a `_Ref` one)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), number)
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), number)
    paragraph._p.insert(1, start)
    paragraph._p.insert(3, end)


def _ref_field(paragraph, bookmark: str, shown: str) -> None:
    """A REF field to `bookmark` showing `shown`, as Word's Insert Cross-reference writes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" REF {bookmark} \\h ")
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _anchor_link(paragraph, anchor: str, shown: str) -> None:
    """A hyperlink to a place in the document (`w:anchor`)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = shown
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def test_word_cross_references_to_a_figure_become_at_fig(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Findings", 1)
    document.add_picture(str(PNG))
    document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", ALT)
    _caption(document, "Figure ", ": Trips under 2 km by mode")
    _bookmark(document.paragraphs[-1], "_Ref12345", "7")
    cited = document.add_paragraph("As ")
    _ref_field(cited, "_Ref12345", "Figure 1")
    cited.add_run(" and ")
    _anchor_link(cited, "_Ref12345", "Figure 1")
    cited.add_run(" show, ")
    _ref_field(cited, "_Ref99", "Figure 9")
    cited.add_run(" is elsewhere.")
    document.save(str(tmp_path / "old.docx"))
    report = import_docx(tmp_path / "old.docx", tmp_path / "review")
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert f'![{ALT}](figures/mode-share.png "Trips under 2 km by mode"){{#fig-mode-share}}' in text
    assert "As @fig-mode-share and @fig-mode-share show, Figure 9 is elsewhere." in text
    assert any("missing bookmark" in issue.message for issue in report.issues)
    assert _errors(tmp_path / "review") == []
    assert "unparsed-citation" not in _codes(tmp_path / "review")


def test_a_pandoc_figure_keeps_its_bookmark_id(tmp_path: Path) -> None:
    import pypandoc

    (tmp_path / "chart.png").write_bytes(PNG.read_bytes())
    (tmp_path / "doc.md").write_text(
        "# Findings\n\nText.\n\n![Trips by mode](chart.png){#fig-modes}\n\n"
        "As @fig-modes shows; @fig-other is no figure.\n",
        encoding="utf-8",
    )
    pypandoc.convert_file(
        str(tmp_path / "doc.md"), "docx", outputfile=str(tmp_path / "doc.docx"), cworkdir=tmp_path
    )
    import_docx(tmp_path / "doc.docx", tmp_path / "review")
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert '"Trips by mode"){#fig-modes}' in text
    assert "As @fig-modes shows; \\@fig-other is no figure." in text


def test_a_caption_without_a_label_that_is_the_alt_text_is_kept_once(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Findings", 1)
    document.add_picture(str(PNG))
    document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", "Trips by mode")
    document.add_paragraph("Trips by mode", style="Caption")
    document.add_picture(str(PNG))
    document.paragraphs[-1]._p.xpath(".//wp:docPr")[0].set("descr", "Cycling rates")
    document.add_paragraph("Cycling rates.")
    document.add_paragraph("Walking is common.")
    document.save(str(tmp_path / "old.docx"))
    import_docx(tmp_path / "old.docx", tmp_path / "review")
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert '![Trips by mode](figures/mode-share.png "Trips by mode")' in text
    assert text.count("Trips by mode") == 2  # alt text and caption, no paragraph of its own
    assert '![Cycling rates](figures/mode-share.png "Cycling rates.")' in text
    assert text.count("Cycling rates") == 2
    assert "Walking is common." in text
    assert "missing-alt-text" not in _codes(tmp_path / "review")


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _group(document, alts: list[str], text_box: bool) -> None:
    """A paragraph holding a Word group (`mc:AlternateContent`, `wpg:wgp`) of the pictures
    python-docx placed (each with its own alt text in `pic:cNvPr`), and a text box if asked;
    the paragraphs the pictures were placed in are removed."""
    pics = []
    for alt in alts:
        document.add_picture(str(PNG))
        placed = document.paragraphs[-1]._p
        pic = next(placed.iter(f"{{{_PIC}}}pic"))
        next(pic.iter(f"{{{_PIC}}}cNvPr")).set("descr", alt)
        pics.append(pic)
        placed.getparent().remove(placed)
    paragraph = document.add_paragraph()
    choice_xml = (
        f'<mc:AlternateContent xmlns:mc="{_MC}" xmlns:w="{_W}" xmlns:wp="{_WP}" '
        f'xmlns:a="{_A}" xmlns:wpg="{_WPG}" xmlns:wps="{_WPS}">'
        '<mc:Choice Requires="wpg"><w:drawing><wp:anchor><wp:docPr id="50" name="Group 1"/>'
        f'<a:graphic><a:graphicData uri="{_WPG}"><wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr/>'
        "</wpg:wgp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        "<mc:Fallback><w:pict/></mc:Fallback></mc:AlternateContent>"
    )
    content = etree.fromstring(choice_xml)
    group = next(content.iter(f"{{{_WPG}}}wgp"))
    group.extend(pics)
    if text_box:
        etree.SubElement(
            etree.SubElement(group, f"{{{_WPS}}}wsp"), f"{{{_WPS}}}txbx"
        ).text = "Source: DfT"
    run = paragraph.add_run()._r
    run.append(content)


def test_the_pictures_of_a_group_are_imported(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Findings", 1)
    document.add_paragraph("Two charts side by side.")
    _group(document, ["Walking by age", "Cycling by age"], text_box=False)
    document.add_paragraph("A group with a note on it.")
    _group(document, ["Bus use by age"], text_box=True)
    document.save(str(tmp_path / "old.docx"))
    report = import_docx(tmp_path / "old.docx", tmp_path / "review")
    text = (tmp_path / "review" / "findings.md").read_text(encoding="utf-8")
    assert "![Walking by age](figures/mode-share.png)" in text
    assert "![Cycling by age](figures/mode-share.png)" in text
    assert "![Bus use by age](figures/mode-share.png)" in text
    lost = [(i.place, i.message) for i in report.issues if "not imported" in i.message]
    assert len(lost) == 1 and "A group with a note on it" not in lost[0][0], lost
    assert "1 chart(s), text box(es)" in lost[0][1]
    assert _errors(tmp_path / "review") == []


def test_a_chart_in_a_group_is_still_a_loss() -> None:
    from scopekit.importer.pictures import pictures

    chart = etree.fromstring(
        f'<w:drawing xmlns:w="{w_ns()}" xmlns:a="{_A}" xmlns:wpg="{_WPG}"><a:graphic>'
        "<a:graphicData><wpg:wgp><wpg:graphicFrame><a:graphic><a:graphicData>"
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>'
        "</a:graphicData></a:graphic></wpg:graphicFrame></wpg:wgp></a:graphicData>"
        "</a:graphic></w:drawing>"
    )
    assert pictures(chart, {}, {}) == ([], 1)

"""`scopekit import`: pictures come back as figures in `figures/`, with alt text and caption.

The DOCX inputs are made here with python-docx (`add_picture`, a Caption paragraph with a
SEQ field), or built by scopekit from the clean fixture review.
"""

from __future__ import annotations

import io
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
    from scopekit.importer.pictures import picture

    chart = etree.fromstring(
        f'<w:drawing xmlns:w="{w_ns()}" xmlns:a="{_A}"><a:graphic><a:graphicData>'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>'
        "</a:graphicData></a:graphic></w:drawing>"
    )
    assert picture(chart, {}, {}) is None


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

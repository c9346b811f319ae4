"""Pictures in a Word document: the image a `w:drawing` shows, its alt text and caption, and
the file it is written to in the review's `figures/` folder.

A picture is a `w:drawing` (inline or anchored) whose `a:blip r:embed` names a PNG, JPEG or
GIF image part, or whose `asvg:svgBlip` names an SVG one (preferred: Word keeps a PNG copy
beside it). Charts, text boxes, shapes and pictures whose image cannot be read are none;
a group of drawings gives each picture in it, and counts what else it holds as lost.
A Caption paragraph, "Figure N: text", directly after (or else before) a picture alone in its
paragraph becomes the figure's caption, without its label: the build numbers figures again;
so does pandoc's Image Caption paragraph (no label) after a picture, and any paragraph
right after one that says what its alt text says (a caption with no label). A Caption
paragraph "Table N: text" (or pandoc's Table Caption) right before a table, else right after
one, becomes the table's caption, without its label.
"""

from __future__ import annotations

import posixpath
import re

from lxml import etree

from scopekit.images import sniff_type
from scopekit.importer.model import Block, Inline, Picture, Span, plain
from scopekit.importer.sources import slug_words, unique
from scopekit.ooxml import R_NS

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_SVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
_WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_EMBED = f"{{{R_NS}}}embed"
_NOT_PICTURES = {"chart", "txbx", "wsp", "wgp", "grpSp", "chartspace", "relIds"}
# in a group, each of these is one thing lost: a shape or text box, a chart, a diagram
_NOT_IN_GROUPS = {"wsp", "sp", "chart", "relIds", "cxnSp"}
_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
}
_FILE_NAME = re.compile(r"\.(?:png|jpe?g|gif|svg|bmp|tiff?|emf|wmf|webp)$", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(?:figure|fig\.?)\s*\d+(?:[.\-–]\d+)*\s*[:.\-–—]?\s*", re.IGNORECASE)
_TABLE_LABEL = re.compile(r"^\s*table\s*\d+(?:[.\-–]\d+)*\s*[:.\-–—]?\s*", re.IGNORECASE)


def image_kind(data: bytes) -> str | None:
    """The file extension of image bytes a briefing shows (png, jpg, gif, webp, svg), else
    None (as `scopekit.images` tells them apart)."""
    return _EXTENSIONS.get(sniff_type(data[:2048]) or "")


def pictures(
    element: etree._Element, images: dict[str, str], media: dict[str, bytes]
) -> tuple[list[Picture], int]:
    """The pictures a `w:drawing` (or `mc:AlternateContent` holding one) shows, and how many
    things in it are none (a chart, text box, shape or unreadable picture). A group
    (`wpg:wgp`, `a:grpSp`) gives each of its pictures, its alt text its own (else the
    group's), and counts each shape or chart in it as lost."""
    drawing = next(element.iter("{*}drawing"), None) if not _is(element, "drawing") else element
    if drawing is None:
        return [], 1
    groups = [e for e in drawing.iter(f"{{{_WPG}}}wgp", f"{{{_A}}}grpSp")]
    if not groups:
        if any(etree.QName(e).localname in _NOT_PICTURES for e in drawing.iter("{*}*")):
            return [], 1
        found = _picture(drawing, images, media, _alt(drawing))
        return ([found], 0) if found else ([], 1)
    shown: list[Picture] = []
    lost = 0
    for pic in drawing.iter(f"{{{_PIC}}}pic"):
        found = _picture(pic, images, media, _own_alt(pic) or _alt(drawing))
        if found is None:
            lost += 1
        else:
            shown.append(found)
    lost += sum(1 for e in drawing.iter("{*}*") if etree.QName(e).localname in _NOT_IN_GROUPS)
    return shown, (lost if shown or lost else 1)


def _picture(
    holder: etree._Element, images: dict[str, str], media: dict[str, bytes], alt: str
) -> Picture | None:
    """The picture of a drawing or `pic:pic` whose image can be read, else None."""
    for tag in (f"{{{_SVG}}}svgBlip", f"{{{_A}}}blip"):
        for blip in holder.iter(tag):
            part = images.get(blip.get(_EMBED) or "")
            if part and image_kind(media.get(part, b"")):
                return Picture(part, alt, name=_file_name(holder))
    return None


def _own_alt(pic: etree._Element) -> str:
    """A grouped picture's own alt text (`pic:cNvPr`), unless it is only a file name."""
    props = next(pic.iter(f"{{{_PIC}}}cNvPr"), None)
    text = "" if props is None else (props.get("descr") or props.get("title") or "")
    text = " ".join(text.split())
    return "" if _FILE_NAME.search(text) and " " not in text else text


def _is(element: etree._Element, name: str) -> bool:
    return isinstance(element.tag, str) and etree.QName(element).localname == name


def _alt(drawing: etree._Element) -> str:
    """The alt text Word keeps in `wp:docPr`: its description, else its title."""
    doc_pr = next(drawing.iter(f"{{{_WP}}}docPr"), None)
    if doc_pr is None:
        return ""
    return " ".join((doc_pr.get("descr") or doc_pr.get("title") or "").split())


def _file_name(drawing: etree._Element) -> str:
    """The picture's name when it is the name of an image file (as Word and scopekit keep
    the inserted file's name in `pic:cNvPr`), else ""."""
    for element in (*drawing.iter(f"{{{_PIC}}}cNvPr"), *drawing.iter(f"{{{_WP}}}docPr")):
        name = posixpath.basename((element.get("name") or "").replace("\\", "/"))
        if _FILE_NAME.search(name):
            return name
    return ""


def is_figure_caption(style: str, block: Block) -> bool:
    """Whether a paragraph may be a figure's caption: in the Caption style with a
    "Figure N: " label before its text, or in pandoc's Image Caption style."""
    if style.lower() == "image caption":
        return bool(block.text)
    found = _LABEL.match(block.text)
    return style.lower() == "caption" and bool(found and block.text[found.end() :].strip())


def is_table_caption(style: str, block: Block) -> bool:
    """Whether a paragraph may be a table's caption: in the Caption style (or pandoc's Table
    Caption) with a "Table N: " label before its text."""
    found = _TABLE_LABEL.match(block.text)
    if style.lower() == "table caption":
        return bool(block.text)
    return style.lower() == "caption" and bool(found and block.text[found.end() :].strip())


def attach_table_captions(blocks: list[Block]) -> list[Block]:
    """Blocks with each table caption given to the table right after it (as Word and
    scopekit put it), else right before it; one next to no table stays a paragraph."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        if block.kind != "table caption":
            out.append(block)
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        before = out[-1] if out else None
        table = next(
            (t for t in (following, before) if t and t.kind == "table" and not t.caption), None
        )
        if table is None:
            block.kind = "paragraph"
            out.append(block)
            continue
        table.bookmarks += block.bookmarks
        table.caption = _without_label(block, _TABLE_LABEL)
        found = _TABLE_LABEL.match(block.text)
        table.label = found[0].strip().rstrip(":.-–—").strip() if found else ""
    return out


def _alone(block: Block | None) -> Picture | None:
    """The picture of a paragraph that holds one picture and nothing else."""
    if block is None or block.kind != "paragraph":
        return None
    shown = [i for i in block.inlines if not isinstance(i, Span) or i.text.strip()]
    return shown[0] if len(shown) == 1 and isinstance(shown[0], Picture) else None


def attach_captions(blocks: list[Block]) -> list[Block]:
    """Blocks with each figure caption given to the picture it follows (or precedes), its
    label and bookmarks (a cross-reference's target) with it."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        before = _alone(out[-1] if out else None)
        if block.kind == "paragraph" and before is not None and _is_alt(before, block):
            before.caption = block.inlines
            out[-1].bookmarks += block.bookmarks
            continue
        if block.kind != "caption":
            out.append(block)
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        after = _alone(following)
        held = (out[-1], before) if before is not None and not before.caption else None
        held = held or ((following, after) if following and after else None)
        if held is None or held[1].caption:
            block.kind = "paragraph"
            out.append(block)
        else:
            held[0].bookmarks += block.bookmarks
            held[1].caption = _without_label(block, _LABEL)
            found = _LABEL.match(block.text)
            held[1].label = found[0].strip().rstrip(":.-–—").strip() if found else ""
    return out


def _is_alt(found: Picture, block: Block) -> bool:
    """Whether a paragraph says what the picture's alt text says (as pandoc and some Word
    users write a caption with no "Figure N" label): then it is the caption, kept once."""

    def said(text: str) -> str:
        return " ".join(text.split()).rstrip(".:").casefold()

    return not found.caption and bool(found.alt) and said(found.alt) == said(block.text)


def _without_label(block: Block, label: re.Pattern[str]) -> list[Inline]:
    """A caption's inline pieces with the leading "Figure N: " (or "Table N: ") removed."""
    found = label.match(plain(block.inlines))
    drop = found.end() if found else 0
    inlines: list[Inline] = []
    for item in block.inlines:
        if drop <= 0:
            inlines.append(item)
            continue
        size = len(plain([item]))
        if isinstance(item, Span) and size > drop:
            rest = item.text[drop:]
            inlines.append(Span(rest, item.bold, item.italic, item.superscript, item.link))
        drop -= size
    return inlines


def figure_files(pictures: list[Picture], media: dict[str, bytes]) -> dict[str, str]:
    """A file name under `figures/` for each image part, each part once, names unique."""
    used: set[str] = set()
    names: dict[str, str] = {}
    for found in pictures:
        if found.part in names:
            continue
        stem = posixpath.splitext(found.name or posixpath.basename(found.part))[0]
        slug = "-".join(slug_words(stem)[:6]) or "figure"
        kind = image_kind(media[found.part]) or "png"
        names[found.part] = f"figures/{unique(slug, used)}.{kind}"
    return names

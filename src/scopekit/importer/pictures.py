"""Pictures in a Word document: the image a `w:drawing` shows, its alt text and caption, and
the file it is written to in the review's `figures/` folder.

A picture is a `w:drawing` (inline or anchored) whose `a:blip r:embed` names a PNG, JPEG or
GIF image part, or whose `asvg:svgBlip` names an SVG one (preferred: Word keeps a PNG copy
beside it). Charts, text boxes, shapes and pictures whose image cannot be read are none.
A Caption paragraph, "Figure N: text", directly after (or else before) a picture alone in its
paragraph becomes the figure's caption, without its label: the build numbers figures again;
so does pandoc's Image Caption paragraph (no label) after a picture.
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
_EMBED = f"{{{R_NS}}}embed"
_NOT_PICTURES = {"chart", "txbx", "wsp", "wgp", "grpSp", "chartspace", "relIds"}
_EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/svg+xml": "svg",
}
_FILE_NAME = re.compile(r"\.(?:png|jpe?g|gif|svg|bmp|tiff?|emf|wmf|webp)$", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(?:figure|fig\.?)\s*\d+(?:[.\-–]\d+)*\s*[:.\-–—]?\s*", re.IGNORECASE)


def image_kind(data: bytes) -> str | None:
    """The file extension of image bytes a briefing shows (png, jpg, gif, webp, svg), else
    None (as `scopekit.images` tells them apart)."""
    return _EXTENSIONS.get(sniff_type(data[:2048]) or "")


def picture(
    element: etree._Element, images: dict[str, str], media: dict[str, bytes]
) -> Picture | None:
    """The Picture a `w:drawing` (or `mc:AlternateContent` holding one) shows, else None."""
    drawing = next(element.iter("{*}drawing"), None) if not _is(element, "drawing") else element
    if drawing is None:
        return None
    if any(etree.QName(e).localname in _NOT_PICTURES for e in drawing.iter("{*}*")):
        return None
    for tag in (f"{{{_SVG}}}svgBlip", f"{{{_A}}}blip"):
        for blip in drawing.iter(tag):
            part = images.get(blip.get(_EMBED) or "")
            if part and image_kind(media.get(part, b"")):
                return Picture(part, _alt(drawing), name=_file_name(drawing))
    return None


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


def _alone(block: Block | None) -> Picture | None:
    """The picture of a paragraph that holds one picture and nothing else."""
    if block is None or block.kind != "paragraph":
        return None
    shown = [i for i in block.inlines if not isinstance(i, Span) or i.text.strip()]
    return shown[0] if len(shown) == 1 and isinstance(shown[0], Picture) else None


def attach_captions(blocks: list[Block]) -> list[Block]:
    """Blocks with each figure caption given to the picture it follows (or precedes)."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        if block.kind != "caption":
            out.append(block)
            continue
        before = _alone(out[-1] if out else None)
        after = _alone(blocks[index + 1] if index + 1 < len(blocks) else None)
        target = before if before is not None and not before.caption else after
        if target is None or target.caption:
            block.kind = "paragraph"
            out.append(block)
        else:
            target.caption = _without_label(block)
    return out


def _without_label(block: Block) -> list[Inline]:
    """A caption's inline pieces with the leading "Figure N: " removed."""
    found = _LABEL.match(plain(block.inlines))
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

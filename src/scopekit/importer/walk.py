"""The text walker: one paragraph's XML to inline pieces, as Word shows the text.

Real documents are messy, and the walker reads what a reader sees: runs split mid-word join
up again; smart tags, content controls and custom XML are looked through; tracked insertions
are kept and deletions dropped; hidden text is skipped; comments, proofing marks and
bookmarks are no text; field codes are never content. HYPERLINK fields become links, and
REF/NOTEREF fields become cross-references resolved later through their bookmark (their
shown number may be stale); pictures whose image can be read are kept (importer/pictures.py).
What is dropped is noted, for the import report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from scopekit.importer.model import Break, CrossRef, Inline, NoteRef, Span, WordLink
from scopekit.importer.ooxml import local, wval
from scopekit.importer.pictures import pictures
from scopekit.importer.styles import RunProps, Styles, overlay, run_props
from scopekit.ooxml import R_NS, w

_T, _DEL_TEXT = w("t"), w("delText")
_RPR, _RSTYLE = w("rPr"), w("rStyle")
_LOOK_THROUGH = {"smartTag", "customXml", "sdtContent", "dir", "bdo", "ins", "moveTo"}
_DROPPED = {"del", "moveFrom"}
_PICTURES = {"drawing", "pict", "object", "AlternateContent"}
_HIDDEN_RESULT = {"TOC", "PAGEREF", "PAGE", "NUMPAGES", "SECTIONPAGES", "XE", "TC", "INDEX"}
_ARG = re.compile(r'"([^"]*)"|(\S+)')


@dataclass
class _Field:
    """A complex or simple field on the walker's stack."""

    code: list[str] = field(default_factory=list)
    in_result: bool = False
    hides_result: bool = False
    link: WordLink | None = None
    xref: CrossRef | None = None


def field_instruction(code: str) -> tuple[str, list[str]]:
    """The field's kind (upper case) and its arguments, quotes removed."""
    args = [quoted if quoted else bare for quoted, bare in _ARG.findall(code)]
    return (args[0].upper() if args else ""), args[1:]


def hyperlink_target(args: list[str]) -> str:
    """The target of a HYPERLINK field: its address, with `\\l` giving an anchor."""
    address, anchor, index = "", "", 0
    while index < len(args):
        arg = args[index]
        if arg.lower() == "\\l" and index + 1 < len(args):
            anchor, index = args[index + 1], index + 2
            continue
        if arg.startswith("\\"):
            index += 2 if arg.lower() in ("\\o", "\\t") else 1
            continue
        address = address or arg
        index += 1
    return f"{address}#{anchor}" if anchor else address


@dataclass
class Losses:
    """What one paragraph or note lost or changed on import, by kind."""

    inserted: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    comments: int = 0
    pictures: int = 0
    contents: bool = False

    def messages(self) -> list[str]:
        """The losses as report messages."""
        found = []
        if self.inserted:
            found.append(f"tracked insertion kept: {_quote(self.inserted)}")
        if self.deleted:
            found.append(f"tracked deletion dropped: {_quote(self.deleted)}")
        if self.hidden:
            found.append(f"hidden text skipped: {_quote(self.hidden)}")
        if self.comments:
            found.append(f"{self.comments} comment(s) ignored")
        if self.pictures:
            found.append(
                f"{self.pictures} chart(s), text box(es), equation(s) or unreadable picture(s) "
                "not imported"
            )
        if self.contents:
            found.append("table of contents skipped (build makes its own headings)")
        return found


def _quote(texts: list[str]) -> str:
    return ", ".join(f"“{' '.join(t.split())}”" for t in texts)


class Walker:
    """Walks paragraphs in reading order, keeping the document-wide state between them:
    open fields and links, bookmarks, and the number of each note by first reference."""

    def __init__(self, styles: Styles) -> None:
        self.styles = styles
        self.fields: list[_Field] = []
        self.links: list[WordLink] = []
        self.open_bookmarks: dict[str, str] = {}
        self.bookmarks: set[str] = set()
        self.bookmark_notes: dict[str, int] = {}
        self.note_numbers: dict[tuple[str, str], int] = {}
        self.in_notes = False
        self.part_links: dict[str, str] = {}
        self.part_images: dict[str, str] = {}
        self.media: dict[str, bytes] = {}
        self.out: list[Inline] = []
        self.losses = Losses()

    def start_part(
        self, links: dict[str, str], in_notes: bool, images: dict[str, str] | None = None
    ) -> None:
        """Begin a part (body or notes): no field or link carries over from another."""
        self.part_links = links
        self.part_images = images or {}
        self.in_notes = in_notes
        self.fields.clear()
        self.links.clear()

    def paragraph(self, p: etree._Element) -> tuple[list[Inline], Losses]:
        """The inline pieces of one w:p, and what it lost."""
        self.out, self.losses = [], Losses()
        self.children(p)
        return self.out, self.losses

    def bookmark(self, element: etree._Element) -> None:
        """Open or close a bookmark (a cross-reference target)."""
        if element.tag == w("bookmarkStart"):
            name = wval(element, "name") or ""
            self.open_bookmarks[wval(element, "id") or ""] = name
            self.bookmarks.add(name)
        else:
            self.open_bookmarks.pop(wval(element, "id") or "", None)

    # containers

    def children(self, parent: etree._Element) -> None:
        """Walk the children of a paragraph or of something in it that holds runs."""
        for child in parent:
            name = local(child.tag)
            if name == "r":
                self.run(child)
            elif name in _LOOK_THROUGH:
                if name in ("ins", "moveTo"):
                    _note_text(self.losses.inserted, child, _T)
                self.children(child)
            elif name == "hyperlink":
                self.hyperlink(child)
            elif name == "fldSimple":
                self.begin_field(wval(child, "instr") or "")
                self.separate_field()
                self.children(child)
                self.end_field()
            elif name == "sdt":
                content = child.find(w("sdtContent"))
                if content is not None:
                    self.children(content)
            elif name in ("bookmarkStart", "bookmarkEnd"):
                self.bookmark(child)
            elif name in _DROPPED:
                _note_text(self.losses.deleted, child, _DEL_TEXT)
            elif name in ("oMath", "oMathPara") or name in _PICTURES:
                self.losses.pictures += 1

    def hyperlink(self, element: etree._Element) -> None:
        """A w:hyperlink: an external target by relationship id, or an anchor inside."""
        rid = element.get(f"{{{R_NS}}}id")
        target = self.part_links.get(rid, "") if rid else ""
        anchor = wval(element, "anchor")
        if anchor:
            target = f"{target}#{anchor}"
        self.links.append(WordLink(target))
        self.children(element)
        self.links.pop()

    # runs

    def run(self, r: etree._Element) -> None:
        """A w:r: its text, tabs, breaks, note references and field characters."""
        rpr = r.find(_RPR)
        props = self.run_props(rpr)
        for child in r:
            name = local(child.tag)
            if name == "t":
                self.text(child.text or "", props)
            elif name in ("tab", "ptab"):
                self.text("\t", props)
            elif name in ("br", "cr"):
                if wval(child, "type") in (None, "textWrapping") and not props.hidden:
                    self.emit(Break())
            elif name == "noBreakHyphen":
                self.text("-", props)
            elif name == "sym":
                self.text(_symbol(wval(child, "char")), props)
            elif name == "fldChar":
                kind = wval(child, "fldCharType")
                if kind == "begin":
                    self.begin_field()
                elif kind == "separate":
                    self.separate_field()
                elif kind == "end":
                    self.end_field()
            elif name == "instrText":
                if self.fields and not self.fields[-1].in_result:
                    self.fields[-1].code.append(child.text or "")
            elif name in ("footnoteReference", "endnoteReference"):
                if not props.hidden:
                    self.note_reference(name[: -len("Reference")], wval(child, "id") or "")
            elif name == "commentReference":
                self.losses.comments += 1
            elif name in _PICTURES and self.state() == "content":
                self.picture(child)

    def picture(self, element: etree._Element) -> None:
        """The pictures whose image can be read (each one of a group); the rest a loss (a
        chart, text box or shape)."""
        found, lost = pictures(element, self.part_images, self.media)
        self.losses.pictures += lost
        self.out.extend(found)

    def run_props(self, rpr: etree._Element | None) -> RunProps:
        """The run's character style, overridden by its direct formatting."""
        style = self.styles.run(wval(rpr.find(_RSTYLE)) if rpr is not None else None)
        return overlay(style, run_props(rpr))

    def text(self, text: str, props: RunProps) -> None:
        """Text of a run, unless it is field code, a hidden field result or hidden text."""
        if not text:
            return
        state = self.state()
        if state == "code":
            return
        if state == "cached":
            xref = next((f.xref for f in reversed(self.fields) if f.hides_result), None)
            if xref is not None:
                xref.cached += text
            return
        if props.hidden:
            self.losses.hidden.append(text)
            return
        link = self.links[-1] if self.links else None
        last = self.out[-1] if self.out else None
        if (
            isinstance(last, Span)
            and last.link is link
            and (last.bold, last.italic, last.superscript)
            == (bool(props.bold), bool(props.italic), bool(props.superscript))
        ):
            last.text += text
        else:
            self.emit(
                Span(text, bool(props.bold), bool(props.italic), bool(props.superscript), link)
            )
        if link is not None:
            link.text += text

    def emit(self, item: Inline) -> None:
        """Add a piece, unless inside field code or a hidden field result."""
        if self.state() == "content":
            self.out.append(item)

    def note_reference(self, kind: str, note_id: str) -> None:
        """A footnote or endnote reference, numbered by first reference in the text."""
        if self.in_notes or self.state() != "content":
            return
        number = self.note_numbers.setdefault((kind, note_id), len(self.note_numbers) + 1)
        for name in self.open_bookmarks.values():
            self.bookmark_notes.setdefault(name, number)
        self.out.append(NoteRef(kind, note_id, number))

    # fields

    def state(self) -> str:
        """`code` inside a field's instruction, `cached` inside a result that is not content,
        else `content`."""
        for item in self.fields:
            if not item.in_result:
                return "code"
        return "cached" if any(f.hides_result for f in self.fields) else "content"

    def begin_field(self, code: str = "") -> None:
        """A field begins (its code follows, for a complex field)."""
        self.fields.append(_Field([code] if code else []))

    def separate_field(self) -> None:
        """The field's code is complete: decide what its result is."""
        if not self.fields or self.fields[-1].in_result:
            return
        current = self.fields[-1]
        current.in_result = True
        kind, args = field_instruction("".join(current.code))
        if kind == "HYPERLINK":
            current.link = WordLink(hyperlink_target(args))
            self.links.append(current.link)
        elif kind in ("NOTEREF", "REF") and args:
            current.xref = CrossRef(args[0])
            current.hides_result = True
            if self._outer_content():
                self.out.append(current.xref)
        elif kind in _HIDDEN_RESULT:
            current.hides_result = True
            self.losses.contents = self.losses.contents or kind == "TOC"

    def _outer_content(self) -> bool:
        """Whether every field around the innermost one shows its result as content."""
        return all(f.in_result and not f.hides_result for f in self.fields[:-1])

    def end_field(self) -> None:
        """The innermost field ends."""
        if not self.fields:
            return
        if not self.fields[-1].in_result:
            self.separate_field()
        done = self.fields.pop()
        if done.link is not None and done.link in self.links:
            self.links.remove(done.link)


def _note_text(texts: list[str], element: etree._Element, tag: str) -> None:
    """Add the text of an insertion or deletion to a list of losses (if it has any)."""
    text = "".join(t.text or "" for t in element.iter(tag))
    if text.strip():
        texts.append(text)


def _symbol(code: str | None) -> str:
    """The character of a w:sym, unless it is a private-use symbol-font glyph."""
    try:
        value = int(code or "", 16)
    except ValueError:
        return ""
    return "" if 0xE000 <= value <= 0xF8FF else chr(value)

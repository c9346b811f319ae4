"""The inline walk: one paragraph's text, emphasis, links, note calls and images.

`InlineWriter` has one method per markdown-it inline token type, named after it (`text`,
`link_open`, `citation`…), as markdown-it's own renderers have. A token type without a
method writes nothing.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from scopekit.images import DOCX_IMAGE_TYPES
from scopekit.ooxml import w
from scopekit.render.docx.notes import footnote_reference
from scopekit.render.docx.ooxml import (
    element,
    no_text_distance,
    note_bookmark,
    text_run,
    xml_text,
)
from scopekit.review.markdown import strip_comments
from scopekit.urls import is_web_url
from scopekit.wordtext import NOTE_ANCHOR

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.text.paragraph import Paragraph
    from markdown_it.token import Token

    from scopekit.render.docx.state import WriterState


_ALIGN = {"sub": "subscript", "sup": "superscript"}


class InlineWriter:
    """Writes an inline token's children into one paragraph.

    State while it writes: the character styles open (Strong, Emphasis), innermost last,
    and the links open: each a w:hyperlink the text goes into, or the paragraph itself for
    a link that is not to a web page (its text stays, unlinked).
    """

    def __init__(self, state: WriterState, paragraph: Paragraph) -> None:
        self.state = state
        self.paragraph = paragraph
        self.container = paragraph._p
        self.styles: list[str] = []
        self.marks: list[str] = []  # sub, sup, s: vertAlign or strike on each run
        self.open_links: list[BaseOxmlElement] = []

    def write(self, token: Token) -> None:
        """Write the children of `token`, each by the method named after its type."""
        self.previous: Token | None = None
        self.last_call: Token | None = None
        for child in token.children or []:
            handler = getattr(self, child.type, None)
            if handler is not None:
                handler(child)
            if child.type in ("citation", "footnote_ref"):
                self.last_call = child
            self.previous = child

    # text

    def text(self, token: Token) -> None:
        self._add_text(token.content)

    def code_inline(self, token: Token) -> None:
        """Code in the monospace Inline Code character style."""
        self.styles.append("InlineCode")  # the style id of "Inline Code"
        self._add_text(token.content)
        self.styles.pop()

    def softbreak(self, token: Token) -> None:
        self._add_text(" ")

    def hardbreak(self, token: Token) -> None:
        self._target().append(element("r", None, element("br")))

    def html_inline(self, token: Token) -> None:
        """Raw HTML is shown as text, comments dropped."""
        text = strip_comments(token.content)
        if text:
            self._add_text(text)

    # emphasis: Strong and Emphasis character styles (the house shows both as bold)

    def strong_open(self, token: Token) -> None:
        self.styles.append("Strong")

    def em_open(self, token: Token) -> None:
        self.styles.append("Emphasis")

    def strong_close(self, token: Token) -> None:
        if self.styles:
            self.styles.pop()

    em_close = strong_close

    # subscript, superscript, strikethrough: run properties, not styles

    def sub_open(self, token: Token) -> None:
        self.marks.append("sub")

    def sup_open(self, token: Token) -> None:
        self.marks.append("sup")

    def s_open(self, token: Token) -> None:
        self.marks.append("s")

    def sub_close(self, token: Token) -> None:
        if self.marks:
            self.marks.pop()

    sup_close = s_close = sub_close

    def task_box(self, token: Token) -> None:
        """A task list item's box: ☑ done, ☐ not yet."""
        self._add_text("\u2611" if token.meta.get("checked") else "\u2610")

    def crossref(self, token: Token) -> None:
        """`@fig-x` as what it points at: "Figure 1", "Table 2", a section's title."""
        shown = self.state.doc.crossref(token.meta["key"])
        self._add_text(shown if shown is not None else f"@{token.meta['key']}")

    # links: only to web URLs; `@key` links to the source's URL

    def link_open(self, token: Token) -> None:
        """A w:hyperlink for a web URL (an `@key` link: its source's URL), else nothing."""
        href = self.state.doc.link_target(str(token.attrGet("href") or ""))
        if is_web_url(href):
            hyperlink = self.state.links.hyperlink(href)
            self.container.append(hyperlink)
            self.open_links.append(hyperlink)
        else:
            self.open_links.append(self.container)  # not a web URL: the text stays, unlinked

    def link_close(self, token: Token) -> None:
        if self.open_links:
            self.open_links.pop()

    # notes and images

    def citation(self, token: Token) -> None:
        """The note calls of a citation or note reference: a narrative citation's name,
        then each note written to the footnotes part and its reference mark placed here
        (several separated by commas), each inside the hidden bookmark `_sknN` that ties it
        to its citation key through the build record."""
        call = self.state.doc.notes.call(self.state.file, token)
        if call.numbers and self.last_call is not None and self.last_call is self.previous:
            self.container.append(text_run(",", "FootnoteReference"))  # "8,9", never "89"
        for run in call.text:
            self._add_text(run.text)
        for position, number in enumerate(call.numbers):
            if position:
                self.container.append(text_run(",", "FootnoteReference"))
            self.state.footnotes.add(self.state.notes[number - 1])
            tie = str(len(self.state.notes) + number)  # `_sknN`: the way back to its key
            mark = [
                element("bookmarkStart", {"id": tie, "name": f"{NOTE_ANCHOR}{number}"}),
                footnote_reference(number),
                element("bookmarkEnd", {"id": tie}),
            ]
            if number in self.state.referenced_notes:  # an "As N" points at it: bookmarked
                mark = [
                    element("bookmarkStart", {"id": str(number), "name": note_bookmark(number)}),
                    *mark,
                    element("bookmarkEnd", {"id": str(number)}),
                ]
            self.container.extend(mark)

    footnote_ref = citation

    def image(self, token: Token) -> None:
        """An image file from inside the review folder, with its alt text; an SVG or WebP
        made into a PNG first (images.py)."""
        from docx.shared import Mm

        paragraph, warnings = self.paragraph, self.state.warnings
        alt = token.content
        path = self.state.doc.image_file(str(token.attrGet("src") or ""))
        if path is None:
            paragraph.add_run(xml_text(f"[image not shown: {alt}]"))
            return
        source: str | io.BytesIO = str(path)
        width = None
        if path.suffix.lower() not in DOCX_IMAGE_TYPES:
            from scopekit.render.docx.images import ConversionError, to_png

            try:
                png = to_png(path)
            except ConversionError as exc:
                paragraph.add_run(xml_text(f"[image not shown in Word: {alt}]"))
                warnings.append(f"{path.name}: not shown in Word: it {exc}")
                return
            source, width = io.BytesIO(png.data), png.width
        try:
            picture = paragraph.add_run().add_picture(source, width=width)
        except Exception as exc:  # python-docx raises several kinds for unreadable images
            paragraph.add_run(xml_text(f"[image not shown: {alt}]"))
            warnings.append(f"{path.name}: not a readable image ({type(exc).__name__})")
            return
        limit = Mm(170)
        if picture.width > limit:
            picture.height = int(picture.height * limit / picture.width)
            picture.width = limit
        picture._inline.docPr.set("descr", xml_text(alt))
        no_text_distance(picture)

    # helpers

    def _target(self) -> BaseOxmlElement:
        """Where text goes: the innermost open link, else the paragraph."""
        return self.open_links[-1] if self.open_links else self.container

    def _add_text(self, text: str) -> None:
        """A run of text in the open character style; in a web link, a Hyperlink run."""
        if not text:
            return
        target = self._target()
        if self.open_links and target.tag == w("hyperlink"):
            run = text_run(text, "Hyperlink", bold=bool(self.styles))
        else:
            run = text_run(text, self.styles[-1] if self.styles else None)
        if self.marks:
            rpr = run.find(w("rPr"))
            if rpr is None:
                rpr = element("rPr")
                run.insert(0, rpr)
            if "s" in self.marks:  # CT_RPr order: strike before vertAlign
                rpr.append(element("strike"))
            if {"sub", "sup"} & set(self.marks):
                last = next(m for m in reversed(self.marks) if m in ("sub", "sup"))
                rpr.append(element("vertAlign", {"val": _ALIGN[last]}))
        target.append(run)

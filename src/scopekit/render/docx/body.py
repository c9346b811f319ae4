"""The body walk: title block, sections, search log, other sources and closing lines, in
reading order.

`SectionWriter` has one method per markdown-it block token type, named after it
(`heading_open`, `bullet_list_open`, `fence`…), as markdown-it's own renderers have; an
`inline` token is handed to the paragraph, heading or table cell it belongs to. A token type
without a method (an `hr`, say) writes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scopekit.ooxml import w
from scopekit.render import outline_level
from scopekit.render.docx.anchors import Origin
from scopekit.render.docx.evidence import evidence_appendix
from scopekit.render.docx.inline import InlineWriter
from scopekit.render.docx.lists import Lists
from scopekit.render.docx.ooxml import element, field_runs, text_run
from scopekit.render.docx.reporting import flow_table, how_done_part
from scopekit.render.docx.styles import MAX_HEADING, box_paragraph
from scopekit.render.docx.tables import PipeTable, search_log
from scopekit.render.reporting import reporting_after
from scopekit.review.markdown import strip_comments

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph
    from markdown_it.token import Token

    from scopekit.render.docx.state import WriterState


class BodyWriter:
    """Writes the whole body of the briefing, part by part, in reading order."""

    def __init__(self, state: WriterState) -> None:
        self.state = state
        self.doc = state.doc

    def write(self) -> None:
        """Title block, each section (after Methods: how the review was done, the search log
        and the flow of records), other sources, closing, the evidence table appendix."""
        self.title_block()
        after = reporting_after(self.doc)
        for index, section in enumerate(self.doc.sections):
            self.state.file = section.file
            SectionWriter(self.state).write(section.markdown.tokens)
            if index == after:
                how_done_part(self.state, self.doc)
            if index == self.doc.search_log_after:
                self.state.origin = Origin("generated", "searches.yaml", what="the Search log")
                search_log(self.state, self.doc.search_rows)
            if index == after:
                flow_table(self.state, self.doc)
        self.other_sources()
        self.closing()
        evidence_appendix(self.state, self.doc)

    def title_block(self) -> None:
        """The type line, the title, and the key-messages box when there are key messages."""
        paragraph, state = self.state.paragraph, self.state
        state.origin = Origin("generated", "review.yaml", what="the type line (review.yaml type)")
        paragraph("Subtitle", self.doc.type_line)
        state.origin = Origin("generated", "review.yaml", what="the title (review.yaml title)")
        paragraph("Title", self.doc.title)
        messages = self.doc.review.key_messages
        if messages:
            state.origin = Origin("generated", what="the key messages heading")
            paragraph("Key Messages Heading", "Key messages")
            state.file = messages.file
            for token in messages.markdown.tokens:
                if token.type == "inline":
                    line = token.map[0] + 1 if token.map else None
                    state.origin = Origin(
                        "generated", "review.yaml", line, what="a key message (review.yaml)"
                    )
                    InlineWriter(state, paragraph("Key Message")).write(token)

    def other_sources(self) -> None:
        """Sources only linked in the text, as a bulleted list of their reference text."""
        sources = self.doc.other_sources
        if not sources:
            return
        self.state.origin = Origin("generated", "sources.yaml", what="Other sources")
        self.state.paragraph("Heading 1", "Other sources")
        for _key, runs in sources:
            paragraph = self.state.paragraph("List Bullet")
            self.state.links.append_runs(paragraph._p, runs)

    def closing(self) -> None:
        """The closing lines (produced by, updated, funding), kept together by their styles."""
        paragraph = self.state.paragraph
        self.state.origin = Origin("generated", "review.yaml", what="the closing lines")
        if self.doc.produced_by:
            paragraph("Produced By", self.doc.produced_by)
        if self.doc.updated:
            paragraph("Updated", self.doc.updated)
        if self.doc.funding:
            paragraph("Closing", self.doc.funding)


def caption_paragraph(state: WriterState, label: str) -> Paragraph:
    """A Caption paragraph that opens with its label, `Figure 1: `, the number a live
    `SEQ Figure` field (its cached result the number the Document gave), so Word's
    cross-references and table of figures find it and renumber it."""
    paragraph = state.paragraph("Caption")
    kind, _, number = label.partition(" ")
    runs = [text_run(f"{kind} "), *field_runs(f"SEQ {kind} \\* ARABIC", number), text_run(":")]
    for run in runs:  # the label bold, as in HTML and PDF
        run.insert(0, element("rPr", None, element("b")))
    paragraph._p.extend([*runs, text_run(" ")])
    return paragraph


def _definition_indent(depth: int) -> int:
    """The left indent of a definition `depth` definition lists deep (10 mm each)."""
    from docx.shared import Mm

    return Mm(10 * depth)


class SectionWriter:
    """Writes one section's block tokens.

    State while it writes: the open lists and list items, the blockquote depth, the level of
    the last heading (a heading never skips a level, none deeper than MAX_HEADING), the
    paragraph the next inline token fills, and the pipe table being read, if any.
    """

    def __init__(self, state: WriterState) -> None:
        self.state = state
        self.lists = Lists(state.numbering)
        self.quote_depth = 0
        self.last_heading = 0
        self.current: Paragraph | None = None
        self.pipe_table: PipeTable | None = None
        self.caption: Paragraph | None = None  # a table's caption being written
        self.divs: list[tuple[str, int]] = []  # open fenced divs: callout kind, body length
        self.term = False  # a definition list's term is being written (in bold)
        self.definitions = 0  # depth of definition-list definitions (indented)

    def write(self, tokens: list[Token]) -> None:
        """Write each token by the method named after its type."""
        for token in tokens:
            handler = getattr(self, token.type, None)
            if handler is not None:
                handler(token)

    def _origin(self, kind: str, token: Token) -> None:
        """The next paragraphs come from `token`'s lines of the section file."""
        first, end = token.map if token.map else (None, None)
        self.state.origin = Origin(
            kind, self.state.file, first + 1 if first is not None else None, end
        )

    def _style(self) -> str:
        """The paragraph style of a block here (in a list, a quote, or neither)."""
        return self.lists.style(quote=self.quote_depth > 0)

    # paragraphs and headings: the inline token between open and close fills them

    def heading_open(self, token: Token) -> None:
        """A heading at its level, but never more than one below the last, nor past 4."""
        wanted = int(token.tag[1])
        level = outline_level(wanted, self.last_heading, MAX_HEADING)
        self.last_heading = level
        self._origin("heading", token)
        self.current = self.state.paragraph(f"Heading {level}")

    def paragraph_open(self, token: Token) -> None:
        """A paragraph in the style of where it stands, numbered if it starts a list item."""
        self._origin("item" if self.lists.open else "paragraph", token)
        paragraph = self.state.paragraph(self._style())
        self.lists.paragraph_added(paragraph)
        if self.definitions:
            paragraph.paragraph_format.left_indent = _definition_indent(self.definitions)
        self.current = paragraph

    def inline(self, token: Token) -> None:
        """The content of the open paragraph, heading or caption, or of the table cell
        being read."""
        if self.caption is not None:
            InlineWriter(self.state, self.caption).write(token)
        elif self.pipe_table is not None:
            self.pipe_table.add_content(token)
        elif self.current is not None:
            writer = InlineWriter(self.state, self.current)
            if self.term:
                writer.styles.append("Strong")
            writer.write(token)

    def paragraph_close(self, token: Token) -> None:
        self.current = None

    heading_close = paragraph_close

    # figures and captions: Word's Caption style, numbered by a SEQ field

    def figure_open(self, token: Token) -> None:
        """A figure's picture, in a paragraph kept with its caption below it."""
        self.paragraph_open(token)
        if self.current is not None:
            self.current.paragraph_format.keep_with_next = True

    figure_close = paragraph_close

    def figcaption_open(self, token: Token) -> None:
        self.current = caption_paragraph(self.state, self._caption_label(token))

    figcaption_close = paragraph_close

    def caption_open(self, token: Token) -> None:
        """A table's caption, written above the table and kept with it, as Word puts it; the
        build record ties it to its own line (`: Counts by place {#tbl-counts}`)."""
        self._origin("paragraph", token)
        self.caption = caption_paragraph(self.state, self._caption_label(token))
        self.caption.paragraph_format.keep_with_next = True

    def caption_close(self, token: Token) -> None:
        self.caption = None

    def _caption_label(self, token: Token) -> str:
        return self.state.doc.caption_label(self.state.file, token)

    # lists and quotes

    def bullet_list_open(self, token: Token) -> None:
        self.lists.open_list(ordered=False)

    def ordered_list_open(self, token: Token) -> None:
        self.lists.open_list(ordered=True, start=int(token.attrGet("start") or 1))

    def bullet_list_close(self, token: Token) -> None:
        self.lists.close_list()

    ordered_list_close = bullet_list_close

    def list_item_open(self, token: Token) -> None:
        self.lists.open_item()

    def list_item_close(self, token: Token) -> None:
        self.lists.close_item()

    def blockquote_open(self, token: Token) -> None:
        self.quote_depth += 1

    def blockquote_close(self, token: Token) -> None:
        self.quote_depth -= 1

    def hr(self, token: Token) -> None:
        """A thematic break (`***`): an empty paragraph ruled below."""
        self._origin("rule", token)
        self.state.paragraph("Thematic Break")

    # fenced divs, page breaks, definition lists

    def div_open(self, token: Token) -> None:
        """A Quarto callout: its title in bold, then its contents; all of them ruled and
        shaded at `div_close`, so Word shows one box. Another div: only its contents."""
        kind = token.meta.get("callout", "")
        body = self.state.word.element.body
        self.divs.append((kind, sum(1 for child in body if child.tag != w("sectPr"))))
        if kind:
            self._origin("paragraph", token)
            title = self.state.paragraph(self._style())
            title.paragraph_format.keep_with_next = True
            title._p.append(text_run(token.meta.get("title", ""), "Strong"))

    def div_close(self, token: Token) -> None:
        if not self.divs:
            return
        kind, start = self.divs.pop()
        if not kind:
            return
        for child in list(self.state.word.element.body)[start:]:
            if child.tag == w("p"):
                box_paragraph(child, kind, self.state.doc.theme.colours.tint)

    def page_break(self, token: Token) -> None:
        """`\\newpage`: the next paragraph starts a new page."""
        self._origin("rule", token)
        paragraph = self.state.paragraph(self._style())
        paragraph._p.append(element("r", None, element("br", {"type": "page"})))

    def dt_open(self, token: Token) -> None:
        self.paragraph_open(token)
        self.term = True

    def dt_close(self, token: Token) -> None:
        self.term = False
        self.current = None

    def dd_open(self, token: Token) -> None:
        self.definitions += 1

    def dd_close(self, token: Token) -> None:
        self.definitions -= 1

    # code and raw HTML

    def fence(self, token: Token) -> None:
        """Code, one Code paragraph a line (each anchored at its own line)."""
        first = token.map[0] + 1 if token.map else None
        offset = 0 if token.type == "code_block" else 1  # a fence's first line is ```
        for number, line in enumerate(token.content.rstrip("\n").split("\n")):
            at = first + offset + number if first is not None else None
            self.state.origin = Origin("code", self.state.file, at, at)
            self.state.paragraph("Code", line)

    code_block = fence

    def html_block(self, token: Token) -> None:
        """Raw HTML is shown as text, comments dropped."""
        text = strip_comments(token.content).strip()
        self._origin("paragraph", token)
        if text:
            self.state.paragraph(self._style(), text)

    # pipe tables: read whole, then written

    def table_open(self, token: Token) -> None:
        self.pipe_table = PipeTable()

    def tr_open(self, token: Token) -> None:
        if self.pipe_table is not None:
            self.pipe_table.add_row(token.map[0] + 1 if token.map else None)

    def th_open(self, token: Token) -> None:
        if self.pipe_table is not None:
            self.pipe_table.add_cell(token)

    td_open = th_open

    def table_close(self, token: Token) -> None:
        if self.pipe_table is not None:
            self.pipe_table.write(self.state)
        self.pipe_table = None

"""The state of one DOCX render, as pandoc's writer keeps a WriterState.

One `WriterState` is made per `render_docx` call and handed to every step of the walk: the
python-docx document being written, the briefing it shows, the warnings for the user, the
footnotes part, the body's hyperlinks, the list numbering, style ids by name, and whether
the next paragraph follows a table. Nothing of it is global, so two renders never share it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scopekit.render.docx.anchors import Anchors, Origin
from scopekit.render.docx.lists import Numbering
from scopekit.render.docx.notes import Footnotes
from scopekit.render.docx.ooxml import TABLE_GAP, Hyperlinks, xml_text

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.text.paragraph import Paragraph

    from scopekit.notes import Note
    from scopekit.render import Document


class WriterState:
    """What one render writes into and remembers while it walks the briefing."""

    def __init__(self, word: WordDocument, doc: Document, warnings: list[str]) -> None:
        self.word = word
        self.doc = doc
        self.warnings = warnings
        self.footnotes = Footnotes(word)
        self.links = Hyperlinks(word.part)  # the body's hyperlinks; the notes have their own
        self.numbering = Numbering(word)
        self.notes: list[Note] = doc.notes.notes
        # style ids by name, looked up once (python-docx searches every style per name)
        self.style_ids = {style.name: style.style_id for style in word.styles}
        self.after_table = False  # the next paragraph follows a table
        self.referenced_notes = {n.first for n in self.notes if n.first is not None} | {
            run.note for n in self.notes for run in n.runs if run.note is not None
        }
        self.file = ""  # the section file being written, for its notes' calls
        self.anchors = Anchors()
        self.origin = Origin("generated")  # where the next paragraphs come from

    def style_space_before(self, name: str) -> int:
        """The space before a paragraph style gives (its own or inherited), in EMU."""
        style = self.word.styles[name]
        while style is not None:
            if style.paragraph_format.space_before is not None:
                return style.paragraph_format.space_before
            style = style.base_style
        return 0

    def paragraph(self, style: str, text: str | None = None) -> Paragraph:
        """A new body paragraph in `style`, with optional plain text, anchored at `origin`.

        The first paragraph after a table gets at least TABLE_GAP of space before it (a
        heading has more of its own): a table has no spacing after it in Word, and neither
        a style (it would have to be each of Normal, List Bullet, Quote… "after a table")
        nor an empty paragraph (read out, and imported, as an empty line) does this better
        than the paragraph's own spacing before."""
        paragraph = self.word.add_paragraph()
        paragraph._p.style = self.style_ids[style]
        self.anchors.add(paragraph._p, self.origin)
        if self.after_table:
            self.after_table = False
            if self.style_space_before(style) < TABLE_GAP:
                paragraph.paragraph_format.space_before = TABLE_GAP
        if text:
            paragraph.add_run(xml_text(text))
        return paragraph

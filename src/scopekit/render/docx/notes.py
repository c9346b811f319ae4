"""The footnotes part (word/footnotes.xml), which python-docx has no API for, and the runs
that place a note in the text."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scopekit.notes import paragraphs
from scopekit.ooxml import R_NS, W_NS, w
from scopekit.render.docx.ooxml import (
    FOOTNOTES_CT,
    FOOTNOTES_RT,
    Hyperlinks,
    element,
    text_run,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

    from scopekit.notes import Note


class Footnotes:
    """The footnotes part (word/footnotes.xml) with Word's separator notes and ours."""

    def __init__(self, word: WordDocument) -> None:
        from docx.opc.packuri import PackURI
        from docx.opc.part import XmlPart
        from docx.oxml import parse_xml

        xml = (
            f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" '
            'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p>'
            "</w:footnote>"
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing '
            'w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r>'
            "<w:continuationSeparator/></w:r></w:p></w:footnote></w:footnotes>"
        )
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"), FOOTNOTES_CT, parse_xml(xml), word.part.package
        )
        word.part.relate_to(self.part, FOOTNOTES_RT)
        self.links = Hyperlinks(self.part)
        settings = word.settings.element
        if settings.find(w("footnotePr")) is None:
            pr = element(
                "footnotePr",
                None,
                element("footnote", {"id": "-1"}),
                element("footnote", {"id": "0"}),
            )
            settings.insert(0, pr) if len(settings) == 0 else settings[0].addnext(pr)

    def add(self, note: Note) -> None:
        """Write one note: its number mark, then its text with web URLs as hyperlinks; each
        paragraph of the note a paragraph of the footnote, a code block's lines kept."""
        footnote = element("footnote", {"id": str(note.number)})
        for index, (kind, runs) in enumerate(paragraphs(note.runs) or [("text", ())]):
            paragraph = element(
                "p", None, element("pPr", None, element("pStyle", {"val": "FootnoteText"}))
            )
            if not index:
                mark = element(
                    "r",
                    None,
                    element("rPr", None, element("rStyle", {"val": "FootnoteReference"})),
                    element("footnoteRef"),
                )
                paragraph.extend([mark, text_run(" ")])
            if kind == "code":
                for number, line in enumerate(runs[0].text.split("\n")):
                    if number:
                        paragraph.append(element("r", None, element("br")))
                    paragraph.append(text_run(line, "InlineCode"))
            else:
                self.links.append_runs(paragraph, runs)
            footnote.append(paragraph)
        self.part.element.append(footnote)


def footnote_reference(number: int) -> BaseOxmlElement:
    """The run that places footnote `number` in the text."""
    return element(
        "r",
        None,
        element("rPr", None, element("rStyle", {"val": "FootnoteReference"})),
        element("footnoteReference", {"id": str(number)}),
    )

"""The page: A4 and the house margins, running header, first-page masthead with the logo, and
the footer with live page numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scopekit.paths import is_file
from scopekit.render.docx.ooxml import field_runs, no_text_distance, xml_text

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.section import _Footer
    from docx.text.paragraph import Paragraph

    from scopekit.render import Document


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A live field (PAGE, NUMPAGES) at the end of a paragraph."""
    paragraph._p.extend(field_runs(instruction, shown))


def _footer(footer: _Footer, doc: Document) -> None:
    """`Coventry HDRC · June 2024` on the left, `Page N of M` (live fields) on the right."""
    paragraph = footer.paragraphs[0]
    paragraph.style = "Footer"
    left = doc.theme.name + (f" · {doc.published}" if doc.published else "")
    paragraph.add_run(xml_text(left) + "\tPage ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")


def setup_page(word: WordDocument, doc: Document, warnings: list[str]) -> None:
    """A4, house margins; running header with the short title; logo on the first page."""
    from docx.shared import Mm

    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(22), Mm(24)
    section.header_distance = section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True

    header = section.header.paragraphs[0]
    header.style = "Header"
    header.add_run(xml_text(doc.short_title))

    first = section.first_page_header.paragraphs[0]
    first.style = "Masthead"  # navy partner name, navy rule under the strip
    logo = doc.theme.file("logo.png")
    if is_file(logo):
        picture = first.add_run().add_picture(str(logo), width=Mm(62))
        picture._inline.docPr.set("descr", xml_text(doc.theme.wordmark or "Logo"))
        no_text_distance(picture)
    elif doc.theme.wordmark:
        first.add_run(xml_text(doc.theme.wordmark)).bold = True
        warnings.append("house style has no logo.png: the DOCX header shows the wordmark text")
    if doc.theme.partner:
        first.add_run("\t" + xml_text(doc.theme.partner))
    _footer(section.footer, doc)
    _footer(section.first_page_footer, doc)


def section_footer(section, doc: Document) -> None:
    """The footer of a later section of another width (a landscape appendix): its own copy,
    `Page N of M` at that section's right margin, not the portrait one of the Footer style."""
    from docx.enum.text import WD_TAB_ALIGNMENT

    from scopekit.render.docx.ooxml import TEXT_WIDTH

    section.footer.is_linked_to_previous = False
    _footer(section.footer, doc)
    width = section.page_width - section.left_margin - section.right_margin
    tabs = section.footer.paragraphs[0].paragraph_format.tab_stops
    tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.CLEAR)  # the Footer style's own stop
    tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)

"""One writer per output format (formats.py): `render(doc) -> Output`, the bytes and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from scopekit.formats import FORMATS, OutputFormat
from scopekit.render import Document


@dataclass
class Output:
    """Rendered bytes and any warnings the renderer raised (e.g. refused resources)."""

    data: bytes
    warnings: list[str] = field(default_factory=list)
    record: bytes | None = None  # the DOCX build record, kept in .scopekit/ by build


class Writer(Protocol):
    """What `build` asks of every format: which format it writes, and the output of a Document.

    A writer imports its renderer only when it renders (WeasyPrint alone costs half a second).
    """

    format: OutputFormat

    def render(self, doc: Document) -> Output:
        """The document in this format."""
        ...


class HtmlWriter:
    """The self-contained HTML page."""

    format = FORMATS["html"]

    def render(self, doc: Document) -> Output:
        from scopekit.render.html import render_html

        warnings: list[str] = []
        html = render_html(doc, mode="web", warnings=warnings)
        return Output(html.encode("utf-8"), warnings)


class PdfWriter:
    """The tagged PDF/UA-1 through WeasyPrint."""

    format = FORMATS["pdf"]

    def render(self, doc: Document) -> Output:
        from scopekit.render.pdf import render_pdf

        data, warnings = render_pdf(doc)
        return Output(data, warnings)


class DocxWriter:
    """The editable Word document with real footnotes."""

    format = FORMATS["docx"]

    def render(self, doc: Document) -> Output:
        from scopekit.render.docx import render_docx

        data, warnings, record = render_docx(doc)
        return Output(data, warnings, record)


_WRITERS: dict[str, Writer] = {
    writer.format.name: writer for writer in (HtmlWriter(), PdfWriter(), DocxWriter())
}
# Every format of formats.FORMATS, in its order (a format without a writer fails here).
WRITERS: dict[str, Writer] = {name: _WRITERS[name] for name in FORMATS}

"""One writer per output format: a name, a file extension and `render(doc) -> bytes`."""

from __future__ import annotations

from dataclasses import dataclass, field

from scopekit.render import Document


@dataclass
class Output:
    """Rendered bytes and any warnings the renderer raised (e.g. refused resources)."""

    data: bytes
    warnings: list[str] = field(default_factory=list)


class HtmlWriter:
    """The self-contained HTML page."""

    name = "html"
    extension = ".html"

    def render(self, doc: Document) -> Output:
        from scopekit.render.html import render_html

        warnings: list[str] = []
        html = render_html(doc, mode="web", warnings=warnings)
        return Output(html.encode("utf-8"), warnings)


class PdfWriter:
    """The tagged PDF/UA-1 through WeasyPrint."""

    name = "pdf"
    extension = ".pdf"

    def render(self, doc: Document) -> Output:
        from scopekit.render.pdf import render_pdf

        data, warnings = render_pdf(doc)
        return Output(data, warnings)


class DocxWriter:
    """The editable Word document with real footnotes."""

    name = "docx"
    extension = ".docx"

    def render(self, doc: Document) -> Output:
        from scopekit.render.docx import render_docx

        data, warnings = render_docx(doc)
        return Output(data, warnings)


WRITERS = {writer.name: writer for writer in (HtmlWriter(), PdfWriter(), DocxWriter())}

"""A loopback web site of source pages for `scopekit add` and `sources fill` (127.0.0.1 only).

The pages follow the markup these sites really publish (cut down to the parts that carry
metadata): a GOV.UK publication and guidance page, two council CMSs, The King's Fund, The
Health Foundation, the LGA, an NHS trust, a journal article with `citation_*` tags, a page
with only a `<title>`, a "Home" title, redirects, a 404, a soft 404, a PDF with XMP, a DOI
resolver answering CSL-JSON, and hostile answers (a 50 MB body, a body that never ends, a
`<title>` with markup and control characters, JSON-LD that is not JSON, a redirect to file:).
"""

from __future__ import annotations

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler

from servers import LoopbackServer

HUGE = 50 * 1024 * 1024


def _html(head: str, body: str = "<p>Text.</p>") -> bytes:
    return f"<!DOCTYPE html><html lang='en'><head>{head}</head><body>{body}</body></html>".encode()


PAGES: dict[str, bytes] = {
    "/government/publications/social-value-model": _html(
        """<meta charset="utf-8">
<title>The Social Value Model - GOV.UK</title>
<meta name="govuk:format" content="guidance">
<meta name="govuk:schema-name" content="publication">
<meta name="govuk:primary-publishing-organisation" content="Cabinet Office">
<meta name="govuk:first-published-at" content="2020-09-24T12:13:00+01:00">
<meta name="govuk:public-updated-at" content="2023-12-05T10:00:00+00:00">
<meta property="og:site_name" content="GOV.UK">
<meta property="og:title" content="The Social Value Model">
<link rel="canonical" href="/government/publications/social-value-model">"""
    ),
    "/guidance/physical-activity-applying-all-our-health": _html(
        """<title>Physical activity: applying All Our Health - GOV.UK</title>
<meta name="govuk:schema-name" content="detailed_guide">
<meta name="govuk:primary-publishing-organisation"
  content="Office for Health Improvement and Disparities">
<meta name="govuk:first-published-at" content="2022-03-24T09:30:00+00:00">
<meta property="og:site_name" content="GOV.UK">"""
    ),
    "/socialvalue": _html(
        """<title>Social value and sustainability | Coventry City Council</title>
<meta name="DC.title" content="Social value and sustainability">
<meta name="DC.creator" content="Coventry City Council">
<meta name="DC.publisher" content="Coventry City Council">
<meta name="DC.date.modified" content="2023-10-11">
<meta name="DC.language" content="en-GB">"""
    ),
    "/council/news/active-travel": _html(
        """<title>Active travel plan | Warwickshire County Council</title>
<meta property="og:title" content="Active travel plan | Warwickshire County Council">
<meta property="og:site_name" content="Warwickshire County Council">
<meta name="dcterms.issued" content="12/04/2024">"""
    ),
    "/insight-and-analysis/long-reads/social-value-act": _html(
        """<title>The Social Value Act explained | The King's Fund</title>
<meta property="og:title" content="The Social Value Act explained">
<meta property="og:site_name" content="The King's Fund">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "name": "The King's Fund"},
 {"@type": "Article", "headline": "The Social Value Act explained",
  "datePublished": "2023-03-16T08:00:00Z",
  "author": [{"@type": "Person", "name": "Anna Charles"}],
  "publisher": {"@type": "Organization", "name": "The King's Fund"}}]}</script>"""
    ),
    "/publications/reports/inequalities": _html(
        """<title>Health inequalities report | The Health Foundation</title>
<meta property="og:title" content="Health inequalities report | The Health Foundation">
<meta property="og:site_name" content="The Health Foundation">
<meta property="article:published_time" content="2024-02-01">"""
    ),
    "/publications/social-value-guide": _html(
        """<title>Social value: a guide for councils | Local Government Association</title>
<script type="application/ld+json">{"@context": "https://schema.org",
 "@type": "Report", "name": "Social value: a guide for councils",
 "datePublished": "2022-06", "publisher": {"@type": "Organization",
 "name": "Local Government Association"}}</script>"""
    ),
    "/about-us/anchor-institution": _html(
        """<title>Our role as an anchor institution - University Hospitals Coventry and
Warwickshire NHS Trust</title>
<meta name="description" content="How we act as an anchor.">"""
    ),
    "/content/article/impacts": _html(
        """<meta name="citation_title" content="Impacts of an active travel intervention">
<meta name="citation_author" content="Aldred, Rachel">
<meta name="citation_author" content="Croft, Joseph">
<meta name="citation_journal_title" content="Transportation Research Part A">
<meta name="citation_publisher" content="Elsevier">
<meta name="citation_publication_date" content="2019/04/01">
<meta name="citation_volume" content="123">
<meta name="citation_firstpage" content="147">
<meta name="citation_lastpage" content="169">
<meta name="citation_doi" content="10.1016/j.tra.2019.02.007">
<meta property="og:title" content="Not this title">
<title>Impacts - ScienceDirect</title>"""
    ),
    "/only-title": _html("<title>Annual public health report 2023</title>"),
    "/plan/home-page": _html("<title>Home</title>"),
    "/markup-title": _html("<title>Social <b>value</b>\x07 in\tpractice</title>"),
    "/bad-jsonld": _html(
        """<title>Broken data page</title>
<script type="application/ld+json">{"@type": "Article", headline: not json}</script>"""
    ),
    "/": _html("<title>Welcome</title>"),
}
REDIRECTS = {
    "/moved": (301, "/insight-and-analysis/long-reads/social-value-act"),
    "/temporary": (302, "/only-title"),
    "/removed-page": (302, "/"),
    "/to-file": (302, "file:///etc/passwd"),
}
DOI = {
    "10.1234/abc": {
        "type": "article-journal",
        "title": "Social value in local government: a scoping review",
        "author": [{"family": "Birch", "given": "Jack"}, {"family": "Patel", "given": "Asha"}],
        "container-title": "Journal of Public Health",
        "volume": 45,
        "issue": "2",
        "page": "101-110",
        "publisher": "Oxford University Press",
        "issued": {"date-parts": [[2023, 5, 4]]},
        "DOI": "10.1234/abc",
        "URL": "https://doi.org/10.1234/abc",
    }
}


def make_pdf(title: str | None = "Health inequalities in Coventry", text: str = "") -> bytes:
    """A one-page PDF whose XMP names `title` and Coventry City Council, and whose document
    information has a word processor's made-up title; page 1 shows `text`."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )
    from pypdf.xmp import XmpInformation

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    if text:
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(stream)
    writer.add_metadata(
        {"/Title": "Microsoft Word - HI_report_final_v3.docx", "/CreationDate": "D:20230115"}
    )
    if title:
        xmp = XmpInformation.create()
        xmp.dc_title = {"x-default": title}
        xmp.dc_creator = ["Coventry City Council"]
        xmp.dc_publisher = ["Coventry City Council"]
        writer.xmp_metadata = xmp
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class SourceSite(LoopbackServer):
    """The site on 127.0.0.1; `hits` counts requests per path, `accepts` the Accept headers."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.accepts: dict[str, str] = {}
        self.stop = threading.Event()
        self.pdf = make_pdf()
        self.pdf_text_only = make_pdf(None, "Annual report on active travel")
        self.extra: dict[str, tuple[bytes, str]] = {}  # path → (body, Content-Type), by tests
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                site.hits[path] = site.hits.get(path, 0) + 1
                site.accepts[path] = self.headers.get("Accept", "")
                try:
                    site.route(self, path)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)

    def route(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        def reply(status: int, body: bytes = b"", **headers: str) -> None:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name.replace("_", "-"), value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            if handler.command != "HEAD":
                handler.wfile.write(body)

        if path in self.extra:
            body, kind = self.extra[path]
            reply(200, body, Content_Type=kind)
        elif path in PAGES:
            reply(200, PAGES[path], Content_Type="text/html; charset=utf-8")
        elif path in REDIRECTS:
            status, target = REDIRECTS[path]
            reply(status, Location=target)
        elif path == "/files/hi-report.pdf":
            reply(200, self.pdf, Content_Type="application/pdf")
        elif path == "/files/untagged.pdf":
            reply(200, self.pdf_text_only, Content_Type="application/octet-stream")
        elif path == "/files/damaged.pdf":
            reply(200, self.pdf[: len(self.pdf) // 2], Content_Type="application/pdf")
        elif path == "/logo.png":
            reply(200, b"\x89PNG\r\n\x1a\n", Content_Type="image/png")
        elif path == "/doi/10.5555/landing":  # a registry without CSL-JSON: its landing page
            reply(303, Location="/content/article/impacts")
        elif path.startswith("/doi/"):
            item = DOI.get(path[len("/doi/") :])
            if item is None:
                reply(404, b"DOI not found")
            else:
                body = json.dumps(item).encode()
                reply(200, body, Content_Type="application/vnd.citationstyles.csl+json")
        elif path == "/huge":
            self.huge(handler)
        elif path == "/never-ending":
            self.never_ending(handler)
        else:
            reply(404, b"<title>Page not found</title>", Content_Type="text/html")

    def huge(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"x" * 65536
        for _ in range(HUGE // len(chunk)):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")

    def never_ending(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        deadline = time.monotonic() + 30
        while not self.stop.is_set() and time.monotonic() < deadline:
            handler.wfile.write(b"1\r\n<\r\n")
            handler.wfile.flush()
            self.stop.wait(0.05)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        super().__exit__(*exc)

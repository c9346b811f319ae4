"""A loopback copy of the web sources of tests/checks/clean, for the drift warnings of
`check-links` (127.0.0.1 only). Its pages can be changed between runs.

`https://HOST/PATH` is served as `http://127.0.0.1:PORT/HOST/PATH`; `rewrite` turns a review
folder's URLs (sources.yaml, sources.seen.json) into the site's, so a review written with
the real addresses is checked against these pages and nothing leaves the machine.
"""

from __future__ import annotations

import re
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from servers import LoopbackServer

_WEB = re.compile(r"https://([a-z0-9.-]+)/")


def page(title: str, text: str, *, head: str = "", chrome: str = "") -> bytes:
    """An HTML page as councils and GOV.UK publish them: a cookie banner, a header with a
    menu, the main content, a footer (`chrome` goes in the header: it is not main text)."""
    main = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    heading = title.split(" - ")[0].split(" | ")[0]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>
<body>
<div id="global-cookie-message" class="gem-c-cookie-banner"><p>We use some essential
cookies to make this service work. {chrome}</p></div>
<header class="govuk-header" role="banner"><nav><ul><li><a href="/">Home</a></li>
<li><a href="/news">News</a></li><li>{chrome}</li></ul></nav></header>
<main id="main-content" role="main"><h1>{heading}</h1>
{main}</main>
<footer class="govuk-footer"><p>All content is available under the Open Government
Licence v3.0. {chrome}</p></footer>
</body></html>""".encode()


def paragraphs(topic: str, count: int = 8) -> str:
    """`count` paragraphs of distinct sentences about `topic` (enough words to fingerprint)."""
    return "\n\n".join(
        f"Paragraph {n} on {topic}: the {n}th finding sets out how {topic} changes local "
        f"services, what councils measured in year {2015 + n}, which groups gained most, "
        f"and why evidence point {n * 7} matters for commissioners planning {topic} work."
        for n in range(1, count + 1)
    )


#: What the pages of clean's sources show now, by HOST/PATH.
CLEAN_PAGES: dict[str, bytes] = {
    "www.gov.uk/government/publications/physical-activity-applying-all-our-health/"
    "physical-activity-applying-all-our-health": page(
        "Physical activity: applying All Our Health - GOV.UK", paragraphs("physical activity")
    ),
    "www.gov.uk/government/publications/the-second-cycling-and-walking-investment-strategy": page(
        "The second cycling and walking investment strategy (CWIS2) - GOV.UK",
        paragraphs("cycling and walking investment"),
    ),
    "doi.org/10.1016/j.tra.2018.05.018": page(
        "Impacts of an active travel intervention with a cycling focus in a suburban context",
        paragraphs("mini-Hollands"),
        head='<meta name="citation_title" content="Impacts of an active travel intervention '
        "with a cycling focus in a suburban context: one-year findings from an evaluation "
        "of London's in-progress mini-Hollands programme\">",
    ),
    "www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/"
    "what-is-a-school-street": page(
        "What is a school street? | Sustrans", paragraphs("school streets")
    ),
    # A URL that now shows another page (tests/checks/title-changed/).
    "www.sustrans.org.uk/our-blog/school-streets": page(
        "Shop: gifts and cycling gear | Sustrans", paragraphs("gift shop offers")
    ),
}


class DriftSite(LoopbackServer):
    """The pages on 127.0.0.1 (`pages` by HOST/PATH, changeable); `hits` counts requests."""

    def __init__(self, pages: dict[str, bytes] | None = None) -> None:
        self.pages = dict(CLEAN_PAGES if pages is None else pages)
        self.hits: dict[str, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                key = self.path.lstrip("/")
                site.hits[key] = site.hits.get(key, 0) + 1
                body = site.pages.get(key)
                status = 200 if body is not None else 404
                body = body if body is not None else b"<title>Page not found</title>"
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            do_HEAD = do_GET

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(Handler)

    def url(self, key: str) -> str:
        """The site's URL of HOST/PATH."""
        return f"{self.base}/{key}"

    def rewrite(self, folder: Path) -> None:
        """Point the review's https URLs (sources.yaml, sources.seen.json) at this site."""
        for name in ("sources.yaml", "sources.seen.json"):
            path = folder / name
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                path.write_text(_WEB.sub(rf"{self.base}/\1/", text), encoding="utf-8")

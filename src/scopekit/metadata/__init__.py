"""What a fetched document says about itself, read in a documented order of trust.

One reader per vocabulary. For an HTML page the first reader that gives a variable wins:
Highwire `citation_*`, Dublin Core / DCTERMS, schema.org JSON-LD, Open Graph, GOV.UK's
meta tags, then `rel=canonical` and `<title>`; `og:site_name` names the publisher only when
no other vocabulary does (it is the site's name, GOV.UK for every department). PDFs are
read by pdf.py, DOIs by csljson.py.
"""

from __future__ import annotations

from scopekit.metadata import dublincore, govuk, highwire, jsonld, opengraph, page
from scopekit.metadata.html import HtmlDoc, decode, parse_html
from scopekit.metadata.model import Fields, Found, clean_title, merge

#: The HTML readers in order of trust (docs/adding-sources.md says why).
HTML_READERS = (highwire.read, dublincore.read, jsonld.read, opengraph.read, govuk.read)

__all__ = ["Fields", "Found", "HtmlDoc", "decode", "parse_html", "read_html"]


def read_html(doc: HtmlDoc) -> tuple[Fields, list[str]]:
    """The CSL variables of a page, each from the first reader that has it, and notes on
    what could not be read (JSON-LD that is not JSON)."""
    readings = [reader(doc) for reader in HTML_READERS]
    fields = merge(readings)
    publisher = fields.get("publisher")
    if publisher is not None and publisher.origin == "og:site_name":  # a site, not an owner
        owners = [r["publisher"] for r in readings if "publisher" in r]
        fields["publisher"] = next((o for o in owners if o.origin != "og:site_name"), publisher)
    site = fields["publisher"].value if "publisher" in fields else None
    fields = merge([fields, page.read(doc, site if isinstance(site, str) else None)])
    title = fields.get("title")
    if title is not None and title.origin == "og:title" and isinstance(title.value, str):
        cut = clean_title(page.without_site(title.value, site if isinstance(site, str) else None))
        if cut:
            fields["title"] = Found(cut, title.origin)
    notes = []
    bad = jsonld.items(doc)[1]
    if bad:
        notes.append(f"{bad} JSON-LD block(s) are not JSON: skipped")
    return fields, notes

"""A fetched document made a CSL item: the metadata read, guesses marked, an id proposed.

Shared by `scopekit add` (adding.py) and `scopekit sources fill` (filling.py). Values come
from the readers of scopekit.metadata in their order of trust; what no reader gives is
guessed only where import guesses too (a title from the URL, a publisher from a domain
everyone knows), and each guess is named so the file can mark it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from scopekit.errors import UsageError
from scopekit.exchange.model import ordered
from scopekit.importer.sources import KNOWN_SITES, host, site_word, slug_words, title_from_url
from scopekit.links.drift import see
from scopekit.links.fetch import Page, fetch_urls
from scopekit.links.model import Result, Seen
from scopekit.links.settings import Settings
from scopekit.metadata import Fields, csljson, decode, parse_html, pdf, read_html
from scopekit.urls import is_web_url

DOI_RESOLVER = "https://doi.org"
_STOP = frozenset("a an the of and for to in on with what how is are by at from its our".split())
TITLE_GUESS = "made from the URL"
PUBLISHER_GUESS = "guessed from the domain"
FIRST_PAGE = "from the PDF's first page"


def doi_resolver() -> str:
    """The DOI resolver asked by content negotiation: SCOPEKIT_DOI_URL, else doi.org."""
    return (os.environ.get("SCOPEKIT_DOI_URL") or DOI_RESOLVER).rstrip("/")


@dataclass
class Added:
    """A new source: its item, where each value was read, and what was guessed or missing."""

    input: str
    id: str
    item: dict[str, object]
    origins: dict[str, str]
    guessed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)
    seen: Seen | None = None
    """What the page showed (an HTML page): the drift baseline `add` records."""


@dataclass
class Failed:
    """An argument that could not be read, and why; `offline` when no server answered."""

    input: str
    message: str
    offline: bool = False


@dataclass
class Wanted:
    """One argument: a web page or a DOI, and the URL to fetch."""

    input: str
    url: str
    doi: str | None = None


def parse_inputs(inputs: list[str]) -> list[Wanted]:
    """The arguments as pages and DOIs; a usage error for anything else (nothing fetched)."""
    wanted = []
    for text in inputs:
        given = text.strip()
        doi = csljson.parse_doi(given)
        if doi is not None:
            wanted.append(Wanted(text, f"{doi_resolver()}/{quote(doi, safe='/')}", doi))
        elif is_web_url(given):
            wanted.append(Wanted(text, given))
        elif given.lower().startswith("www.") and is_web_url(f"https://{given}"):
            wanted.append(Wanted(text, f"https://{given}"))
        elif " " in given and is_web_url(given.replace(" ", "%20")):
            raise UsageError(
                f"'{text[:80]}' has a space in it: a URL cannot hold one",
                "write each space in the URL as %20, and quote the whole URL ('https://…') "
                "so that the shell gives it as one argument",
            )
        elif wanted and not wanted[-1].doi and not given.startswith(("http", "10.", "doi")):
            raise UsageError(
                f"'{text[:80]}' is neither an http(s) URL nor a DOI",
                f"if it is the rest of {wanted[-1].input[:80]}, that URL has a space in it: "
                "quote the whole URL ('https://…'), or write each space as %20",
            )
        else:
            raise UsageError(
                f"'{text[:80]}' is neither an http(s) URL nor a DOI",
                "give a web address (https://…) or a DOI (10.…, doi.org/10.…)",
            )
    return wanted


def read_all(wanted: Sequence[Wanted], settings: Settings, day: str) -> dict[str, Added | Failed]:
    """Fetch every page and DOI at once (under check-links' limits) and read each; by
    argument as given."""
    pages = list(dict.fromkeys(w.url for w in wanted if not w.doi))
    dois = list(dict.fromkeys(w.url for w in wanted if w.doi))
    fetched = fetch_urls(pages, dois, settings)
    return {w.input: read_document(w, fetched[w.url], day) for w in wanted}


def read_document(want: Wanted, outcome: Page | Result, day: str) -> Added | Failed:
    """The new source from a fetched document (accessed `day`), or why there is none."""
    if isinstance(outcome, Result):
        what = f"DOI {want.doi}" if want.doi else "the page"
        return Failed(want.input, f"{what} could not be read: {outcome.message}", outcome.offline)
    try:
        if want.doi and outcome.media_type not in ("text/html", "application/xhtml+xml"):
            return make_item(want, outcome, csljson.read(outcome.body), [], day)
        if outcome.media_type == "application/pdf" or outcome.body.startswith(b"%PDF-"):
            fields, first_page = pdf.read(outcome.body)
            added = make_item(want, outcome, fields, [], day)
            if first_page:
                added.guessed.append(f"title {FIRST_PAGE}")
                added.marks["title"] = FIRST_PAGE
            return added
        if outcome.media_type in ("text/html", "application/xhtml+xml", "") and outcome.body:
            # a page, or the landing page of a DOI whose registry has no CSL-JSON
            doc = parse_html(decode(outcome.body, outcome.charset), outcome.final_url)
            fields, notes = read_html(doc)
            added = make_item(want, outcome, fields, notes, day)
            added.seen = see(outcome.body, outcome.charset, outcome.final_url)
            return added
        if not outcome.body.strip():
            kind = f" ({outcome.media_type})" if outcome.media_type else ""
            message = f"the page is empty{kind}: the server sent nothing to read"
        else:
            message = f"not a web page or a PDF ({outcome.media_type}): not read"
    except pdf.PdfUnreadable as exc:
        message = f"the PDF cannot be read: {exc}"
    except ValueError:
        message = "the DOI resolver's answer is not CSL-JSON"
    return Failed(want.input, message)


def make_item(want: Wanted, page: Page, fields: Fields, notes: list[str], day: str) -> Added:
    """The CSL item (without its id) from what the readers found, guessing what is missing."""
    values = {key: found.value for key, found in fields.items()}
    origins = {key: found.origin for key, found in fields.items()}
    added = Added(want.input, "", {}, origins, notes=list(notes))
    url = values.get("URL")
    if not (isinstance(url, str) and is_web_url(url)):
        if want.doi:
            url = f"https://doi.org/{want.doi}"
        else:
            url = page.final_url if page.permanent else want.url
        after = " (after its redirects)" if page.redirects else ""
        origins["URL"] = f"the address fetched{after}"
        values["URL"] = url
    if want.doi:
        values.setdefault("DOI", want.doi)
        origins.setdefault("DOI", "the argument")
    values.setdefault("type", "webpage")
    origins.setdefault("type", "the default for a page")
    if "title" not in values:
        values["title"] = title_from_url(str(url))
        origins["title"] = "the URL"
        added.guessed.append(f"title {TITLE_GUESS}")
        added.marks["title"] = TITLE_GUESS
    if "publisher" not in values and not values.get("author"):
        known = KNOWN_SITES.get(host(str(url)))
        if known:
            values["publisher"] = known
            origins["publisher"] = "the domain"
            added.guessed.append(f"publisher {PUBLISHER_GUESS} ({known})")
            added.marks["publisher"] = PUBLISHER_GUESS
        else:
            added.notes.append("no publisher or author found: add one")
    if "issued" not in values:
        added.notes.append("no date of publication found")
    values["accessed"] = day
    origins["accessed"] = "today"
    added.item = ordered({key: value for key, value in values.items() if key != "id"})
    added.origins = {key: origins[key] for key in added.item if key in origins}
    return added


def make_id(item: dict[str, object]) -> str:
    """A short readable id: the first author's family name or the site, three words of the
    title, and the year (`aldred-impacts-active-travel-2019`, `kingsfund-social-value-act`)."""
    authors = item.get("author")
    first = authors[0] if isinstance(authors, list) and authors else {}
    lead = slug_words(first.get("family", "")) if isinstance(first, dict) else []
    url = str(item.get("URL") or "")
    if not lead and host(url) and not host(url).replace(".", "").isdigit():
        lead = [site_word(url)] if site_word(url) else []
    title = [w for w in slug_words(str(item.get("title") or "")) if w not in _STOP]
    words = lead[:1] + [w for w in title if w not in lead[:1]][:3]
    issued = item.get("issued")
    if isinstance(issued, str) and issued[:4].isdigit() and item.get("type") != "webpage":
        words.append(issued[:4])
    return "-".join(words) or "source"

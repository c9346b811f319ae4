"""The imported sources: one per URL (notes citing the same page merge, keeping the later
access date), placeholders for links without a target, and a source per note without a URL.

Titles come from the note or link text; from the URL only when there is no text (a guess,
reported). A publisher is taken from the domain only for sites everyone knows; otherwise
it is left out and reported. Ids are made from the site and the title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from scopekit.importer.model import ImportReport
from scopekit.importer.notetext import Cited
from scopekit.isodates import PartialDate
from scopekit.urls import normalise

PLACEHOLDER = "URL to be added"
KNOWN_SITES = {
    "gov.uk": "GOV.UK",
    "assets.publishing.service.gov.uk": "GOV.UK",
    "legislation.gov.uk": "legislation.gov.uk",
    "ons.gov.uk": "Office for National Statistics",
    "nhs.uk": "NHS",
    "england.nhs.uk": "NHS England",
    "nice.org.uk": "NICE",
    "local.gov.uk": "Local Government Association",
    "kingsfund.org.uk": "The King's Fund",
    "health.org.uk": "The Health Foundation",
    "parliament.uk": "UK Parliament",
    "bbc.co.uk": "BBC",
    "who.int": "World Health Organization",
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "en.wikipedia.org": "Wikipedia",
}
_DOCUMENTS = re.compile(r"\.(?:pdf|docx?|odt|rtf|pptx?|xlsx?)$", re.I)
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cfm|pdf|docx?|odt|rtf|pptx?|xlsx?)$", re.I)
_GENERIC = {
    "index",
    "default",
    "home",
    "watch",
    "view",
    "page",
    "en",
    "en-gb",
    "content",
    "download",
    "uploads",
    "attachment_data",
    "file",
    "files",
}
_SITE_WORDS = {
    *("www", "m", "assets", "publishing", "service"),
    *("uk", "com", "org", "net", "gov", "ac", "co", "nhs", "edu", "int", "io"),
}
MAX_ID_WORDS = 6


@dataclass(eq=False)
class FoundSource:
    """A source being imported; `places` are where the document cites or links it."""

    type: str
    places: list[str]
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    accessed: PartialDate | None = None
    remarks: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    label: str = ""  # link text, for the id of a placeholder
    id: str = ""
    from_note: bool = False
    titled_by_note: bool = False


def host(url: str) -> str:
    """The URL's host, lower case, without `www.`."""
    name = (urlsplit(url).hostname or "").lower()
    return name[4:] if name.startswith("www.") else name


def kind_of(url: str) -> str:
    """The CSL type a URL suggests: `report` for a document file, else `webpage`."""
    return "report" if _DOCUMENTS.search(urlsplit(url).path) else "webpage"


def title_from_url(url: str) -> str:
    """A title made from the last telling part of a URL's path, else its host."""
    for segment in reversed([unquote(s) for s in urlsplit(url).path.split("/") if s]):
        stem = _EXTENSION.sub("", segment)
        words = [word for word in re.split(r"[-_+\s.]+", stem) if word]
        if not words or stem.lower() in _GENERIC or all(word.isdigit() for word in words):
            continue
        if len(words) == 1 and len(stem) > 24:
            continue  # an identifier, not words
        text = " ".join(words)
        return text[0].upper() + text[1:]
    return host(url) or url


def slug_words(text: str) -> list[str]:
    """Lower-case ASCII words of a text, for ids."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", ascii_text.lower().replace("'", ""))


def site_word(url: str) -> str:
    """The telling word of a URL's host: `coventry` for www.coventry.gov.uk."""
    words = [w for w in host(url).split(".") if w and w not in _SITE_WORDS]
    return slug_words(words[-1])[0] if words and slug_words(words[-1]) else ""


class SourceTable:
    """Sources in order of first use, merged by URL."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.sources: list[FoundSource] = []
        self.by_url: dict[str, FoundSource] = {}

    def add(self, source: FoundSource) -> FoundSource:
        """Keep a new source (findable by its URL)."""
        self.sources.append(source)
        if source.url:
            self.by_url[normalise(source.url)] = source
        return source

    def cited(
        self, cited: Cited, place: str, access: PartialDate | None, note: bool = True
    ) -> FoundSource:
        """The source a note (or a listed reference) cites; a URL seen before gives the
        source already made, keeping the later access date."""
        if cited.url is None:
            title = cited.title or "TODO the note in the original is empty"
            source = FoundSource("document", [place], None, title, cited.publisher, access)
            source.from_note = note
            return self.add(source)
        existing = self.by_url.get(normalise(cited.url))
        if existing is None:
            source = self.add(
                FoundSource(kind_of(cited.url), [place], cited.url, accessed=access, from_note=note)
            )
        else:
            source = existing
            if source.from_note and note:
                self._merge_report(source, place, access)
            source.places.append(place)
            source.from_note = source.from_note or note
            if access and (source.accessed is None or access.last_day > source.accessed.last_day):
                source.accessed = access
        if cited.title and not source.titled_by_note:
            source.title, source.titled_by_note = cited.title, True
        if cited.publisher and not source.publisher:
            source.publisher = cited.publisher
        if cited.scheme_added:
            self.report.add(place, f"{cited.url}: https:// added to a www. address")
        return source

    def _merge_report(self, source: FoundSource, place: str, access: PartialDate | None) -> None:
        dates = [d for d in (source.accessed, access) if d]
        kept = max(dates, key=lambda d: d.last_day) if dates else None
        other = [str(d) for d in dates if d != kept]
        when = f"; accessed {kept} kept" + (f" (not {other[0]})" if other else "") if kept else ""
        self.report.merged.append(f"{place} cites the same URL as {source.places[0]}{when}")

    def linked(self, url: str, text: str, place: str) -> FoundSource:
        """The source of a hyperlink to a web page; its text names it unless it is vague."""
        existing = self.by_url.get(normalise(url))
        if existing is not None:
            existing.places.append(place)
            if text and existing.title is None:
                existing.title = text
            return existing
        return self.add(FoundSource(kind_of(url), [place], url, title=text or None))

    def placeholder(self, text: str, place: str, was: str, named: bool) -> FoundSource:
        """A source for a link with no usable target: a placeholder to fill in."""
        title = text if named else f"TODO name the page linked as “{text}”"
        remark = PLACEHOLDER + (f" (the document linked to {was})" if was else "")
        return self.add(FoundSource("webpage", [place], title=title, label=text, remarks=[remark]))

    def finish(self) -> None:
        """Fill in missing titles and publishers (reported as guesses) and give ids."""
        used: set[str] = set()
        for source in self.sources:
            if source.url:
                self._guess(source)
            source.id = unique("-".join(_id_words(source)), used)

    def _guess(self, source: FoundSource) -> None:
        assert source.url is not None
        found: list[str] = []
        if not source.title:
            source.title = title_from_url(source.url)
            found.append(f"title made from the URL: “{source.title}”")
            source.guesses.append("title")
        if not source.publisher:
            site = host(source.url)
            source.publisher = KNOWN_SITES.get(site)
            if source.publisher:
                found.append(f"publisher guessed from the domain: {source.publisher}")
                source.guesses.append("publisher")
            else:
                found.append(f"no publisher ({site} is not a site scopekit knows): add one")
        unread = any(remark.startswith("accessed “") for remark in source.remarks)
        if source.accessed is None and not unread:
            found.append("no access date")
        if found:
            what = "" if source.places[0].startswith("note") else f"{source.url}: "
            self.report.add(source.places[0], what + "; ".join(found))


def _id_words(source: FoundSource) -> list[str]:
    words = slug_words(source.label if source.title and source.title.startswith("TODO") else "")
    words = words or slug_words(source.title or "")
    site = site_word(source.url) if source.url else ""
    if site and (not words or words[0] != site):
        words = [site, *words]
    return words[:MAX_ID_WORDS] or ["source"]


def unique(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… the first not in `used` (which it joins)."""
    key, count = base, 1
    while key in used:
        count += 1
        key = f"{base}-{count}"
    used.add(key)
    return key

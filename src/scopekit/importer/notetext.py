"""What a note says: the URLs it cites and the text around them, its access date, or that it
points back at an earlier note ("As 10", "See note 14 above", "Ibid.").

URLs come from hyperlinks and from the text (with or without angle brackets, `www.` without
a scheme, several in one note). The text before each URL gives that source's title and
publisher ("Title. Publisher. URL (Accessed DD/MM/YYYY)", as scopekit writes notes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scopekit.importer.accessdates import AccessDate, find_access_date
from scopekit.linktext import vague
from scopekit.urls import is_web_url, normalise

_URL = re.compile(r"(?<![\w@/.])(?:https?://|www\.)[^\s<>\"“”]+", re.I)
_TRAILING = ".,;:!?'\"’”"
_BACK = re.compile(
    r"^(?:(?:as|see)(?:\s+in)?\s+(?:(?:foot|end)?note\s+|n\.?\s*)?|(?:foot|end)?note\s+)"
    r"\[?(\d+)\]?(?:,?\s+above)?\s*[.;]?$",
    re.I,
)
_CONNECTIVE = re.compile(r"^(?:and|or|&|plus|also|and also|see|see also|then|[,;:]|)$", re.I)
_IBID = re.compile(r"^ibid(?:em)?\b\.?,?\s*(?P<rest>.*)$", re.I)
_MARK = "\x00"
# words of a sentence, not of a reference: a note with no URL that has one is commentary
_SENTENCE_WORDS = frozenset(
    "is are was were be been being has have had do does did not no-one we our us this these "
    "those it its they their can could may might must should would will shall".split()
)
_EDGE = " \t<>,;:–—-"


@dataclass
class Cited:
    """One source a note cites: its URL (None for a note with none), title and publisher."""

    url: str | None
    title: str | None = None
    publisher: str | None = None
    scheme_added: bool = False
    access: AccessDate | None = None  # its own, when the note dates each URL


@dataclass
class ParsedNote:
    """A note read: the sources it cites, or the earlier note it points back at."""

    text: str
    cited: list[Cited] = field(default_factory=list)
    back_to: int | None = None
    ibid: bool = False
    ignored: str = ""
    access: AccessDate | None = None


def trim_url(candidate: str) -> str:
    """A URL found in text without the punctuation that ends the sentence around it."""
    url = candidate
    while url and (
        url[-1] in _TRAILING
        or (url[-1] == ")" and url.count(")") > url.count("("))
        or (url[-1] == "]" and url.count("]") > url.count("["))
    ):
        url = url[:-1]
    return url


def looks_like_url(text: str, href: str) -> bool:
    """Whether link text is the address itself rather than a name for it."""
    shown = text.strip().strip("<>")
    return shown.lower().startswith(("http://", "https://", "www.")) or (
        normalise(shown) == normalise(href)
    )


def _with_scheme(url: str) -> tuple[str, bool]:
    return (f"https://{url}", True) if url.lower().startswith("www.") else (url, False)


def _markup(pieces: list[tuple[str, str | None]]) -> tuple[str, list[Cited], list[str]]:
    """The note's text with each URL replaced by a marker; the cited URLs; link names."""
    out: list[str] = []
    cited: list[Cited] = []
    names: list[str] = []
    for text, href in pieces:
        target, added = _with_scheme(href.strip()) if href else ("", False)
        if target and is_web_url(target):
            if cited and out and out[-1] == _MARK and cited[-1].url == target:
                continue  # the same link split in two pieces
            cited.append(Cited(target, scheme_added=added))
            names.append("" if looks_like_url(text, target) or vague(text) else text.strip())
            out.append(_MARK)
            continue
        position = 0
        for match in _URL.finditer(text):
            url, added = _with_scheme(trim_url(match[0]))
            if not is_web_url(url):
                continue
            out.append(text[position : match.start()])
            cited.append(Cited(url, scheme_added=added))
            names.append("")
            out.append(_MARK)
            position = match.start() + len(trim_url(match[0]))
        out.append(text[position:])
    return "".join(out), cited, names


def clean(segment: str) -> str:
    """A piece of note text without the spaces, brackets and stops around it."""
    text = " ".join(segment.split()).strip(_EDGE)
    while text.endswith("."):
        text = text[:-1].rstrip(_EDGE)
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text


def title_and_publisher(segment: str) -> tuple[str | None, str | None]:
    """`Title. Publisher` split at its last full stop; otherwise all of it is the title."""
    text = clean(segment)
    if not text:
        return None, None
    title, stop, publisher = text.rpartition(". ")
    if stop and title.strip() and publisher[:1].isupper():
        return clean(title), publisher
    return text, None


def is_commentary(text: str) -> bool:
    """Whether a note with no URL and no access date says something rather than cites:
    six words or more, one of them a verb or pronoun no reference title would need."""
    words = [w.strip(".,;:()“”\"'").lower() for w in text.split()]
    return len(words) >= 6 and any(word in _SENTENCE_WORDS for word in words)


def parse_note(text: str, pieces: list[tuple[str, str | None]], listed: bool = False) -> ParsedNote:
    """Read one note (or one item of an "Other sources" list, `listed`)."""
    text = " ".join(text.split())
    note = ParsedNote(text)
    back = _BACK.match(text)
    if back:
        note.back_to = int(back[1])
        return note
    ibid = _IBID.match(text)
    if ibid:
        note.ibid, note.ignored = True, ibid["rest"].strip()
        return note
    marked, cited, names = _markup(pieces)
    segments = marked.split(_MARK)
    dates = [find_access_date(segment) for segment in segments[1:]]
    if len(cited) > 1 and sum(date is not None for date in dates) > 1:
        for index, (source, date) in enumerate(zip(cited, dates), start=1):
            if date is not None:  # "URL1 (Accessed …); Title 2. URL2 (Accessed …)"
                source.access = date
                segments[index] = f"{segments[index][: date.start]} {segments[index][date.end :]}"
        note.access = next(date for date in dates if date is not None)
    else:
        note.access = find_access_date(marked)
        if note.access:
            marked = marked[: note.access.start] + " " + marked[note.access.end :]
        segments = marked.split(_MARK)
    if not cited:
        title, publisher = title_and_publisher(marked) if listed else (clean(marked), None)
        note.cited = [Cited(None, title or None, publisher)]
        return note
    for source, name, before in zip(cited, names, segments):
        if _CONNECTIVE.match(clean(before)):
            before = ""  # "https://a and https://b": "and" names no page
        source.title, source.publisher = (name, None) if name else title_and_publisher(before)
    note.cited = cited
    note.ignored = clean(segments[-1])
    return note

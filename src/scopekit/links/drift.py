"""Drift: whether a live URL still shows the page the source cites.

A page read by check-links becomes a `Seen`: its title and a fingerprint of its main text
(metadata/maintext.py), a 256-bit simhash of the text's three-word shingles. Two texts that
share most of their shingles have fingerprints a few bits apart; the share of differing
bits estimates the angle between the texts' shingle sets, so `similarity` is that cosine.

`title-changed` warns when the page's title no longer resembles the source's title (and is
not the title the page had when the source was last marked accessed); `content-changed`
when the main text is far from the one seen then. Both are warnings: the page answers.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from dataclasses import replace

from scopekit.links.model import BITS, Entry, LinkWarning, Seen, Status
from scopekit.links.seen import Baseline
from scopekit.metadata import decode, parse_html, read_html
from scopekit.metadata.maintext import main_text
from scopekit.metadata.model import clean_title
from scopekit.metadata.page import without_site
from scopekit.review.model import Review
from scopekit.urls import without_fragment

#: Fewer words than this say too little to compare (a page drawn by scripts, a stub).
MIN_WORDS = 30
#: Below this similarity the main text "differs a lot" (about half of it new).
SIMILAR = 0.5
#: Title words that say nothing of the page.
_STOP = frozenset("a an and the of for in on to with by from at or is are our your &".split())
_WORD = re.compile(r"\w+")


def words_of(text: str) -> list[str]:
    """The words of a text, case-folded and without accents."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def simhash(words: list[str]) -> str:
    """The simhash of the distinct three-word shingles of `words` (BITS bits, as hex): each
    bit is set when most shingles' BLAKE2b digests have it set."""
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    digests = [hashlib.blake2b(s.encode(), digest_size=BITS // 8).digest() for s in shingles]
    half = len(digests) / 2
    number = 0
    for position, column in enumerate(zip(*digests)):
        tally = Counter(column)
        for bit in range(8):
            ones = sum(count for byte, count in tally.items() if byte >> bit & 1)
            if ones > half:
                number |= 1 << (position * 8 + bit)
    return f"{number:0{BITS // 4}x}"


def similarity(first: str, second: str) -> float:
    """How alike two fingerprints say their texts are: 1.0 the same, about 0 unrelated."""
    distance = bin(int(first, 16) ^ int(second, 16)).count("1")
    return max(0.0, math.cos(math.pi * distance / BITS))


def see(body: bytes, charset: str | None, url: str) -> Seen:
    """What an HTML page shows: its titles and the fingerprint of its main text."""
    text = decode(body, charset)
    doc = parse_html(text, url)
    fields, _ = read_html(doc)
    titles: list[str] = []
    found = fields.get("title")
    if found is not None and isinstance(found.value, str):
        titles.append(found.value)
    own = clean_title(doc.title)
    if own:
        titles.append(clean_title(without_site(own)) or own)
    words = words_of(main_text(text))
    fingerprint = simhash(words) if len(words) >= MIN_WORDS else None
    return Seen(tuple(dict.fromkeys(titles)), fingerprint, len(words))


def _title_words(title: str) -> set[str]:
    return {word.rstrip("s") or word for word in words_of(title) if word not in _STOP}


def resembles(first: str, second: str) -> bool:
    """Whether two titles name the same page: half the words of the shorter (function words
    left out, plurals as singular) are in the other. A title with no words resembles any."""
    a, b = _title_words(first), _title_words(second)
    if not a or not b:
        return True
    return len(a & b) / min(len(a), len(b)) >= 0.5


HINT = (
    "open the page and read it again: if it still says what the review cites, run "
    "check-links --update-accessed to re-stamp the source; if not, cite an archived copy "
    "or replace the source"
)


def warning(code: str, source_id: str, message: str) -> LinkWarning:
    """A drift warning on a source (its line is filled in by `find_drift`)."""
    return LinkWarning(code, source_id, None, message, HINT)


def title_changed(
    source_id: str, title: str | None, now: Seen, then: Seen | None
) -> LinkWarning | None:
    """`title-changed` when no title of the page resembles the source's `title`, unless the
    page has the title it had when the source was last marked accessed."""
    if not title or not now.titles:
        return None
    if any(resembles(title, page_title) for page_title in now.titles):
        return None
    if then is not None and any(resembles(old, new) for old in then.titles for new in now.titles):
        return None
    return warning(
        "title-changed",
        source_id,
        f"the page's title is now '{now.title}', which does not resemble the source's "
        f"title '{title}': the URL may now show something else",
    )


def content_changed(
    source_id: str, accessed: str | None, now: Seen, then: Seen | None
) -> LinkWarning | None:
    """`content-changed` when the main text is far from the one seen at the last access."""
    if then is None or then.fingerprint is None or now.fingerprint is None:
        return None
    alike = similarity(then.fingerprint, now.fingerprint)
    if alike >= SIMILAR:
        return None
    when = f" on {accessed}" if accessed else ""
    return warning(
        "content-changed",
        source_id,
        f"the page's main text differs a lot from what was seen when it was accessed{when} "
        f"(about {alike:.0%} alike; {then.words} words then, {now.words} now)",
    )


def find_drift(review: Review, entries: list[Entry], baselines: dict[str, Baseline]) -> None:
    """Put the drift warnings of each source on the entry of its URL. A baseline counts only
    while the source keeps the URL it was taken at."""
    sources = {source.id: source for source in review.sources}
    for entry in entries:
        now = entry.result.seen
        if now is None or entry.result.status not in (Status.OK, Status.REDIRECTED):
            continue
        for source_id in entry.target.sources:
            source = sources.get(source_id)
            if source is None:
                continue
            baseline = baselines.get(source_id)
            if baseline is not None and without_fragment(baseline.url) != without_fragment(
                source.url or ""
            ):
                baseline = None
            then = baseline.seen if baseline is not None else None
            accessed = baseline.accessed if baseline is not None else None
            for warning in (
                title_changed(source_id, source.title, now, then),
                content_changed(source_id, accessed, now, then),
            ):
                if warning is not None:
                    entry.warnings.append(replace(warning, line=source.line_of("URL")))

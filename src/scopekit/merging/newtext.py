"""A paragraph typed in Word, written as Markdown: its bold and italic as `**…**` and `*…*`,
its links as `[text](@key)` (a URL the review cites) or `[text](URL)`, a link to a place in
the document as the cross-reference `@sec-x` (`@fig-x`, `@tbl-x`) when its text is what the
cross-reference shows (else its text, said), its footnote references as
the citations they stand for (a recorded note by its key, a footnote added in Word by the
citation `AddedNotes` made for it), and the Word comments on it as CriticMarkup,
`{==covered==}{>>Author, date: text<<}` (a comment covering no text at the paragraph's end).

The Markdown comes as segments, `(text, raw)`: a raw segment is a comment's CriticMarkup,
written as it is even when the merge suggests (`--suggest` marks the rest as inserted).
What cannot be written is said."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby, takewhile

from scopekit.merging.align import escape
from scopekit.merging.edited import Comment, Edited
from scopekit.merging.record import Record
from scopekit.review import Review
from scopekit.review.pandoc import CROSSREF, trailing_attrs
from scopekit.urls import normalise
from scopekit.wordtext import NEW_NOTE, Paragraph, Piece, note_number

MARKER = {"b": "**", "i": "*", "bi": "***"}
Segment = tuple[str, bool]  # (Markdown, raw)


@dataclass
class Place:
    """A place in the document a Word link can go to: the block's cross-reference key (its
    `{#sec-x}`, `{#fig-x}`, `{#tbl-x}`, None without one) and its text in the DOCX."""

    key: str | None
    text: str

    def shows(self, text: str) -> bool:
        """Whether link text is what a cross-reference to it shows (a heading's title, a
        caption's label `Figure 1`)."""
        said, whole = " ".join(text.split()).casefold(), " ".join(self.text.split()).casefold()
        label = not (self.key or "").startswith("sec-") and whole.startswith(
            (said + ":", said + ".")
        )
        return bool(said) and (whole == said or label)


def link_places(edited: Edited, record: Record) -> dict[str, Place]:
    """The place of each bookmark in the edited DOCX that is in a built block: a bookmark
    Word put there (`_Toc…`, `_Ref…`) or scopekit's own anchor `_skN`."""
    places = {}
    for name, index in edited.bookmarks.items():
        number = edited.blocks[index].paragraph.anchor
        built = record.block(number) if number else None
        if built is None:
            continue
        found = trailing_attrs((built.source or "").strip())
        key = str(found[1].get("id", "")) if found else ""
        places[name] = Place(key if CROSSREF.match(key) else None, built.text)
    return places


@dataclass
class Context:
    """What a new paragraph's Markdown is written with: the recorded notes by number, the
    citations of footnotes added in Word, hyperlink targets by relationship id, comments
    by id, and the place of each bookmark a link can name."""

    review: Review
    notes: dict[int, dict]
    added: dict[str, str]
    links: dict[str, str]
    comments: dict[str, Comment] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)


@dataclass
class NewText:
    """A new paragraph as Markdown segments, what of it could not be kept, its comments."""

    segments: list[Segment]
    lost: list[str]
    comments: list[Comment]

    @property
    def commenters(self) -> list[Comment]:
        """The comments and their replies."""
        return [c for comment in self.comments for c in (comment, *comment.replies)]

    def after(self, prefix: str) -> list[Segment]:
        """The segments with `prefix` (the blank line, `- `, `# `…) before them."""
        return _joined([(prefix, False), *self.segments])


class _Writer:
    def __init__(self, paragraph: Paragraph, context: Context) -> None:
        self.context = context
        self.pieces = [p for p in paragraph.pieces if p.change is None or p.change.kind != "del"]
        self.lost: list[str] = []
        self.sources = {normalise(s.url): s.id for s in context.review.sources if s.url}
        starts = {c for c in paragraph.comment_starts if c in context.comments}
        covering = [c for p in self.pieces for c in p.comments if c in starts]  # begun here
        self.order = list(dict.fromkeys(covering))
        self.first = {
            c: next(i for i, p in enumerate(self.pieces) if c in p.comments) for c in self.order
        }
        self.last = {
            c: max(i for i, p in enumerate(self.pieces) if c in p.comments) for c in self.order
        }
        self.points = [  # comments covering no text: at the end
            c
            for c in dict.fromkeys(paragraph.comment_starts)
            if c in context.comments and c not in self.first
        ]

    def write(self) -> NewText:
        indexed = list(enumerate(self.pieces))
        out: list[Segment] = []
        for link, group in groupby(indexed, key=lambda p: p[1].link):
            out.extend(self.linked(link, list(group)))
        out.extend((self.context.comments[c].critic(), True) for c in self.points)
        comments = [self.context.comments[c] for c in [*self.order, *self.points]]
        return NewText(_joined(_stripped(out)), self.lost, comments)

    def linked(self, link: str, group: list[tuple[int, Piece]]) -> list[Segment]:
        inner: list[Segment] = []
        for _marks, run in groupby(group, key=lambda p: p[1].marks):
            run = list(run)
            segments = [s for index, piece in run for s in self.piece(index, piece)]
            marker = MARKER.get(run[0][1].marks, "")
            inner.extend(_wrapped(segments, marker, marker) if marker else segments)
        text = "".join(t for t, raw in inner if not raw)
        if link.startswith("#"):
            key = self.crossref(link[1:], "".join(p.text for _i, p in group if not p.note_id))
            return _replaced(inner, f"@{key}") if key else inner
        href = self.href(link, text)
        return _wrapped(inner, "[", f"]({href})") if href else inner

    def crossref(self, bookmark: str, text: str) -> str | None:
        """The key of a cross-reference a link to a place stands for; else None (said)."""
        if not text.strip():
            return None
        place = self.context.places.get(bookmark)
        if place is not None and place.key and place.shows(text):
            return place.key
        said = " ".join(text.split())
        if place is not None and place.key:
            hint = f"@{place.key} shows “{_cut(place.text)}” there"
        else:
            hint = "a cross-reference (@sec-x) goes to a heading, figure or table with an id"
        self.lost.append(f"link “{said}” to a place in the document kept as text: {hint}")
        return None

    def href(self, link: str, text: str) -> str:
        """The Markdown target of a link to a URL (empty: the text stays plain)."""
        rid, _, anchor = link.partition("#")
        url = self.context.links.get(rid, "") if text.strip() else ""
        if not url:
            return ""
        url = f"{url}#{anchor}" if anchor and "#" not in url else url
        key = self.sources.get(normalise(url))
        return "@" + key if key else url

    def piece(self, index: int, piece: Piece) -> list[Segment]:
        comments = self.context.comments
        opened = [("{==", True) for c in self.order if self.first[c] == index]
        closed = [
            ("==}" + comments[c].critic(), True)
            for c in reversed(self.order)
            if self.last[c] == index
        ]
        return [*opened, (self.text(piece), False), *closed]

    def text(self, piece: Piece) -> str:
        if not piece.note_id:
            return escape(piece.text)
        if piece.text in self.context.added:
            return self.context.added[piece.text]
        number = note_number(piece.text)
        key = self.context.notes.get(number, {}).get("key") if number is not None else None
        if key:
            return f"[@{key}]"
        if piece.text == NEW_NOTE:
            self.lost.append(
                "a footnote added in Word cites no URL: add its source with scopekit add"
            )
        else:
            self.lost.append(f"a copy of note {number} (not a citation): add it by hand")
        return ""


def _wrapped(segments: list[Segment], opening: str, closing: str) -> list[Segment]:
    """`opening` before the first character of the text and `closing` after its last (a
    comment's markup at either end left outside), leading and trailing spaces outside."""
    text = [i for i, (t, raw) in enumerate(segments) if not raw and t.strip()]
    if not text:
        return segments
    out = list(segments)
    first, last = text[0], text[-1]
    body = out[first][0]
    lead = body[: len(body) - len(body.lstrip())]
    out[first] = (lead + opening + body[len(lead) :], False)
    body = out[last][0]
    tail = body[len(body.rstrip()) :]
    out[last] = (body[: len(body) - len(tail)] + closing + tail, False)
    return out


def _replaced(segments: list[Segment], text: str) -> list[Segment]:
    """The text of the segments replaced by `text` (spaces at its ends and every comment's
    markup kept: those at its start before it, the others after)."""
    body = "".join(t for t, raw in segments if not raw)
    lead, tail = body[: len(body) - len(body.lstrip())], body[len(body.rstrip()) :]
    leading = list(takewhile(lambda s: s[1], segments))
    rest = [s for s in segments[len(leading) :] if s[1]]
    return [*leading, (lead + text + tail, False), *rest]


def _cut(text: str) -> str:
    words = text.split()
    return " ".join(words[:8]) + ("…" if len(words) > 8 else "")


def _stripped(segments: list[Segment]) -> list[Segment]:
    """No space at the paragraph's ends (a comment's markup aside)."""
    text = [i for i, (_t, raw) in enumerate(segments) if not raw]
    out = list(segments)
    if text:
        out[text[0]] = (out[text[0]][0].lstrip(), False)
        out[text[-1]] = (out[text[-1]][0].rstrip(), False)
    return out


def _joined(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for text, raw in segments:
        if not text:
            continue
        if out and out[-1][1] == raw:
            out[-1] = (out[-1][0] + text, raw)
        else:
            out.append((text, raw))
    return out


def unplaced_comments(paragraph: Paragraph, context: Context) -> str:
    """The comments of a paragraph merge cannot place, to be listed with its text."""
    ids = dict.fromkeys(
        [*(c for p in paragraph.pieces for c in p.comments), *paragraph.comment_starts]
    )
    found = "".join(context.comments[c].critic() for c in ids if c in context.comments)
    return f", its comments: {found}" if found else ""


def new_markdown(paragraph: Paragraph, context: Context) -> NewText:
    """The paragraph's after-text as Markdown segments, and what of it could not be kept."""
    return _Writer(paragraph, context).write()

"""From a change to a block's built text to a change to its Markdown source.

The built text (as `scopekit.wordtext` reads it: note references as one character each) is
aligned with the block's Markdown source, in which each citation or note reference stands
for the note characters it printed, placed after the punctuation that follows it as the
renderer places them. The edited text is then compared with the built text word by word,
and each difference is carried over to the source span its built characters came from:
emphasis, links and citations the edit does not touch stay as they were written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from scopekit.citation_syntax import _split_items
from scopekit.importer.markdown_writer import escape as import_escape
from scopekit.review.markdown import parse
from scopekit.wordtext import NEW_NOTE, is_note, note_char

_WORD = re.compile(r"\w+|\s+|.", re.S)
_PUNCTUATION = ".,;:!?"
SEPARATOR = "\x00"  # the comma the renderer prints between two note calls, while viewing
_CLOSING = re.compile(r"(\*+|_+|`+|\]\([^)]*\)|\])+")


@dataclass
class Edit:
    """Replace `source[start:end]` with `new`; `old` is the source text replaced."""

    start: int
    end: int
    new: str
    old: str = ""
    raw: bool = False  # written as it is, even when suggesting (a comment's CriticMarkup)
    edited: tuple[int, int] = (0, 0)  # the span of the edited text it comes from


def escape(text: str) -> str:
    """Plain text made safe to put into Markdown: no accidental emphasis, citation, or
    pandoc habit (sub/superscript, `--`, `...`), as import writes text — but quotes and
    apostrophes stay as typed, to be curled as Word curls them (`Coventry's`, never
    `Coventry\\'s` in the analyst's file)."""
    return import_escape(text, quotes=False)


def _note_spans(source: str, count: int) -> list[tuple[int, int, bool]]:
    """(start, end, narrative) of each note call in `source`, one per note it prints."""
    spans: list[tuple[int, int, bool]] = []
    cursor = 0
    for token in parse(source).tokens:
        for child in token.children or ():
            if child.type == "citation":
                at = source.find(child.markup, cursor)
                if at < 0:
                    continue
                cursor = at + len(child.markup)
                narrative = bool(child.meta.get("narrative"))
                notes = len(child.meta.get("items", ())) or 1
                spans.extend((at, cursor, narrative) for _ in range(notes))
            elif child.type == "footnote_ref":
                found = re.compile(r"\[\^[^\]\s]+\]|\^\[").search(source, cursor)
                if found:
                    end = _inline_note_end(source, found.end()) if found[0] == "^[" else None
                    cursor = end or found.end()
                    spans.append((found.start(), cursor, False))
    return spans[:count] if len(spans) >= count else spans


def _inline_note_end(source: str, at: int) -> int | None:
    """Where the inline note `^[…` opened just before `at` ends: after its closing `]`
    (escaped brackets and nested ones skipped), so that the whole note is its call."""
    depth, index = 1, at
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        depth += {"[": 1, "]": -1}.get(char, 0)
        index += 1
        if depth == 0:
            return index
    return None


def source_view(source: str, notes: list[int]) -> tuple[str, list[tuple[int, int] | None]]:
    """The source as the renderer prints it, character by character, and for each character
    the span of the source it stands for (a note call: the whole citation; the comma printed
    between two note calls: None)."""
    spans = _note_spans(source, len(notes))
    chars: list[tuple[str, int, int, bool]] = []  # char, start, end, is a bracketed note
    position, last = 0, None
    for (start, end, narrative), number in zip(spans, notes):
        for offset in range(position, start):
            char = source[offset]
            chars.append((" " if char == "\n" else char, offset, offset + 1, False))
        if start >= position or (start, end) == last:  # each note of `[@a; @b]`
            chars.append((note_char(number), start, end, not narrative))
        last = (start, end)
        position = max(position, end)
    for offset in range(position, len(source)):
        char = source[offset]
        chars.append((" " if char == "\n" else char, offset, offset + 1, False))
    chars = _notes_after_punctuation(chars)
    return "".join("," if c[0] == SEPARATOR else c[0] for c in chars), [
        (c[1], c[2]) if c[0] != SEPARATOR else None for c in chars
    ]


def _notes_after_punctuation(chars: list[tuple[str, int, int, bool]]) -> list:
    """As the renderer: spaces before a bracketed note call go (into the call's span), and
    punctuation just after it comes before it."""
    out: list[tuple[str, int, int, bool]] = []
    index = 0
    while index < len(chars):
        if not chars[index][3]:
            out.append(chars[index])
            index += 1
            continue
        run = []
        while index < len(chars) and chars[index][3]:
            run.append(chars[index])
            index += 1
        start = run[0][1]
        while out and out[-1][0] in " \t" and not out[-1][3]:
            start = out.pop()[1]
        run[0] = (run[0][0], start, run[0][2], True)
        for k in range(len(run) - 1, 0, -1):  # the renderer prints "8,9", never "89"
            run.insert(k, (SEPARATOR, run[k - 1][2], run[k - 1][2], True))
        moved = []
        before = out[-1][0] if out else ""
        while index < len(chars) and chars[index][0] in _PUNCTUATION and not chars[index][3]:
            moved.append(chars[index])
            index += 1
        if moved and (not out or before in _PUNCTUATION):
            out.extend(run + moved)
        else:
            out.extend(moved + run)
    return out


class Aligned:
    """A block's built text aligned with its Markdown source."""

    def __init__(self, source: str, built: str, notes: list[int]) -> None:
        self.source = source
        self.built = built
        view, spans = source_view(source, notes)
        self.spans: list[tuple[int, int] | None] = [None] * len(built)
        matcher = SequenceMatcher(None, built, view, autojunk=False)
        for a, b, size in matcher.get_matching_blocks():
            for k in range(size):
                self.spans[a + k] = spans[b + k]
        self.markup = {  # note character → its citation as written
            view[k]: source[span[0] : span[1]].strip()
            for k, span in enumerate(spans)
            if span is not None and is_note(view[k])
        }
        self.extra: dict[str, str] = {}  # a note added in Word → the citation written for it
        self.items: dict[int, tuple[int, int]] = {}  # built note → (citation end, item index)
        seen: dict[int, int] = {}
        for k, char in enumerate(built):
            span = self.spans[k]
            if is_note(char) and span is not None:
                self.items[k] = (span[1], seen.get(span[1], 0))
                seen[span[1]] = seen.get(span[1], 0) + 1
        self.counts = seen  # citation end → how many notes it prints

    def _left(self, i: int) -> int:
        """The source position after the last built character before `i` that is matched."""
        for k in range(i - 1, -1, -1):
            if self.spans[k] is not None:
                return self.spans[k][1]
        return 0

    def _right(self, i: int) -> int:
        """The source position of the first matched built character at or after `i`."""
        for k in range(i, len(self.spans)):
            if self.spans[k] is not None:
                return self.spans[k][0]
        return len(self.source.rstrip("\n"))

    def span(self, i1: int, i2: int) -> tuple[int, int]:
        """The source span of built characters [i1, i2) (an empty one: where to insert)."""
        if i1 == i2:
            at = self._left(i1) if i1 else self._right(0)
            return at, at
        first, last = self.spans[i1], self.spans[i2 - 1]
        start = first[0] if first is not None else self._left(i1)
        end = last[1] if last is not None else self._right(i2)
        return start, max(start, end)

    def new_text(self, text: str) -> str:
        """Edited text as Markdown: notes as their citations, the rest escaped."""
        out, plain = [], []
        for char in text:
            if is_note(char):
                out.append(escape("".join(plain)))
                plain = []
                if char != NEW_NOTE:
                    out.append(self.markup.get(char) or self.extra.get(char, ""))
            else:
                plain.append(char)
        out.append(escape("".join(plain)))
        return "".join(out)

    def edits(self, edited: str) -> list[Edit]:
        """The source edits that make the block read `edited`, left to right."""
        old_words = _WORD.findall(self.built)
        new_words = _WORD.findall(edited)
        old_at = _offsets(old_words)
        new_at = _offsets(new_words)
        found: list[Edit] = []
        matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                continue
            i1, i2 = old_at[a1], old_at[a2]
            new = edited[new_at[b1] : new_at[b2]]
            kept = self._keep_items(i1, i2)
            if kept:
                found.extend(kept)
                if not new.strip() and not any(
                    self.spans[k] for k in range(i1, i2) if k not in self.items
                ):
                    continue
            start, end = self.span(i1, i2)
            if kept and start < kept[-1].end:
                start = max(start, kept[-1].end)
                end = max(start, end)
            if i1 == i2 and new[:1].isspace():  # after a closing `**` or link, not inside
                closing = _CLOSING.match(self.source, start)
                if closing:
                    start = end = closing.end()
            if found and start < found[-1].end:
                start = found[-1].end
                end = max(start, end)
            made = Edit(start, end, self.new_text(new), self.source[start:end])
            made.edited = (new_at[b1], new_at[b2])
            found.append(made)
        return found

    def _keep_items(self, i1: int, i2: int) -> list[Edit]:
        """Edits rewriting each citation of several keys that loses some of its notes in
        built characters [i1, i2) (`[@a; @b]` less note a is `[@b]`)."""
        dropped: dict[int, set[int]] = {}
        for k in range(i1, i2):
            if k in self.items:
                end, item = self.items[k]
                dropped.setdefault(end, set()).add(item)
        edits = []
        for end, items in sorted(dropped.items()):
            if len(items) >= self.counts[end]:
                continue
            start = self.source.rfind("[", 0, end)
            markup = self.source[start:end]
            parts = _split_items(markup[1:-1])
            if start < 0 or not markup.endswith("]") or len(parts) != self.counts[end]:
                continue
            left = [p.strip() for n, p in enumerate(parts) if n not in items]
            edits.append(Edit(start, end, "[" + "; ".join(left) + "]", markup))
        return edits

    def position(self, i: int) -> int:
        """The source position of built character `i` (for a comment's ends)."""
        return (
            self.span(i, i)[0]
            if i >= len(self.spans) or self.spans[i] is None
            else (self.spans[i][0])
        )


def _offsets(words: list[str]) -> list[int]:
    at = [0]
    for word in words:
        at.append(at[-1] + len(word))
    return at


def apply(source: str, edits: list[Edit], suggest: bool = False) -> str:
    """The source with the edits made (or, `suggest`, written as CriticMarkup). An insertion
    that falls inside a replaced span moves to its end, so no edit cuts into another."""
    spans = [(e.start, e.end) for e in edits if e.end > e.start]
    moved = []
    for edit in edits:
        if edit.start == edit.end:
            inside = next((s for s in spans if s[0] < edit.start < s[1]), None)
            if inside is not None:
                edit = Edit(inside[1], inside[1], edit.new, edit.old, edit.raw)
        moved.append(edit)
    edits = moved
    ordered = sorted(enumerate(edits), key=lambda p: (p[1].start, p[1].end, p[0]), reverse=True)
    for _, edit in ordered:
        new = edit.new
        if suggest and not edit.raw:
            new = suggestion(source[edit.start : edit.end], new)
        source = source[: edit.start] + new + source[edit.end :]
    return source


def suggestion(old: str, new: str) -> str:
    """`old` replaced by `new` as CriticMarkup. A mark never spans lines (review/critic.py):
    where either runs over several (a paragraph deleted or added with its blank line), each
    line's text is marked on its own and the line breaks are left outside the marks."""
    if "\n" not in old and "\n" not in new:
        if old and new:
            return f"{{~~{old}~>{new}~~}}"
        if old:
            return f"{{--{old}--}}"
        return f"{{++{new}++}}" if new else ""
    return _by_line(old, "{--", "--}") + _by_line(new, "{++", "++}")


def _by_line(text: str, opening: str, closing: str) -> str:
    return "\n".join(
        f"{opening}{line}{closing}" if line.strip() else line for line in text.split("\n")
    )

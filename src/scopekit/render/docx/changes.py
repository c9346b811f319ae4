"""`build --changes-since EARLIER.docx`: every difference from an earlier build as a Word
tracked change, so a reviewer reads only what is new.

The earlier DOCX's build record gives the text of each block it had. The blocks of this
build are matched to them in order (their texts compared with each note reference read as
its citation key, so renumbered notes are not changes); where a run of blocks differs, an
old and a new block of the same kind and file are paired as one block edited by their
similarity (the best ordered pairing, so a heavy rewrite does not pair the wrong
paragraphs). Within a pair the words that differ become `w:ins` (the runs that hold them,
split where needed) and `w:del` (the old words, as deleted text where they stood); a new
block is inserted whole, paragraph mark included, and a block gone is put back as a deleted
paragraph in its earlier style. A footnote reference in deleted text is put back as a
deleted reference to a footnote with the earlier note's text. Every change is by
"scopekit" at the build moment.
"""

from __future__ import annotations

import copy
import re
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from scopekit.ooxml import XML_NS, w
from scopekit.render.docx.notes import footnote_reference
from scopekit.render.docx.ooxml import element, text_run
from scopekit.wordtext import is_note, note_number, run_spans

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement

AUTHOR = "scopekit"
FIRST_ID = 900000  # change ids, clear of bookmark ids
PAIRED = 0.5  # the least similarity of an old and a new block shown as one block edited
PAIRING_LIMIT = 250_000  # old × new blocks of one differing run paired by similarity
_WORD = re.compile(r"\w+|\s+|.", re.S)


def _keyed(text: str, notes: dict[int, str], chars: dict[str, str]) -> str:
    """Text with each note reference as one character standing for its citation key."""
    out = []
    for char in text:
        number = note_number(char)
        if number is None:
            out.append(char)
            continue
        key = notes.get(number, f"note {number}")
        out.append(chars.setdefault(key, chr(0xE000 + 1 + len(chars))))
    return "".join(out)


class Tracker:
    """Writes the tracked changes of one DOCX against an earlier build record."""

    def __init__(
        self, earlier: dict, now: dict, moment: str, footnotes: BaseOxmlElement | None = None
    ) -> None:
        chars: dict[str, str] = {}
        old_notes = {int(n["n"]): str(n.get("key") or n.get("text")) for n in earlier["notes"]}
        new_notes = {int(n["n"]): str(n.get("key") or n.get("text")) for n in now["notes"]}
        self.old = [_keyed(str(b.get("text", "")), old_notes, chars) for b in earlier["blocks"]]
        self.new = [_keyed(str(b.get("text", "")), new_notes, chars) for b in now["blocks"]]
        self.old_blocks, self.new_blocks = earlier["blocks"], now["blocks"]
        texts = {
            str(n.get("key") or n.get("text")): str(n.get("text", "")) for n in earlier["notes"]
        }
        self.note_texts = {char: texts.get(key, "") for key, char in chars.items()}
        self.footnotes = footnotes  # the footnotes part, for deleted references
        self.moment = moment
        self.next_id = FIRST_ID
        self.split: dict[str, list[str]] = {}

    def _attrs(self) -> dict[str, str]:
        self.next_id += 1
        return {"id": str(self.next_id), "author": AUTHOR, "date": self.moment}

    def track(self, paragraphs: list[BaseOxmlElement]) -> int:
        """Mark every change in the paragraphs (this build's blocks, in order); how many
        blocks changed."""
        changed = 0
        matcher = SequenceMatcher(None, self.old, self.new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            pairs = self.pairs(range(i1, i2), range(j1, j2)) if op == "replace" else []
            for i, j in pairs:
                self.words(paragraphs[j], self.old[i], self.new[j])
            paired = {j for _, j in pairs}
            for j in range(j1, j2):
                if j not in paired:
                    self.inserted(paragraphs[j])
            gone: dict[int, list[int]] = {}  # a new block → the old ones gone before it
            for i in range(i1, i2):
                if all(i != a for a, _ in pairs):
                    before = next((j for a, j in pairs if a > i), j2)
                    gone.setdefault(before, []).append(i)
            for before, old in gone.items():
                self.deleted(paragraphs, before, old)
            changed += max(i2 - i1, j2 - j1)
        return changed

    def similarity(self, i: int, j: int) -> float:
        """How alike old block i and new block j are: 0 for another kind or file, 1 for the
        same Markdown source (its text changed by what it cites), else how alike their
        words are."""
        old, new = self.old_blocks[i], self.new_blocks[j]
        if old.get("kind") and (old.get("kind"), old.get("file")) != (
            new.get("kind"),
            new.get("file"),
        ):
            return 0.0
        if old.get("source") and old.get("source") == new.get("source"):
            return 1.0
        matcher = SequenceMatcher(
            None, self.words_of(self.old[i]), self.words_of(self.new[j]), autojunk=False
        )
        if matcher.real_quick_ratio() < PAIRED or matcher.quick_ratio() < PAIRED:
            return 0.0
        return matcher.ratio()

    def words_of(self, text: str) -> list[str]:
        """A block's text as words, spaces and punctuation (what blocks are compared by)."""
        found = self.split.get(text)
        if found is None:
            found = self.split[text] = _WORD.findall(text)
        return found

    def pairs(self, old: range, new: range) -> list[tuple[int, int]]:
        """The old and new blocks of a differing run shown as one block edited: the ordered
        pairing of the most total similarity, each pair at least PAIRED alike (too many
        blocks to compare: by position)."""
        if len(old) * len(new) > PAIRING_LIMIT:
            return list(zip(old, new))
        score = {(i, j): self.similarity(i, j) for i in old for j in new}
        best = [[0.0] * (len(new) + 1) for _ in range(len(old) + 1)]
        for a in range(len(old) - 1, -1, -1):
            for b in range(len(new) - 1, -1, -1):
                alike = score[old[a], new[b]]
                paired = alike + best[a + 1][b + 1] if alike >= PAIRED else 0.0
                best[a][b] = max(best[a + 1][b], best[a][b + 1], paired)
        found, a, b = [], 0, 0
        while a < len(old) and b < len(new):
            alike = score[old[a], new[b]]
            if alike >= PAIRED and best[a][b] == alike + best[a + 1][b + 1]:
                found.append((old[a], new[b]))
                a, b = a + 1, b + 1
            elif best[a][b] == best[a + 1][b]:
                a += 1
            else:
                b += 1
        return found

    def words(self, p: BaseOxmlElement, old: str, new: str) -> None:
        """A block whose text changed: its new words inserted, its old ones deleted."""
        old_words, new_words = _WORD.findall(old), _WORD.findall(new)
        old_at, new_at = _offsets(old_words), _offsets(new_words)
        matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
        for op, a1, a2, b1, b2 in reversed(matcher.get_opcodes()):
            if op == "equal":
                continue
            start, end = new_at[b1], new_at[b2]
            if end > start:
                self.wrap(p, start, end)
            removed = old[old_at[a1] : old_at[a2]]
            if removed:
                self.put_deleted(p, start, removed)

    def _runs(self, p: BaseOxmlElement) -> list:
        return run_spans(p)

    def _split(self, p: BaseOxmlElement, at: int) -> None:
        """Split the run holding text offset `at` so a run starts there (plain text runs)."""
        for run, start, end in self._runs(p):
            if start < at < end:
                texts = run.findall(w("t"))
                if len(texts) != 1 or len(run) > 2:
                    return
                second = copy.deepcopy(run)
                cut = at - start
                texts[0].text, second.find(w("t")).text = texts[0].text[:cut], texts[0].text[cut:]
                for t in (texts[0], second.find(w("t"))):
                    t.set(f"{{{XML_NS}}}space", "preserve")
                run.addnext(second)
                return

    def wrap(self, p: BaseOxmlElement, start: int, end: int) -> None:
        """The runs of text offsets [start, end) inside w:ins."""
        self._split(p, start)
        self._split(p, end)
        for run, a, b in self._runs(p):
            if a >= start and b <= end and b > a and run.getparent().tag != w("ins"):
                ins = element("ins", self._attrs())
                run.addprevious(ins)
                ins.append(run)

    def put_deleted(self, p: BaseOxmlElement, at: int, text: str) -> None:
        """Old text as a deleted run where it stood, at text offset `at`."""
        self._split(p, at)
        runs = self._runs(p)
        deleted = element("del", self._attrs(), *self.deleted_runs(text))
        after = next((run for run, a, b in runs if a >= at and b > a), None)
        if after is not None:
            target = after.getparent() if after.getparent().tag == w("ins") else after
            target.addprevious(deleted)
        elif runs:
            last = runs[-1][0]
            (last.getparent() if last.getparent().tag == w("ins") else last).addnext(deleted)
        else:
            p.append(deleted)

    def inserted(self, p: BaseOxmlElement) -> None:
        """A new block: its runs and its paragraph mark inserted."""
        for run, _a, _b in self._runs(p):
            if run.getparent().tag != w("ins"):
                ins = element("ins", self._attrs())
                run.addprevious(ins)
                ins.append(run)
        _mark(p, element("ins", self._attrs()))

    def deleted_runs(self, text: str) -> list[BaseOxmlElement]:
        """Old text as runs for a w:del: its words, and each footnote reference as a
        reference to a footnote with the earlier note's text (left out without one)."""
        runs, plain = [], []
        for char in text + "\n":
            if not is_note(char) and char != "\n":
                plain.append(char)
                continue
            if plain:
                runs.append(_deleted_run("".join(plain)))
                plain = []
            number = self.footnote(self.note_texts.get(char, "")) if is_note(char) else None
            if number is not None:
                runs.append(footnote_reference(number))
        return runs

    def footnote(self, text: str) -> int | None:
        """A footnote with `text` added to the footnotes part; its id (None: not added)."""
        if self.footnotes is None or not text.strip():
            return None
        number = 1 + max((int(f.get(w("id"), "0")) for f in self.footnotes), default=0)
        mark = element(
            "r", None, element("rPr", None, element("rStyle", {"val": "FootnoteReference"}))
        )
        mark.append(element("footnoteRef"))
        paragraph = element(
            "p", None, element("pPr", None, element("pStyle", {"val": "FootnoteText"}))
        )
        paragraph.extend([mark, text_run(" " + text)])
        self.footnotes.append(element("footnote", {"id": str(number)}, paragraph))
        return number

    def deleted(self, paragraphs: list[BaseOxmlElement], before: int, old: list[int]) -> None:
        """Blocks gone since: each put back as a deleted paragraph where it stood, in the
        style (and list) it had."""
        for i in old:
            text = self.old[i]
            p = element("p")
            p.append(_earlier_ppr(self.old_blocks[i].get("style") or {}))
            _mark(p, element("del", self._attrs()))
            runs = self.deleted_runs(text)
            if runs:
                p.append(element("del", self._attrs(), *runs))
            if before < len(paragraphs):
                _outside_tables(paragraphs[before]).addprevious(p)
            else:
                paragraphs[-1].addnext(p)
                paragraphs = [*paragraphs, p]
                before = len(paragraphs)


def _earlier_ppr(style: dict) -> BaseOxmlElement:
    """A pPr with the paragraph style and list numbering a block had."""
    ppr = element("pPr")
    if style.get("style"):
        ppr.append(element("pStyle", {"val": style["style"]}))
    if style.get("numId"):
        ppr.append(
            element(
                "numPr",
                None,
                element("ilvl", {"val": style.get("ilvl", "0")}),
                element("numId", {"val": style["numId"]}),
            )
        )
    return ppr


def _outside_tables(p: BaseOxmlElement) -> BaseOxmlElement:
    """The paragraph, or the outermost table it is in (a block gone goes before it)."""
    found = p
    for ancestor in p.iterancestors():
        if ancestor.tag == w("tbl"):
            found = ancestor
    return found


def _deleted_run(text: str) -> BaseOxmlElement:
    deleted = element("delText", {f"{{{XML_NS}}}space": "preserve"})
    deleted.text = text
    return element("r", None, deleted)


def _mark(p: BaseOxmlElement, change: BaseOxmlElement) -> None:
    """The paragraph mark inserted or deleted (pPr/rPr/ins or del)."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = element("pPr")
        p.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = element("rPr")
        ppr.append(rpr)
    rpr.insert(0, change)


def _offsets(words: list[str]) -> list[int]:
    at = [0]
    for word in words:
        at.append(at[-1] + len(word))
    return at

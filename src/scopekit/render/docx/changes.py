"""`build --changes-since EARLIER.docx`: every difference from an earlier build as a Word
tracked change, so a reviewer reads only what is new.

The earlier DOCX's build record gives the text of each block it had. The blocks of this
build are matched to them in order (their texts compared with each note reference read as
its citation key, so renumbered notes are not changes); within a matched block the words
that differ become `w:ins` (the runs that hold them, split where needed) and `w:del` (the
old words, as deleted text where they stood); a new block is inserted whole, paragraph mark
included, and a block gone is put back as a deleted paragraph. Every change is by
"scopekit" at the build moment.
"""

from __future__ import annotations

import copy
import re
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from scopekit.ooxml import XML_NS, w
from scopekit.render.docx.ooxml import element
from scopekit.wordtext import is_note, note_number, run_spans

if TYPE_CHECKING:
    from docx.oxml.xmlchemy import BaseOxmlElement

AUTHOR = "scopekit"
FIRST_ID = 900000  # change ids, clear of bookmark ids
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

    def __init__(self, earlier: dict, now: dict, moment: str) -> None:
        chars: dict[str, str] = {}
        old_notes = {int(n["n"]): str(n.get("key") or n.get("text")) for n in earlier["notes"]}
        new_notes = {int(n["n"]): str(n.get("key") or n.get("text")) for n in now["notes"]}
        self.old = [_keyed(str(b.get("text", "")), old_notes, chars) for b in earlier["blocks"]]
        self.new = [_keyed(str(b.get("text", "")), new_notes, chars) for b in now["blocks"]]
        self.moment = moment
        self.next_id = FIRST_ID

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
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for k in range(pairs):
                self.words(paragraphs[j1 + k], self.old[i1 + k], self.new[j1 + k])
            for j in range(j1 + pairs, j2):
                self.inserted(paragraphs[j])
            gone = [self.old[i] for i in range(i1 + pairs, i2)]
            if gone:
                self.deleted(paragraphs, j2, gone)
            changed += max(i2 - i1, j2 - j1)
        return changed

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
            removed = "".join(c for c in old[old_at[a1] : old_at[a2]] if not is_note(c))
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
        deleted = element("del", self._attrs(), _deleted_run(text))
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

    def deleted(self, paragraphs: list[BaseOxmlElement], before: int, texts: list[str]) -> None:
        """Blocks gone since: each put back as a deleted paragraph where it stood."""
        for text in texts:
            p = element("p")
            p.append(element("pPr"))
            _mark(p, element("del", self._attrs()))
            plain = "".join(c for c in text if not is_note(c))
            if plain:
                p.append(element("del", self._attrs(), _deleted_run(plain)))
            if before < len(paragraphs):
                _outside_tables(paragraphs[before]).addprevious(p)
            else:
                paragraphs[-1].addnext(p)
                paragraphs = [*paragraphs, p]
                before = len(paragraphs)


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

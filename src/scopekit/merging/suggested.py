"""A merge after `--suggest`: the suggestions a section file holds (`{++…++}`, `{--…--}`,
`{~~…~>…~~}`) taken as accepted, so changes that stand as suggestions are not made twice.

The merge is planned again against the files with their suggestions accepted; its edits
are carried back to the files as they are. An edit that would cut into a suggestion is not
made: the file is said instead (accept or reject its suggestions, then merge again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from scopekit.merging.align import Edit
from scopekit.merging.plan import FileEdit, Merger, Plan

SUGGESTION = re.compile(r"\{\+\+(.*?)\+\+\}|\{--(.*?)--\}|\{~~(.*?)~>(.*?)~~\}", re.DOTALL)


@dataclass
class Accepted:
    """A file's text with its suggestions accepted, and where each suggestion is in both:
    (start, end) in the accepted text and (start, end) in the file."""

    text: str
    spans: list[tuple[int, int, int, int]]

    def back(self, at: int) -> int:
        """The file's offset for an offset of the accepted text outside every suggestion."""
        shift = 0
        for start, end, real_start, real_end in self.spans:
            if at < start or (at == start and start != end):
                break
            if at == start:  # a deletion's place: before it
                return real_start
            shift = real_end - end
        return at + shift

    def cuts(self, edit: Edit) -> bool:
        """Whether the edit falls inside a suggestion (or a replacement spans one)."""
        for start, end, _rs, _re in self.spans:
            if edit.start == edit.end and start < edit.start < end:
                return True
            if edit.end > edit.start and edit.start < end and edit.end > start:
                return True
            if edit.end > edit.start and start == end and edit.start < start < edit.end:
                return True
        return False


def accepted(text: str) -> Accepted:
    """The text with every CriticMarkup suggestion in it accepted."""
    out, spans, at = [], [], 0
    size = 0
    for match in SUGGESTION.finditer(text):
        out.append(text[at : match.start()])
        size += match.start() - at
        inserted, _deleted, _old, new = match.groups()
        kept = inserted if inserted is not None else (new if new is not None else "")
        spans.append((size, size + len(kept), match.start(), match.end()))
        out.append(kept)
        size += len(kept)
        at = match.end()
    out.append(text[at:])
    return Accepted("".join(out), spans)


def plan_merge(docx: Path, folder: Path) -> Plan:
    """What merging `docx` into the review in `folder` would do, changes that stand as
    suggestions in a section file (an earlier `--suggest`) taken as made."""
    plan = Merger(docx, folder).run()
    held = {s.file: accepted(s.text) for s in plan.review.texts if SUGGESTION.search(s.text)}
    if not any(file in held for file in plan.edits):
        return plan
    again = Merger(docx, folder, {f: a.text for f, a in held.items()}).run()
    again.review = plan.review
    edits: dict[str, list[FileEdit]] = {}
    for file, made in again.edits.items():
        found = held.get(file)
        if found is None:
            edits[file] = made
        elif any(found.cuts(e.edit) for e in made):
            again.not_merged.append(
                (
                    file,
                    "changes from this DOCX meet CriticMarkup suggestions in it: accept or "
                    "reject them there, then merge again",
                )
            )
            again.conflicts = [c for c in again.conflicts if c.file != file]
        else:
            edits[file] = [FileEdit(_back(e.edit, found), e.who) for e in made]
    again.edits = edits
    again.standing = sorted(f for f in held if f in plan.edits and f not in edits)
    return again


def _back(edit: Edit, found: Accepted) -> Edit:
    return Edit(found.back(edit.start), found.back(edit.end), edit.new, edit.old, edit.raw)

"""A merge plan as unified diffs (each hunk with who made its changes) and as JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from scopekit.merging.places import line_starts
from scopekit.merging.plan import Plan, Who, merged_texts


@dataclass
class Hunk:
    """One hunk of a file's diff: its lines and who made the changes in it."""

    old_start: int
    old_lines: int
    new_start: int
    new_lines: int
    lines: list[str]
    who: list[Who] = field(default_factory=list)

    @property
    def header(self) -> str:
        names = "; ".join(dict.fromkeys(str(w) for w in self.who))
        return f"@@ -{self.old_start},{self.old_lines} +{self.new_start},{self.new_lines} @@" + (
            f" {names}" if names else ""
        )


@dataclass
class FileDiff:
    """The diff of one section file."""

    file: str
    old: str
    new: str
    hunks: list[Hunk]

    def text(self) -> str:
        lines = [f"--- {self.file}", f"+++ {self.file} (merged)"]
        for hunk in self.hunks:
            lines.append(hunk.header)
            lines.extend(hunk.lines)
        return "\n".join(lines) + "\n"


def file_diffs(plan: Plan, suggest: bool = False) -> list[FileDiff]:
    """The diff of each section file the merge changes, in the review's order."""
    merged = merged_texts(plan, suggest)
    order = [s.file for s in plan.review.texts]
    out = []
    for file in sorted(merged, key=lambda f: order.index(f) if f in order else len(order)):
        old, new = merged[file]
        starts = line_starts(old)
        edit_lines = [
            (sum(1 for s in starts if s <= e.edit.start), e.who) for e in plan.edits.get(file, [])
        ]
        a, b = old.split("\n"), new.split("\n")
        hunks = []
        for group in SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(3):
            i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
            lines = []
            for op, a1, a2, b1, b2 in group:
                if op == "equal":
                    lines.extend(f" {line}" for line in a[a1:a2])
                    continue
                lines.extend(f"-{line}" for line in a[a1:a2])
                lines.extend(f"+{line}" for line in b[b1:b2])
            who = [w for line, ws in edit_lines if i1 < line <= max(i2, i1 + 1) for w in ws]
            hunks.append(Hunk(i1 + 1, i2 - i1, j1 + 1, j2 - j1, lines, who))
        out.append(FileDiff(file, old, new, hunks))
    return out


def _who(who: list[Who]) -> list[dict]:
    unique = dict.fromkeys((w.author, w.date) for w in who)
    return [{"author": a or None, "date": d or None} for a, d in unique]


def as_json(plan: Plan, diffs: list[FileDiff], applied: bool, suggested: bool, undo: str | None):
    """The merge as the JSON object `merge --json` prints (docs/schemas/merge.schema.json)."""
    return {
        "docx": str(plan.docx),
        "review": plan.record.title,
        "build": plan.record.id or None,
        "matched_by": plan.matched_by,
        "applied": applied,
        "suggested": suggested,
        "files": [
            {
                "file": d.file,
                "diff": d.text(),
                "hunks": [
                    {
                        "old_start": h.old_start,
                        "old_lines": h.old_lines,
                        "new_start": h.new_start,
                        "new_lines": h.new_lines,
                        "changes": _who(h.who),
                    }
                    for h in d.hunks
                ],
            }
            for d in diffs
        ],
        "comments": plan.comments,
        "conflicts": [
            {
                "file": c.file,
                "line": c.line,
                "markdown": c.markdown,
                "docx": c.docx,
                "changes": _who(c.who),
            }
            for c in plan.conflicts
        ],
        "not_merged": [{"where": w, "message": m} for w, m in plan.not_merged],
        "unmatched": plan.unmatched,
        "new_sources": plan.new_sources,
        "undo": undo,
    }

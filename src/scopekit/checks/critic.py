"""Rules on what `scopekit merge` leaves in the sections: open comments, pending changes,
conflict markers."""

from __future__ import annotations

from collections.abc import Iterator

from scopekit.checks.registry import Context, rule
from scopekit.problems import Problem, error, warning
from scopekit.review.critic import conflicts, marks


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:69] + "…"


@rule
def criticmarkup(ctx: Context) -> Iterator[Problem]:
    """Each CriticMarkup comment (`open-comment`) and change (`pending-change`, half a
    change mark too)."""
    for section in ctx.review.sections:
        for kind, line, mark in marks(section.text):
            if kind == "comment":
                yield warning(
                    "open-comment",
                    section.file,
                    line,
                    f"open comment {_short(mark)}",
                    "answer it, then delete the {>>…<<} and the {==…==} marks around the "
                    "text it covers",
                )
            elif kind == "broken":
                yield warning(
                    "pending-change",
                    section.file,
                    line,
                    f"a change mark {mark} with no other half on this line: build refuses "
                    "it without --force",
                    "a mark opens and closes on one line: mark each line's text on its own "
                    "({--old--}, {++new++}), or accept or reject the change and delete the marks",
                )
            else:
                yield warning(
                    "pending-change",
                    section.file,
                    line,
                    f"pending change {_short(mark)}: build refuses it without --force",
                    "accept it (keep the new text) or reject it (keep the old), and delete "
                    "the marks",
                )


@rule
def merge_conflict(ctx: Context) -> Iterator[Problem]:
    """Conflict markers `merge --apply` left where both sides changed a block (an error)."""
    for section in ctx.review.sections:
        for line, end, docx in conflicts(section.text):
            where = f"lines {line}-{end}" if end else f"from line {line}, with no end marker"
            yield error(
                "merge-conflict",
                section.file,
                line,
                f"merge conflict ({where}): the Markdown and {docx or 'the DOCX'} both "
                "changed this text since the build",
                "keep one version (or combine them), then delete the <<<<<<<, ======= and "
                ">>>>>>> lines",
            )

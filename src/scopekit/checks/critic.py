"""Rules on what `scopekit merge` leaves in the sections: open comments, pending changes
and the conflict markers of a three-way merge."""

from __future__ import annotations

import re
from collections.abc import Iterator

from scopekit.checks.registry import Context, rule
from scopekit.problems import Problem, warning
from scopekit.review.critic import marks

_CONFLICT = re.compile(r"^<<<<<<< .*\n(?:.*\n)*?=======\n(?:.*\n)*?>>>>>>> .*$", re.M)


def _short(text: str) -> str:
    return text if len(text) <= 70 else text[:69] + "…"


@rule
def criticmarkup(ctx: Context) -> Iterator[Problem]:
    """Each CriticMarkup comment (`open-comment`) and change (`pending-change`)."""
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
            else:
                yield warning(
                    "pending-change",
                    section.file,
                    line,
                    f"pending change {_short(mark)}: build refuses it without --force",
                    "accept it (keep the new text) or reject it (keep the old), and delete "
                    "the marks",
                )
        for match in _CONFLICT.finditer(section.text):
            first = section.text.count("\n", 0, match.start()) + 1
            last = first + match[0].count("\n")
            yield warning(
                "pending-change",
                section.file,
                first,
                f"merge conflict (lines {first}–{last}), the Markdown's version and the "
                "DOCX's: build refuses it without --force",
                "keep one version (or combine them), then delete the <<<<<<<, ======= and "
                ">>>>>>> lines",
            )

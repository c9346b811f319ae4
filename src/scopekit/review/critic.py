"""CriticMarkup in section files, as `scopekit merge` writes it.

`{>>comment<<}` (after `{==covered text==}`) is a colleague's comment; `{++new++}`,
`{--old--}` and `{~~old~>new~~}` are changes waiting to be accepted. A mark never spans
lines. The briefing never shows a comment, and shows a pending change as accepted (build
refuses pending changes unless forced); `check` reports both.

Where the Markdown and the DOCX both changed a block since the build, `merge --apply` keeps
both between conflict markers (`<<<<<<< Markdown`, `=======`, `>>>>>>> EDITED.docx (who)`,
each on a line of its own); `check` reports each as an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CRITIC = re.compile(
    r"\{>>(?P<comment>.*?)<<\}|\{==(?P<mark>.*?)==\}|\{\+\+(?P<ins>.*?)\+\+\}"
    r"|\{--(?P<del>.*?)--\}|\{~~(?P<old>.*?)~>(?P<new>.*?)~~\}"
)


def _accept(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind == "new":
        return match["new"]
    if kind == "mark":  # merge --suggest puts changes inside a comment's highlight
        return accepted(match["mark"])
    if kind == "ins":
        return match[kind]
    return ""


def accepted(text: str) -> str:
    """The text as the briefing shows it: comments gone, pending changes accepted."""
    if "{" not in text:
        return text
    return CRITIC.sub(_accept, text)


def marks(text: str) -> Iterator[tuple[str, int, str]]:
    """(kind, line, the mark as written) of each comment and change: kind is `comment`,
    `change` or `broken` (half a mark), a `{==…==}` highlight going with its comment."""
    if "{" not in text:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        yield from _marks(line, number)


# Half a change mark: one that opens or closes on a line without its other half.
_HALF = re.compile(r"\{\+\+|\+\+\}|\{--|--\}|\{~~|~~\}")


def _marks(line: str, number: int) -> Iterator[tuple[str, int, str]]:
    """The marks of one line, those inside a highlighted `{==…==}` too; kind `broken` for
    half a change mark left over (one written across lines)."""
    half = _HALF.search(CRITIC.sub("", line))
    if half is not None:
        yield "broken", number, half[0]
    for match in CRITIC.finditer(line):
        if match.lastgroup == "comment":
            yield "comment", number, match[0]
        elif match.lastgroup == "mark":
            yield from _marks(match["mark"], number)
        else:
            yield "change", number, match[0]


CONFLICT_START = "<<<<<<< "
CONFLICT_END = ">>>>>>> "
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def conflicts(text: str) -> Iterator[tuple[int, int | None, str]]:
    """(first line, last line or None, the DOCX named) of each conflict `merge` left:
    from a `<<<<<<< ` line to its `>>>>>>> ` line, outside fenced code. A `>>>>>>> `
    line with no start is reported at that line."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return
    fence = ""
    start: int | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        opened = _FENCE.match(line)
        if opened and (not fence or opened[1].startswith(fence)):
            fence = "" if fence else opened[1][0] * 3
            continue
        if fence:
            continue
        if line.startswith(CONFLICT_START.rstrip()) and line[:8].rstrip() == "<<<<<<<":
            if start is not None:
                yield start, None, ""
            start = number
        elif line.startswith(CONFLICT_END.rstrip()) and line[:8].rstrip() == ">>>>>>>":
            docx = line[8:].split(" (")[0].strip()
            yield (start if start is not None else number), number, docx
            start = None
    if start is not None:
        yield start, None, ""

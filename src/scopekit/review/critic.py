"""CriticMarkup in section files, as `scopekit merge` writes it.

`{>>comment<<}` (after `{==covered text==}`) is a colleague's comment; `{++new++}`,
`{--old--}` and `{~~old~>new~~}` are changes waiting to be accepted. A mark never spans
lines. The briefing never shows a comment, and shows a pending change as accepted (build
refuses pending changes unless forced); `check` reports both.
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
    """(kind, line, the mark as written) of each comment and change: kind is `comment` or
    `change` (a `{==…==}` highlight goes with its comment and is not listed)."""
    if "{" not in text:
        return
    for number, line in enumerate(text.split("\n"), start=1):
        yield from _marks(line, number)


def _marks(line: str, number: int) -> Iterator[tuple[str, int, str]]:
    for match in CRITIC.finditer(line):
        if match.lastgroup == "comment":
            yield "comment", number, match[0]
        elif match.lastgroup == "mark":
            yield from _marks(match["mark"], number)
        else:
            yield "change", number, match[0]

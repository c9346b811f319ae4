"""Pandoc's citation syntax, read into citation items: prefix, key, locator and suffix.

`[see @key, p. 12]`, `[@a, pp. 4–5, emphasis added; @b, sec. 3]`, `[-@key]`, narrative
`@key` and `@key [p. 33]`, as pandoc's manual defines them. Locator terms are pandoc's
(English, short and long, singular and plural), mapped to CSL locator labels.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

KEY = r"[\w][\w:.#$%&+?<>~/-]*"
_KEY_END = re.compile(r"[.:#$%&+?<>~/-]+$")
_ITEM_KEY = re.compile(rf"(?<![\w.\\])(?P<dash>-?)@(?:\{{(?P<braced>[^{{}}]+)\}}|(?P<key>{KEY}))")
_AFTER_OPEN_BRACKET = re.compile(r"\[[\s;,]*\Z")
_NARRATIVE = re.compile(rf"@(?:\{{(?P<braced>[^{{}}]+)\}}|(?P<key>{KEY}))")

# pandoc's English locator terms (its locale's short and long forms) → CSL locator labels
_TERMS = {
    "book": ("book", "books", "bk.", "bks."),
    "chapter": ("chapter", "chapters", "chap.", "chaps.", "ch."),
    "column": ("column", "columns", "col.", "cols."),
    "figure": ("figure", "figures", "fig.", "figs."),
    "folio": ("folio", "folios", "fol.", "fols."),
    "number": ("number", "numbers", "no.", "nos."),
    "line": ("line", "lines", "l.", "ll."),
    "note": ("note", "notes", "n.", "nn."),
    "opus": ("opus", "opera", "op.", "opp."),
    "page": ("page", "pages", "p.", "pp."),
    "paragraph": ("paragraph", "paragraphs", "para.", "paras.", "¶", "¶¶"),
    "part": ("part", "parts", "pt.", "pts."),
    "section": ("section", "sections", "sec.", "secs.", "§", "§§"),
    "sub verbo": ("sub verbo", "sub verbis", "s.v.", "s.vv."),
    "verse": ("verse", "verses", "v.", "vv."),
    "volume": ("volume", "volumes", "vol.", "vols."),
    "table": ("table", "tables", "tbl.", "tbls."),
    "appendix": ("appendix", "appendices", "app.", "apps."),
}
LABELS = {term: label for label, terms in _TERMS.items() for term in terms}
_TERM = "|".join(sorted((re.escape(t) for t in LABELS), key=len, reverse=True))
# a locator value: numbers, roman numerals, ranges, lists ("33-35, 38-39", "iv & vi")
_NUMBER = r"(?:[0-9]+\w*|[ivxlcdmIVXLCDM]+(?!\w))"
_PIECE = rf"(?:{_NUMBER}(?:\s*[-–—]\s*{_NUMBER})?)"
_VALUE = rf"{_PIECE}(?:\s*(?:,|&)\s*{_PIECE})*"
_LOCATOR = (
    rf"^(?P<sep>,?\s*)(?:(?P<term>{_TERM})(?:\s+|(?=[0-9¶§]))(?P<value>{_VALUE}|\{{[^{{}}]*\}})"
    rf"|(?P<bare>[0-9]+[\w]*(?:\s*[-–—]\s*[0-9]+[\w]*)?(?:\s*,\s*[0-9]+[\w]*"
    rf"(?:\s*[-–—]\s*[0-9]+[\w]*)?)*|\{{[^{{}}]*\}}))(?=$|[\s,;.)])"
)


_LINK_TARGET = re.compile(r"""\(\s*(?:<[^<>\n]*>|[^\s()<>]+)?(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)""")


def follows_as_link_target(text: str) -> bool:
    """Whether `text` starts with what would make a `[…]` before it a link: `(url "title")`."""
    return bool(_LINK_TARGET.match(text))


@functools.cache
def _locator_pattern() -> re.Pattern[str]:
    """The locator pattern, compiled at its first use (it costs a few ms, every start-up)."""
    return re.compile(_LOCATOR, re.IGNORECASE)


@dataclass(frozen=True)
class CiteItem:
    """One cited source in a citation: pandoc's prefix, key, locator and suffix."""

    key: str
    prefix: str = ""
    locator: str = ""
    label: str = "page"
    suffix: str = ""
    suppress_author: bool = False

    @property
    def plain(self) -> bool:
        """True when the item is only a key (the note is the source's full reference)."""
        return not (self.prefix or self.locator or self.suffix or self.suppress_author)


_SEVERAL = re.compile(r"(?:\d[a-z]*|\b[ivxlcdm]+)\s*[-–—,&]\s*(?:\d|[ivxlcdm]+\b)", re.IGNORECASE)


def plural_locator(value: str) -> bool:
    """Whether a locator names several pages (or chapters…): a range or a list, in Arabic or
    roman numerals (`4-5`, `iv, vi–xi`, `33 & 35`), as pandoc's citeproc decides."""
    return bool(_SEVERAL.search(value))


def clean_key(key: str) -> str:
    """A key without trailing punctuation, as pandoc reads `@key.`"""
    return _KEY_END.sub("", key) or key


def parse_bracketed(inner: str) -> list[CiteItem] | None:
    """The items of `[inner]` if it is a pandoc citation (every `;` part has one key)."""
    items = []
    for part in _split_items(inner):
        match = _ITEM_KEY.search(part)
        if not match:
            return None
        key = match["braced"] or clean_key(match["key"])
        rest = part[match.start() + 1 + len(match["dash"]) :]
        rest = rest[len(match["braced"]) + 2 :] if match["braced"] else rest[len(key) :]
        locator, label, suffix = split_locator(rest)
        items.append(
            CiteItem(
                key,
                prefix=part[: match.start()].strip(),
                locator=locator,
                label=label,
                suffix=suffix,
                suppress_author=bool(match["dash"]),
            )
        )
    return items or None


def _split_items(inner: str) -> list[str]:
    """`inner` split at the `;` between items (not inside braces)."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(inner):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(inner[start:index])
            start = index + 1
    parts.append(inner[start:])
    return parts


def split_locator(rest: str) -> tuple[str, str, str]:
    """(locator, CSL label, suffix) from what follows a key: `, pp. 4-5, emphasis added`."""
    if not rest.strip():
        return "", "page", ""
    match = _locator_pattern().match(rest)
    if not match:
        return "", "page", _suffix(rest)
    if match["bare"]:
        value, label = match["bare"], "page"
    else:
        value, label = match["value"], LABELS[match["term"].lower()]
    if value.startswith("{"):  # pandoc's braced locator: `{pp. iv, vi-xi}`
        value = value[1:-1].strip()
        termed = re.match(rf"({_TERM})\s*(.+)$", value, re.IGNORECASE | re.DOTALL)
        if termed and match["bare"]:
            label, value = LABELS[termed[1].lower()], termed[2]
    return value.strip(), label, _suffix(rest[match.end() :])


def _suffix(text: str) -> str:
    """A suffix as written: `, emphasis added`, or ` and passim` after a locator."""
    stripped = text.strip()
    return f" {stripped}" if stripped and text[0].isspace() else stripped


def narrative_key(src: str, pos: int) -> tuple[str, int] | None:
    """(key, end) for a narrative `@key` at `pos`, not inside a word or an e-mail address."""
    if pos and (src[pos - 1].isalnum() or src[pos - 1] in "_@.-+[\\"):
        return None
    if _AFTER_OPEN_BRACKET.search(src, max(0, pos - 20), pos):  # `[;@key]`: a broken citation
        return None
    match = _NARRATIVE.match(src, pos)
    if not match:
        return None
    if match["braced"]:
        return match["braced"], match.end()
    key = clean_key(match["key"])
    return key, pos + 1 + len(key)


def narrative_locator(src: str, pos: int) -> tuple[str, str, str, int] | None:
    """`@key [p. 33]`: (locator, label, suffix, end) of the bracket after a narrative key."""
    match = re.compile(r"[ \t]?\[([^\[\]@]*)\]").match(src, pos)
    if not match or src.startswith(("(", "["), match.end()):
        return None
    locator, label, suffix = split_locator(match[1])
    return locator, label, suffix, match.end()

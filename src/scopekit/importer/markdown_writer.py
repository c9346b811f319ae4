"""Blocks to Markdown in scopekit's dialect: `#` headings, lists, pipe tables, `**bold**`,
citations `[@a; @b]` where the note references were, and `[text](@key)` source links.

Text is escaped so that it reads back as the same text: no stray emphasis, link, list or
HTML syntax can come from the words of the document.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass

from scopekit.citation_syntax import follows_as_link_target
from scopekit.importer.model import (
    Block,
    Break,
    CrossRef,
    Inline,
    NoteRef,
    Picture,
    Span,
    WordLink,
)

_SYNTAX = "\\`*[]_<&@~^{\"'-."
# `_` only between two letters or digits stays as it is (CommonMark never reads that as emphasis)
# `<` and `&` also at the end of a piece: the next piece may make them a tag or an entity
# `@` where it would start a narrative citation (`@key`), not inside an e-mail address
_SYNTAX_PATTERN = (
    r"[\\`*\[\]]|(?<![^\W_])_|_(?![^\W_])|<(?=[A-Za-z/!?]|$)|&(?=#?\w+;|#?\w*$)"
    r"|(?<![\w@.+\-\[])@(?=[\w{]|$)"
    # pandoc's habits (review/pandoc.py): sub- and superscript, attributes, and the `--` and
    # `...` that would become dashes and an ellipsis
    r"|[~^{]|-(?=-)|(?<=-)-|\.(?=\.)|(?<=\.)\."
)
_ESCAPE = re.compile(_SYNTAX_PATTERN + r"|[\"']")  # straight quotes too: smart quotes curl them
_ESCAPE_BUT_QUOTES = re.compile(_SYNTAX_PATTERN)
_LINE_START = re.compile(r"^(\s*)([#>+=:-]|\d{1,9}(?=[.)]))")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not the no-break spaces Word puts on purpose
_SEPARATOR = re.compile(r"^[\s,;]*$")
MAX_HEADING = 6
# Text right after `[@key]` is written as it is: only a `(…)` (alone or with what follows)
# that would read as the target of a link `[@key](…)` is kept apart, by an empty comment
# (comments are never shown).
_LINK_GUARD = "<!-- -->"


def escape(text: str, quotes: bool = True) -> str:
    """Text with every character Markdown would read as syntax backslash-escaped; with
    `quotes` False, straight quotes are left to be curled (as Word curls them)."""
    if not any(char in text for char in _SYNTAX):
        return text
    pattern = _ESCAPE if quotes else _ESCAPE_BUT_QUOTES
    return pattern.sub(lambda m: "\\" + m[0], text)


def escape_line_start(line: str) -> str:
    """Escape what would make a line a heading, quote, list item or rule."""
    match = _LINE_START.match(line)
    if not match:
        return line
    if match[2][0].isdigit():
        end = match.end()
        return f"{line[:end]}\\{line[end:]}"
    return f"{match[1]}\\{line[match.end(1) :]}"


class _Lists:
    """The lists open at a point of a section: nesting, markers and numbering."""

    def __init__(self) -> None:
        self.levels: list[tuple[str, int]] = []  # (list id, marker width) per open level
        self.counters: dict[str, int] = {}
        self.alternate = False
        self.ordered: bool | None = None  # the kind of the open top-level list

    def starts_new(self, block: Block) -> bool:
        """Whether the item begins a new top-level list."""
        return block.level == 0 and (not self.levels or self.levels[0][0] != block.list_id)

    def item(self, block: Block, text: str) -> str:
        """A list item's line; a new list right after one of its kind gets the other marker."""
        depth = min(block.level, len(self.levels))
        same = depth < len(self.levels) and self.levels[depth][0] == block.list_id
        if depth == 0 and not same:
            following = bool(self.levels) and self.ordered == block.ordered
            self.alternate = following and not self.alternate
            self.ordered = block.ordered
        del self.levels[depth + same :]
        marker = self.marker(block, self.alternate and depth == 0)
        indent = sum(width for _, width in self.levels[:depth])
        if not same:
            self.levels.append((block.list_id, len(marker) + 1))
        return " " * indent + f"{marker} {text}"

    def continuation(self, text: str) -> str:
        """A further paragraph of the last item, indented under it."""
        return " " * sum(width for _, width in self.levels) + text

    def marker(self, block: Block, alternate: bool) -> str:
        """`-` or `*` for bullets; `N.` or `N)` for numbered items, counting on per list."""
        if not block.ordered:
            return "*" if alternate else "-"
        number = self.counters.get(block.list_id, block.start - 1) + 1
        self.counters[block.list_id] = number
        return f"{number}{')' if alternate else '.'}"


@dataclass
class _Atom:
    """A piece of a paragraph ready to write: text, a citation or a line break."""

    kind: str  # text, cite, note, break, picture, crossref (its text the figure id)
    text: str = ""
    bold: bool = False
    italic: bool = False
    link: WordLink | None = None
    keys: tuple[str, ...] = ()
    raw: bool = False  # written as it is: superscript, `^2^`


class MarkdownWriter:
    """Writes blocks with the keys the sources got (notes by number, links by identity)."""

    def __init__(
        self,
        note_keys: dict[int, list[str]],
        link_keys: dict[int, str | None],
        author_notes: dict[int, list[Inline]] | None = None,
        figures: dict[str, str] | None = None,
        crossrefs: dict[int, str] | None = None,
    ) -> None:
        self.note_keys = note_keys
        self.link_keys = link_keys
        self.author_notes = author_notes or {}
        self.figures = figures or {}  # image part → its file, `figures/image1.png`
        self.crossrefs = crossrefs or {}  # a link's identity → the figure id it names

    # blocks

    def section(self, title: str, heading: Block | None, blocks: list[Block], top: int) -> str:
        """One section file: `# Title`, then its blocks."""
        head = self.inline(heading.inlines, one_line=True) if heading else escape(title)
        parts = [f"# {_heading_text(head)}{_id(heading)}"]
        lists = _Lists()
        previous = ""
        for block in blocks:
            if block.kind == "item":
                tight = previous == "item" and not lists.starts_new(block)
                line = lists.item(block, self.inline(block.inlines))
                parts.append(("\n" if tight else "\n\n") + line)
            elif block.kind == "continue" and lists.levels:
                parts.append("\n\n" + lists.continuation(self.inline(block.inlines)))
            else:
                lists.levels.clear()
                parts.append("\n\n" + self.block(block, top))
            previous = block.kind
        return "".join(parts) + "\n"

    def block(self, block: Block, top: int) -> str:
        """A heading, paragraph, quote or table."""
        if block.kind == "heading":
            level = min(max(block.level - top + 1, 2), MAX_HEADING)
            text = _heading_text(self.inline(block.inlines, one_line=True))
            return "#" * level + " " + text + _id(block)
        if block.kind == "table":
            return self.table(block)
        text = self.inline(block.inlines)
        return f"> {text}" if block.kind == "quote" else text

    def table(self, block: Block) -> str:
        """A pipe table; its first row is the header row."""
        width = max(len(row) for row in block.rows) or 1
        lines = []
        for index, row in enumerate(block.rows):
            cells = [self.inline(c, one_line=True).replace("|", "\\|") for c in row]
            cells += [""] * (width - len(cells))
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                align = block.align + [""] * (width - len(block.align))
                rules = {"right": " ---: |", "center": " :---: |"}
                lines.append("|" + "".join(rules.get(a, " --- |") for a in align[:width]))
        if block.caption:  # pandoc's table caption, under the table
            caption = " ".join(self.inline(block.caption, one_line=True).split())
            lines.append("\n: " + caption + _id(block))
        return "\n".join(lines)

    # inline

    def inline(self, inlines: list[Inline], one_line: bool = False) -> str:
        """Inline pieces as Markdown on one line (hard breaks as `\\` line ends)."""
        atoms = _collapse_spaces(self.atoms(inlines, one_line))
        out: list[str] = []
        cites: list[int] = []  # where in `out` each citation stands
        index = 0
        while index < len(atoms):
            atom = atoms[index]
            if atom.kind == "cite":
                cites.append(len(out))
                out.append("[" + "; ".join(f"@{key}" for key in atom.keys) + "]")
                index += 1
            elif atom.kind == "note":
                out.append(f"^[{atom.text}]")
                index += 1
            elif atom.kind == "break":
                out.append("\\\n")
                index += 1
            elif atom.kind == "picture":
                out.append(atom.text)
                index += 1
            elif atom.kind == "crossref":
                out.append(f"@{atom.text}")
                index += 1
            else:
                end = index
                while (
                    end < len(atoms) and atoms[end].kind == "text" and atoms[end].link is atom.link
                ):
                    end += 1
                before = out[-1][-1:] if out else ""
                piece = self.linked(atoms[index:end], before, _after(atoms, end))
                if piece.startswith("[") and out and out[-1].endswith("!"):
                    out[-1] = out[-1][:-1] + "\\!"  # not an image
                out.append(piece)
                index = end
        for at in cites:
            if at + 1 < len(out) and follows_as_link_target("".join(out[at + 1 :])):
                out[at + 1] = _LINK_GUARD + out[at + 1]
        text = "".join(out)
        return "\n".join(escape_line_start(line) for line in text.split("\n"))

    def atoms(self, inlines: list[Inline], one_line: bool) -> list[_Atom]:
        """Spans, citations (adjacent note references grouped) and breaks."""
        atoms: list[_Atom] = []
        pending: _Atom | None = None  # a separator between note references
        for item in inlines:
            if isinstance(item, NoteRef) and item.number in self.author_notes:
                text = self.inline(self.author_notes[item.number], one_line=True)
                atoms.append(_Atom("note", text=" ".join(text.split())))
                pending = None
                continue
            if isinstance(item, NoteRef):
                keys = tuple(self.note_keys.get(item.number, []))
                if atoms and atoms[-1].kind == "cite":
                    atoms[-1].keys += keys
                else:
                    atoms.append(_Atom("cite", keys=keys))
                pending = None
                continue
            if pending is not None:
                atoms.append(pending)
                pending = None
            if isinstance(item, Span):
                atom = _Atom("text", item.text, item.bold, item.italic, item.link)
                after_cite = atoms and atoms[-1].kind == "cite"
                if after_cite and item.superscript and _SEPARATOR.match(item.text):
                    pending = atom
                    continue
                if item.superscript and item.text.strip() and item.link is None:
                    raised = escape(item.text.strip()).replace(" ", "\\ ")
                    lead = item.text[: len(item.text) - len(item.text.lstrip())]
                    trail = item.text[len(item.text.rstrip()) :]
                    atom = _Atom("text", f"{escape(lead)}^{raised}^{escape(trail)}", raw=True)
                atoms.append(atom)
            elif isinstance(item, CrossRef):
                kind = "crossref" if item.key else "text"
                atoms.append(_Atom(kind, item.key or item.cached))
            elif isinstance(item, Break):
                atoms.append(_Atom("text", " ") if one_line else _Atom("break"))
            elif isinstance(item, Picture):
                atoms.append(_Atom("picture", self.image(item)))
        if pending is not None:
            atoms.append(pending)
        return atoms

    def image(self, found: Picture) -> str:
        """`![alt](figures/name.png "Caption")`: a figure when it has a caption, with its id
        (`{#fig-x}`) when it has one."""
        alt = escape(found.alt, quotes=False).replace("\n", " ")
        caption = " ".join(self.inline(found.caption, one_line=True).split())
        title = ' "' + re.sub(r'(?<!\\)"', r'\\"', caption) + '"' if caption else ""
        key = "{#" + found.id + "}" if caption and found.id else ""
        return f"![{alt}]({self.figures.get(found.part, found.part)}{title}){key}"

    def linked(self, atoms: list[_Atom], before: str, after: str) -> str:
        """Text pieces sharing one hyperlink: `[text](@key)` when it has a source."""
        link = atoms[0].link
        lead = atoms[0].text[: len(atoms[0].text) - len(atoms[0].text.lstrip())]
        trail = atoms[-1].text[len(atoms[-1].text.rstrip()) :]
        if link is not None and id(link) in self.crossrefs:
            return f"{lead}@{self.crossrefs[id(link)]}{trail}"
        key = self.link_keys.get(id(link)) if link is not None else None
        if key is None:
            return _emphasised(atoms, before, after)
        inner = _emphasised(atoms, "[", "]").strip()
        return f"{lead}[{inner}](@{key}){trail}" if inner else lead + trail


def _after(atoms: list[_Atom], index: int) -> str:
    """The first character written after `index`, for emphasis boundaries."""
    if index >= len(atoms):
        return ""
    atom = atoms[index]
    if atom.kind == "crossref":
        return "@"
    return "[" if atom.kind == "cite" else atom.text[:1] if atom.kind == "text" else "\n"


def _emphasised(atoms: list[_Atom], before: str, after: str) -> str:
    """Text pieces with `**bold**` and `*italic*` where CommonMark will read them so."""
    out: list[str] = []
    last = before
    index = 0
    while index < len(atoms):
        if atoms[index].raw:
            out.append(atoms[index].text)
            last = atoms[index].text[-1:] or last
            index += 1
            continue
        end = index
        style = (atoms[index].bold, atoms[index].italic)
        while (
            end < len(atoms)
            and not atoms[end].raw
            and (atoms[end].bold, atoms[end].italic) == style
        ):
            end += 1
        text = "".join(a.text for a in atoms[index:end])
        following = atoms[end].text[:1] if end < len(atoms) else after
        piece = _mark(text, *style, last, following)
        out.append(piece)
        last = piece[-1:] or last
        index = end
    return "".join(out)


def _mark(text: str, bold: bool, italic: bool, before: str, after: str) -> str:
    """One run of text in its emphasis. The marks must touch the words, and CommonMark
    reads them only where they flank the text: a stop beside a word goes outside them; a
    run beside another takes the other mark character; failing that, the text stays plain."""
    core = text.strip()
    if not (bold or italic) or not core:
        return escape(text)
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    char = "_" if before.endswith("*") else "*"
    if not _opens(char, escape(lead)[-1:] or before, escape(core)[0]):
        lead, core = lead + core[0], core[1:]
    if core and not _closes(char, escape(core)[-1], escape(trail)[:1] or after):
        core, trail = core[:-1], core[-1] + trail
    if not (
        core
        and _opens(char, escape(lead)[-1:] or before, escape(core)[0])
        and _closes(char, escape(core)[-1], escape(trail)[:1] or after)
    ):
        return escape(text)
    mark = char * (2 * bold + italic)
    return f"{escape(lead)}{mark}{escape(core)}{mark}{escape(trail)}"


def _space(char: str) -> bool:
    """Whether a neighbouring character counts as white space (a line's ends do)."""
    return not char or char.isspace()


def _punctuation(char: str) -> bool:
    """Whether a character is punctuation as CommonMark counts it."""
    return bool(char) and (char in string.punctuation or unicodedata.category(char)[0] in "PS")


def _flanking(before: str, after: str) -> tuple[bool, bool]:
    """Whether a delimiter run between two characters is left- and right-flanking."""
    left = not _space(after) and (not _punctuation(after) or _space(before) or _punctuation(before))
    right = not _space(before) and (
        not _punctuation(before) or _space(after) or _punctuation(after)
    )
    return left, right


def _opens(char: str, before: str, after: str) -> bool:
    left, right = _flanking(before, after)
    return left and (char == "*" or not right or _punctuation(before))


def _closes(char: str, before: str, after: str) -> bool:
    left, right = _flanking(before, after)
    return right and (char == "*" or not left or _punctuation(after))


def _collapse_spaces(atoms: list[_Atom]) -> list[_Atom]:
    """Runs of white space as one space; none at the start, end, or beside a line break;
    citations with nothing between them as one."""
    space_before = True
    for atom in atoms:
        if atom.kind == "break":
            space_before = True
            continue
        if atom.kind != "text":
            space_before = False
            continue
        text = atom.text
        if "  " in text or any(char in text for char in "\t\n\r\f\v"):
            text = _SPACES.sub(" ", text)
        if space_before:
            text = text.lstrip(" ")
        atom.text = text
        if text:
            space_before = text.endswith(" ")
    for atom in reversed(atoms):
        if atom.kind == "text":
            atom.text = atom.text.rstrip(" ")
            if atom.text:
                break
        elif atom.kind == "cite":
            break
    for index, atom in enumerate(atoms[:-1]):
        if atom.kind == "text" and atoms[index + 1].kind == "break":
            atom.text = atom.text.rstrip(" ")
    kept: list[_Atom] = []
    for atom in atoms:
        if atom.kind == "cite" and kept and kept[-1].kind == "cite":
            kept[-1].keys += atom.keys  # nothing left between two citations: one group
        elif atom.kind != "text" or atom.text:
            kept.append(atom)
    return kept


def _id(block: Block | None) -> str:
    """` {#sec-x}`: the block's id as an attribute after its text, if it has one."""
    return " {#" + block.id + "}" if block is not None and block.id else ""


def _heading_text(text: str) -> str:
    return _CLOSING_HASHES.sub(lambda m: f"{m[1]}\\{m[2]}", text.replace("\\\n", " "))

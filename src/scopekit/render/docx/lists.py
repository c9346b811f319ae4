"""Lists: which list style a paragraph takes, and the numbering (word/numbering.xml) that
makes each ordered list count from its own start, nested lists at their own depth."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scopekit.ooxml import w
from scopekit.render.docx.ooxml import element

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.oxml.numbering import CT_Numbering
    from docx.text.paragraph import Paragraph


def list_level(depth: int) -> int:
    """The w:ilvl of a list item `depth` lists deep (1 at the top): the depth of its style,
    List Number, List Number 2 or List Number 3 (deeper lists share List Number 3)."""
    return min(depth, 3) - 1


class Numbering:
    """The numbering definitions of one document, made as the ordered lists ask for them."""

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.abstract_ids: dict[int, int] = {}  # list level → its w:abstractNumId

    def new_list(self, depth: int, start: int) -> str:
        """A new w:num for an ordered list, so each list counts from its own start."""
        level = list_level(depth)
        numbering = self.word.part.numbering_part.element
        num = numbering.add_num(self.nested_numbering(level))
        override = element(
            "lvlOverride", {"ilvl": str(level)}, element("startOverride", {"val": str(start)})
        )
        num.append(override)
        return str(num.numId)

    def nested_numbering(self, level: int) -> int:
        """The w:abstractNum whose level `level` (w:ilvl) numbers a list nested that deep.

        The template's List Number, List Number 2 and List Number 3 each number with a
        single-level definition (only w:ilvl 0). A nested item written with w:ilvl 0 reads as
        a top-level item to every reader that takes w:ilvl as the depth (pandoc, scopekit
        import), so a nested list gets a definition of its own, made once, whose levels 0 to
        `level` are those of the three styles: its items carry w:ilvl = their depth.
        """
        if level in self.abstract_ids:
            return self.abstract_ids[level]
        numbering = self.word.part.numbering_part.element
        abstracts = numbering.findall(w("abstractNum"))
        if level == 0:
            self.abstract_ids[0] = self._style_abstract(numbering, "List Number")
            return self.abstract_ids[0]
        new_id = 1 + max(int(a.get(w("abstractNumId"))) for a in abstracts)
        abstract = element(
            "abstractNum",
            {"abstractNumId": str(new_id)},
            element("nsid", {"val": f"5C0B{new_id:04X}"}),
            element("multiLevelType", {"val": "multilevel"}),
        )
        for ilvl in range(level + 1):
            style = "List Number" if ilvl == 0 else f"List Number {ilvl + 1}"
            source_id = self._style_abstract(numbering, style)
            source = next(a for a in abstracts if a.get(w("abstractNumId")) == str(source_id))
            lvl = copy.deepcopy(source.find(w("lvl")))
            lvl.set(w("ilvl"), str(ilvl))
            for linked in lvl.findall(w("pStyle")):  # the style keeps its own numbering
                lvl.remove(linked)
            text = lvl.find(w("lvlText"))
            if text is not None:
                text.set(w("val"), text.get(w("val"), "%1.").replace("%1", f"%{ilvl + 1}"))
            abstract.append(lvl)
        abstracts[-1].addnext(abstract)  # every w:abstractNum before the first w:num
        self.abstract_ids[level] = new_id
        return new_id

    def _style_abstract(self, numbering: CT_Numbering, style: str) -> int:
        """The w:abstractNumId the named list style numbers with."""
        num_id = self.word.styles[style].element.pPr.numPr.numId.val
        return numbering.num_having_numId(num_id).abstractNumId.val


def number(paragraph: Paragraph, num_id: str, depth: int) -> None:
    """Number a list item: w:ilvl is its depth (0 at the top), as its style says."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        element(
            "numPr",
            None,
            element("ilvl", {"val": str(list_level(depth))}),
            element("numId", {"val": num_id}),
        )
    )


@dataclass
class OpenList:
    """A list the walk is inside: bullet or ordered, and an ordered list's w:numId."""

    ordered: bool
    num_id: str | None


class Lists:
    """The lists open at a point of a section (innermost last) and the paragraphs written so
    far in each open list item: they decide a paragraph's style and its number."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.open: list[OpenList] = []
        self.item_paragraphs: list[int] = []  # paragraphs written in each open list item

    def open_list(self, ordered: bool, start: int = 1) -> None:
        """Enter a list; an ordered one gets numbering of its own, counting from `start`."""
        num_id = self.numbering.new_list(len(self.open) + 1, start) if ordered else None
        self.open.append(OpenList(ordered, num_id))

    def close_list(self) -> None:
        self.open.pop()

    def open_item(self) -> None:
        self.item_paragraphs.append(0)

    def close_item(self) -> None:
        self.item_paragraphs.pop()

    def style(self, quote: bool) -> str:
        """The style of a block here: List Bullet / List Number (2, 3 when nested) for an
        item's first paragraph, List Continue for its later ones, else Quote or Normal."""
        if self.open:
            depth = min(len(self.open), 3)
            suffix = "" if depth == 1 else f" {depth}"
            if self.item_paragraphs and self.item_paragraphs[-1] > 0:
                return f"List Continue{suffix}"
            return ("List Number" if self.open[-1].ordered else "List Bullet") + suffix
        return "Quote" if quote else "Normal"

    def paragraph_added(self, paragraph: Paragraph) -> None:
        """Number the first paragraph of an ordered list's item, and count it in its item."""
        innermost = self.open[-1] if self.open else None
        first = bool(self.item_paragraphs) and self.item_paragraphs[-1] == 0
        if innermost is not None and innermost.ordered and innermost.num_id and first:
            number(paragraph, innermost.num_id, len(self.open))
        if self.item_paragraphs:
            self.item_paragraphs[-1] += 1

"""What the importer reads a document into: blocks of inline pieces, and the import report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(eq=False)
class WordLink:
    """A hyperlink as the document has it: a URL, `#anchor`, or empty."""

    target: str
    text: str = ""


@dataclass
class Span:
    """Text with the emphasis it shows, inside a hyperlink or not."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    link: WordLink | None = None


@dataclass
class NoteRef:
    """The place of a footnote or endnote reference; `number` counts by first reference."""

    kind: str  # footnote or endnote
    id: str
    number: int = 0


@dataclass
class CrossRef:
    """A REF or NOTEREF field: the bookmark it points at and the number it last showed."""

    bookmark: str
    cached: str = ""
    key: str = ""  # the figure id it names (`fig-x`), when it points at a figure


@dataclass
class Break:
    """A line break inside a paragraph."""


@dataclass
class Picture:
    """A picture in the text: its image part, alt text and (from a Caption paragraph) caption."""

    part: str  # the image part's name in the package, `word/media/image1.png`
    alt: str = ""
    caption: list[Inline] = field(default_factory=list)
    name: str = ""  # the picture's own name, when it is a file name (`mode-share.png`)
    label: str = ""  # its caption's label as the document showed it, `Figure 1`
    id: str = ""  # its figure id, `fig-modes`, written `{#fig-modes}`


Inline = Span | NoteRef | CrossRef | Break | Picture


def plain(inlines: list[Inline]) -> str:
    """The text of inline pieces (cross-references as the number they showed)."""
    parts = []
    for item in inlines:
        if isinstance(item, Span):
            parts.append(item.text)
        elif isinstance(item, CrossRef):
            parts.append(item.cached)
        elif isinstance(item, Break):
            parts.append(" ")
    return "".join(parts)


@dataclass
class Block:
    """A paragraph, heading, list item or table of the body, with its paragraph number."""

    kind: str  # paragraph, heading, item, continue, quote, title, subtitle, table
    number: int
    inlines: list[Inline] = field(default_factory=list)
    level: int = 0
    ordered: bool = False
    start: int = 1
    list_id: str = ""
    rows: list[list[list[Inline]]] = field(default_factory=list)
    align: list[str] = field(default_factory=list)  # per table column: "", "right", "center"
    bookmarks: list[str] = field(default_factory=list)  # begun just before it or in it
    id: str = ""  # a heading's `{#sec-x}`, a table's `{#tbl-x}`
    caption: list[Inline] = field(default_factory=list)  # a table's, without its label
    label: str = ""  # a table's caption label as the document showed it, `Table 1`

    @property
    def text(self) -> str:
        """The block's text, spaces collapsed."""
        if self.kind == "table":
            return " ".join(" ".join(plain(cell) for cell in row) for row in self.rows)
        return " ".join(plain(self.inlines).split())

    @property
    def place(self) -> str:
        """Where the block is, for the report: `paragraph 12 ("Its first words…")`."""
        words = self.text.split()
        snippet = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
        return f'paragraph {self.number} ("{snippet}")' if snippet else f"paragraph {self.number}"


@dataclass
class Issue:
    """A guess or a loss, at its place in the document."""

    place: str
    message: str


@dataclass
class ImportReport:
    """What an import did: counts, merges, back-references, and every guess or loss."""

    docx: str
    folder: str
    files: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)
    back_references: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    searches_read: int = 0

    def add(self, place: str, message: str) -> None:
        """Record a guess or a loss."""
        self.issues.append(Issue(place, message))

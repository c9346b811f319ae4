"""What a parsed section file holds: its tokens, and for the checks and renderers its
citations, links, images, prose texts and notes, each with its line (`markdown.parse`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from scopekit.review import pandoc


@dataclass(frozen=True)
class Citation:
    """One cited key at one place; `group` counts the citations of a file."""

    key: str
    line: int
    group: int
    narrative: bool = False
    position: tuple[int, ...] = ()


@dataclass
class Footnote:
    """The text of an author's note: block tokens (`[^id]: …`) or inline ones (`^[…]`)."""

    label: str | None
    tokens: list[Token]
    line: int
    inline: bool = False
    position: tuple[int, ...] = ()


@dataclass(frozen=True)
class Link:
    """A Markdown link: text, target as written, and whether it was an `<autolink>`."""

    text: str
    href: str
    line: int
    autolink: bool = False
    position: tuple[int, ...] = ()

    @property
    def source_key(self) -> str | None:
        """The source id for `[text](@key)`, else None."""
        return self.href[1:] if self.href.startswith("@") else None


@dataclass(frozen=True)
class Image:
    """A Markdown image: its path as written and alt text."""

    src: str
    alt: str
    line: int


@dataclass(frozen=True)
class Text:
    """A run of prose text (no markup), with its line; `nested`: a note reference inside a
    note, kept as typed."""

    text: str
    line: int
    position: tuple[int, ...] = ()
    nested: bool = False


@dataclass
class ParsedMarkdown:
    """A parsed section file: tokens for the renderers, extracts for the checks."""

    tokens: list[Token]
    title: str | None = None
    title_line: int | None = None
    citations: list[Citation] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    raw_html: list[Text] = field(default_factory=list)
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    note_definitions: dict[str, int] = field(default_factory=dict)
    unused_notes: list[str] = field(default_factory=list)
    empty_notes: list[str] = field(default_factory=list)
    habits: pandoc.Habits = field(default_factory=pandoc.Habits)

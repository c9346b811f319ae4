"""Section Markdown to HTML: escaped text, citations as notes, links only to web sources.

Raw HTML is shown as text and comments are dropped; only http(s) URLs become links; images
are read from inside the review folder and inlined, so the page makes no request.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path

from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

from scopekit.images import IMAGE_TYPES
from scopekit.links.versions import Version
from scopekit.notes import Note, Run, paragraphs
from scopekit.render import outline_level
from scopekit.review.markdown import inline_text, strip_comments
from scopekit.urls import is_web_url

_SLUG = re.compile(r"[^\w]+")


def esc(text: str) -> str:
    """HTML-escape text for element content and attribute values."""
    return html.escape(text, quote=True)


_TAGS = {"em": "em", "strong": "strong", "code": "code"}


def runs_html(runs: Sequence[Run], link_notes: bool = False, footnote: bool = False) -> str:
    """Note or reference runs as HTML: escaped text with its emphasis, web URLs as links;
    with `link_notes`, the N of "As N" links to note N. A note's later paragraphs are block
    spans and its code blocks block `code`; in a PDF `footnote` they follow a line break
    instead (a block inside a footnote would hide it from the PDF's Note tagging)."""
    parts = []
    for index, (kind, block) in enumerate(paragraphs(tuple(runs))):
        if kind == "code":
            text = f'<code class="note-code">{esc(block[0].text)}</code>'
        else:
            text = _inline_runs_html(block, link_notes)
            if index and not footnote:
                text = f'<span class="note-para">{text}</span>'
        parts.append("<br>" + text if index and footnote else text)
    return "".join(parts)


def _inline_runs_html(runs: Sequence[Run], link_notes: bool) -> str:
    parts = []
    for run in runs:
        text = esc(run.text)
        for mark in run.marks:
            text = f"<{_TAGS[mark]}>{text}</{_TAGS[mark]}>"
        if run.href and is_web_url(run.href):
            text = f'<a href="{esc(run.href)}"{robust_link(run.href, run.version)}>{text}</a>'
        elif run.note is not None and link_notes:
            text = f'<a href="#note-{run.note}">{text}</a>'
        parts.append(text)
    return "".join(parts)


def robust_link(href: str, version: Version | None) -> str:
    """The Robust Links attributes of a link to a source's page: the page, the day it was
    cited, and its archived copy if it has one (robustlinks.mementoweb.org/spec: the date
    is required, the copy recommended)."""
    if version is None or not version.date:
        return ""
    copy = f' data-versionurl="{esc(version.url)}"' if version.url else ""
    return f' data-originalurl="{esc(href)}"{copy} data-versiondate="{esc(version.date)}"'


def note_html(note: Note, link_first: bool, footnote: bool = False) -> str:
    """A note's text; with `link_first`, the N of `As N` links to note N; `footnote`: for
    the PDF's footnote span."""
    return runs_html(note.runs, link_notes=link_first, footnote=footnote)


def image_data_uri(path: Path | None) -> str | None:
    """An image file (see Document.image_file) as a data: URI, or None."""
    if path is None:
        return None
    kind = IMAGE_TYPES[path.suffix.lower()]
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def follows_a_call(tokens: list[Token], idx: int) -> bool:
    """Whether the citation or note reference at `idx` comes right after another one."""
    return idx > 0 and tokens[idx - 1].type in ("citation", "footnote_ref")


def _caption_label(label: str) -> str:
    return f'<span class="caption-label">{esc(label)}:</span> '


def _header_label(tokens: list[Token], idx: int) -> str:
    """`Table: Council, Scheme`: the name of an uncaptioned table, from its header cells."""
    cells = []
    for token in tokens[idx + 1 :]:
        if token.type == "thead_close":
            break
        if token.type == "inline":
            cells.append(inline_text(token).strip())
    return "Table: " + ", ".join(cell for cell in cells if cell)


class Slugs:
    """Unique, readable ids for headings and captions, unique names for tables."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.labels: set[str] = set()
        self.claimed: set[str] = set()

    def explicit(self, key: str, text: str) -> str:
        """The id the author gave (`{#sec-x}`), the first time; a made one after that."""
        if key and key not in self.claimed:
            self.claimed.add(key)
            self.used.add(key)
            return key
        return self.make(text)

    def unique_label(self, label: str) -> str:
        """`label`, or `label (2)`, `label (3)` … when it was given before."""
        name, n = label, 1
        while name in self.labels:
            n += 1
            name = f"{label} ({n})"
        self.labels.add(name)
        return name

    def make(self, text: str) -> str:
        """An id from `text`, unique in this document."""
        base = _SLUG.sub("-", text.lower()).strip("-") or "section"
        slug, n = base, 1
        while slug in self.used:
            n += 1
            slug = f"{base}-{n}"
        self.used.add(slug)
        return slug


_LAST_WORD = re.compile(r"(.*?)(\S*)\Z", re.DOTALL)


class SectionRenderer(RendererHTML):
    """markdown-it's HTML renderer with scopekit's rules.

    `env` carries: doc (the Document), notes (its Notes), file (the section file), mode
    ("web" or "print"), slugs (Slugs) and the heading level state.
    """

    def renderInline(self, tokens: list[Token], options, env: dict) -> str:
        """In print, each group of note calls is glued to the word before it: a line may
        break before "word.¹²", never inside it."""
        if env.get("mode") != "print":
            return super().renderInline(tokens, options, env)
        parts = []
        for i, token in enumerate(tokens):
            if token.type in self.rules:
                parts.append(self.rules[token.type](tokens, i, options, env))
            else:
                parts.append(self.renderToken(tokens, i, options, env))
            if token.type not in ("citation", "footnote_ref"):
                continue
            word = ""
            if env["notes"].call(env["file"], token).text:
                word = ""  # a narrative citation's name is the word the calls follow
            elif i and tokens[i - 1].type == "text":
                head, word = _LAST_WORD.match(tokens[i - 1].content).groups()
                parts[i - 1] = esc(head)
            parts[i] = f'<span class="note-calls">{esc(word)}{parts[i]}</span>'
        return "".join(parts)

    def ordered_list_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """`<ol start="5">`; in print also a `list-item` counter that starts there, as
        WeasyPrint (70) ignores `start`. The web page keeps plain `start`."""
        html_open = self.renderToken(tokens, idx, options, env)
        start = str(tokens[idx].attrGet("start") or "")
        if env.get("mode") != "print" or not start.isdigit():
            return html_open
        reset = f'<ol style="counter-reset: list-item {int(start) - 1}"'
        return html_open.replace("<ol", reset, 1)

    def table_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """A table in a box that scrolls sideways on a narrow screen, reachable by keyboard,
        named by its caption, or else by its header cells."""
        if idx + 1 < len(tokens) and tokens[idx + 1].type == "caption_open":
            label = env["doc"].caption_label(env["file"], tokens[idx + 1])
            env["caption_id"] = env["slugs"].make(label)
            name = f'aria-labelledby="{env["caption_id"]}"'
            key = tokens[idx + 1].meta.get("id")
            if key:
                name += f' id="{esc(env["slugs"].explicit(key, label))}"'
        else:
            name = f'aria-label="{esc(env["slugs"].unique_label(_header_label(tokens, idx)))}"'
        return f'<div class="table-scroll" role="region" {name} tabindex="0">\n<table>\n'

    def table_close(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        return "</table>\n</div>\n"

    def caption_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """A table's caption, its label first: `Table 1: …`."""
        label = env["doc"].caption_label(env["file"], tokens[idx])
        return f'<caption id="{env["caption_id"]}">{_caption_label(label)}'

    def figure_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """A figure, with the id the author gave it (`{#fig-x}`)."""
        caption = tokens[idx + 2] if idx + 2 < len(tokens) else None
        key = caption.meta.get("id") if caption is not None and caption.meta else None
        if not key:
            return "<figure>\n"
        return f'<figure id="{esc(env["slugs"].explicit(key, key))}">\n'

    def div_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """A Quarto callout as a titled box; any other fenced div shows only its contents."""
        kind, title = tokens[idx].meta.get("callout"), tokens[idx].meta.get("title", "")
        env.setdefault("divs", []).append("</div>\n" if kind else "")
        if not kind:
            return ""
        return (
            f'<div class="callout callout-{kind}" role="note">\n'
            f'<p class="callout-title">{esc(title)}</p>\n'
        )

    def div_close(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        return env["divs"].pop() if env.get("divs") else ""

    def page_break(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """`\\newpage`: a page break in print, nothing on the web page."""
        return '<div class="page-break"></div>\n' if env.get("mode") == "print" else ""

    def task_box(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """A task list item's box, drawn by the style sheet (the house fonts have no ☐),
        ticked with an x when done, and named for a screen reader."""
        if tokens[idx].meta.get("checked"):
            return '<span class="task-box done" role="img" aria-label="done">x</span>'
        return '<span class="task-box" role="img" aria-label="not done"></span>'

    def crossref(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """`@fig-x` → a link "Figure 1" to the figure (as typed if nothing has the id:
        check warns)."""
        key = tokens[idx].meta["key"]
        shown = env["doc"].crossref(key)
        if shown is None:
            return esc(f"@{key}")
        return f'<a class="crossref" href="#{esc(key)}">{esc(shown)}</a>'

    def figcaption_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        """A figure's caption, its label first: `Figure 1: …`."""
        return f"\n<figcaption>{_caption_label(env['doc'].caption_label(env['file'], tokens[idx]))}"

    def citation(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        call = env["notes"].call(env["file"], tokens[idx])
        notes: list[Note] = env["notes"].notes
        text = runs_html(call.text)
        if not call.numbers:
            return text
        if follows_a_call(tokens, idx):  # `[@a][@b]`, `[^1][@a]`: "8,9", never "89"
            text = '<sup class="fn-sep">,</sup>' + text
        if env["mode"] == "print":
            spans = [
                f'<span class="footnote" id="note-{n}">'
                f"{note_html(notes[n - 1], False, footnote=True)}</span>"
                for n in call.numbers
            ]
            return text + '<sup class="fn-sep">,</sup>'.join(spans)
        refs = [
            f'<a href="#note-{n}" id="ref-{n}" class="note-ref" aria-label="Note {n}">{n}</a>'
            for n in call.numbers
        ]
        return f'{text}<sup class="note-refs">{",".join(refs)}</sup>'

    footnote_ref = citation

    def link_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        href = env["doc"].link_target(str(tokens[idx].attrGet("href") or ""))
        if is_web_url(href):
            env["links"].append("</a>")
            return f'<a href="{esc(href)}"{robust_link(href, env["doc"].version(href))}>'
        env["links"].append("</span>")
        return '<span class="unlinked">'

    def link_close(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        return env["links"].pop() if env["links"] else ""

    def image(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        token = tokens[idx]
        alt = self.renderInlineAsText(token.children or [], options, env)
        uri = image_data_uri(env["doc"].image_file(str(token.attrGet("src") or "")))
        if uri is None:
            return f'<span class="missing-image">[image not shown: {esc(alt)}]</span>'
        return f'<img src="{uri}" alt="{esc(alt)}">'

    def html_block(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        text = strip_comments(tokens[idx].content).strip()
        return f'<p class="raw-html">{esc(text)}</p>\n' if text else ""

    def html_inline(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        return esc(strip_comments(tokens[idx].content))

    def heading_open(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        # the page's h1 is the title: a section's `#` is h2, and h6 the deepest
        level = outline_level(int(tokens[idx].tag[1]), env["level"] - 1, 5) + 1
        env["level"] = level
        env["headings"].append(f"h{level}")
        title = inline_text(tokens[idx + 1]) if idx + 1 < len(tokens) else ""
        key = str(tokens[idx].attrGet("id") or "")
        slug = env["slugs"].explicit(key, title) if key else env["slugs"].make(title)
        return f'<h{level} id="{esc(slug)}">'

    def heading_close(self, tokens: list[Token], idx: int, options, env: dict) -> str:
        return f"</{env['headings'].pop()}>\n" if env["headings"] else ""


def section_html(tokens: list[Token], env: dict, file: str) -> str:
    """Render the tokens of section `file` with the shared env (see SectionRenderer)."""
    from scopekit.review.markdown import make_parser

    parser = make_parser()
    env["file"] = file
    env.setdefault("links", [])
    env.setdefault("headings", [])
    env["level"] = 1
    return SectionRenderer(parser).render(tokens, parser.options, env)


def inline_items(tokens: list[Token], env: dict, file: str) -> list[str]:
    """The inline content of each paragraph of `tokens` (the key messages' list items),
    rendered as section text is: emphasis, links and note calls."""
    from scopekit.review.markdown import make_parser

    parser = make_parser()
    env["file"] = file
    env.setdefault("links", [])
    renderer = SectionRenderer(parser)
    return [
        renderer.renderInline(token.children or [], parser.options, env)
        for token in tokens
        if token.type == "inline"
    ]

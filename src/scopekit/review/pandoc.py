"""Pandoc and Quarto habits, read as a pandoc user expects (markdown-it core rules).

- Heading attributes `# Background {#sec-background}`, `{-}`, `{.unnumbered}` are taken off
  the heading's text; an explicit `#id` becomes the heading's `id` attribute.
- Fenced divs `::: {.callout-note}` … `:::` (mdit-py-plugins' container, any name) become
  `div_open`/`div_close` tokens; a Quarto callout (note, tip, warning, important, caution)
  has `meta["callout"]` and `meta["title"]` (its `title="…"`, else a first heading inside
  it, else the kind's name). Other divs only hold their contents: the fences never show.
- `\\newpage` or `\\pagebreak` (pandoc's LaTeX habit) or `{{< pagebreak >}}` (Quarto's
  shortcode) alone in a paragraph becomes a `page_break` token.
- A task list item `- [ ] x` / `- [x] x` (mdit-py-plugins' tasklists) gets a `task_box`
  token, `meta["checked"]`, in place of the plugin's raw `<input>`.
- `@fig-x`, `@tbl-x`, `@sec-x`: Quarto cross-references, `crossref` tokens
  (`meta["key"]`) that the Document resolves to "Figure 1", "Table 2" or the section title.
- `--`, `---` and `...` become an en dash, an em dash and an ellipsis, as pandoc's `smart`
  extension does (markdown-it's own `replacements` also turns `(c)` into ©: not used).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

CALLOUTS = ("note", "tip", "warning", "important", "caution")
#: Quarto's cross-reference prefixes scopekit resolves: figures, tables, sections.
CROSSREF = re.compile(r"(?:fig|tbl|sec)-[\w-]*\w\Z")
_TRAILING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*\Z")
_PAGE_BREAK = re.compile(r"(?:\\(?:newpage|pagebreak)|\{\{<\s*pagebreak\s*>\}\})\Z")
_TASK_BOX = re.compile(r'<input class="task-list-item-checkbox"(?P<checked> checked="checked")?')


def use_habits(md: MarkdownIt, captions: Callable[[StateCore], None]) -> None:
    """Add the plugins and core rules of the habits (and `captions`, which reads the
    attributes given to figures and tables) to a parser. `inline_habits` is left for the
    caller to push last, after its own rules."""
    md.options["quotes"] = "\u201c\u201d\u2018\u2019"  # pandoc's: double and single
    md.enable(["strikethrough", "smartquotes"])
    md.use(front_matter_plugin).use(deflist_plugin).use(tasklists_plugin)
    md.use(sub_plugin).use(superscript_plugin).use(attrs_plugin, after=("image",))
    md.use(container_plugin, "div", validate=lambda params, markup: True)
    md.core.ruler.after("inline", "heading_attrs", heading_attrs)
    md.core.ruler.before("heading_attrs", "image_attrs", image_attrs)
    md.core.ruler.after("heading_attrs", "fenced_divs", fenced_divs)
    md.core.ruler.after("fenced_divs", "page_breaks", page_breaks)
    md.core.ruler.after("page_breaks", "captions", captions)
    md.core.ruler.before("text_join", "smart_text", smart_text)


_IMAGE_ATTRS = re.compile(r"\{(?P<inner>[^{}\n]*)\}")
_ATTR = re.compile(
    r"""\s*(?:#(?P<id>[\w:.-]+)|\.(?P<cls>[\w-]+)|(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'{}]+)))"""
)


def image_attrs(state: StateCore) -> None:
    """`![a](f.png){#fig-x width=60%}`: pandoc's bare values (`60%`) that the attrs plugin
    does not read, set on the image instead of printed as typed."""
    for token in state.tokens:
        children = token.children or []
        changed = False
        for index in range(len(children) - 1):
            image, text = children[index], children[index + 1]
            if image.type != "image" or text.type != "text":
                continue
            match = _IMAGE_ATTRS.match(text.content)
            attrs = match and _lenient_attrs(match["inner"])
            if not attrs:
                continue
            for key, value in attrs.items():
                if key == "class" and image.attrGet("class"):
                    value = f"{image.attrGet('class')} {value}"
                image.attrSet(key, value)
            text.content = text.content[match.end() :]
            changed = True
        if changed:
            token.children = [c for c in children if c.type != "text" or c.content]


def _lenient_attrs(inner: str) -> dict[str, str] | None:
    """`#id .class key=value key="v"` as a dict, or None when any part is not an attribute."""
    attrs: dict[str, str] = {}
    at = 0
    while inner[at:].strip():
        match = _ATTR.match(inner, at)
        if match is None:
            return None
        at = match.end()
        if match["id"]:
            attrs["id"] = match["id"]
        elif match["cls"]:
            attrs["class"] = " ".join(filter(None, (attrs.get("class"), match["cls"])))
        else:
            attrs[match["key"]] = next(
                v for v in (match["dq"], match["sq"], match["bare"]) if v is not None
            )
    return attrs or None


def trailing_attrs(text: str) -> tuple[str, dict] | None:
    """`Background {#sec-bg .unnumbered}` → ("Background", {"id": "sec-bg", …}), `{-}`
    included (pandoc's `.unnumbered`); None when the text ends in no attribute block."""
    match = _TRAILING_ATTRS.search(text)
    if match is None:
        return None
    inner = match[1]
    if inner.strip() == "{-}":
        return text[: match.start()], {"class": "unnumbered"}
    try:
        _, attrs = parse_attrs(inner)
    except ParseError:
        return None
    return text[: match.start()], attrs


def heading_attrs(state: StateCore) -> None:
    """Core rule: a heading's `{#id .class}` taken off its text, its id kept."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        inline = tokens[index + 1]
        if token.type != "heading_open" or not inline.children:
            continue
        last = inline.children[-1]
        found = trailing_attrs(last.content) if last.type == "text" else None
        if found is None:
            continue
        last.content, attrs = found
        if not last.content:
            inline.children.pop()
        whole = trailing_attrs(inline.content)
        inline.content = whole[0] if whole is not None else last.content
        if attrs.get("id"):
            token.attrSet("id", str(attrs["id"]))


def caption_id(inline: Token) -> str | None:
    """A table caption's trailing `{#tbl-x}` taken off its text; the id, if any."""
    last = inline.children[-1] if inline.children else None
    found = trailing_attrs(last.content) if last is not None and last.type == "text" else None
    if found is None:
        return None
    last.content, attrs = found
    whole = trailing_attrs(inline.content)
    if whole is not None:
        inline.content = whole[0]
    return str(attrs["id"]) if attrs.get("id") else None


def _div_params(info: str) -> tuple[list[str], dict]:
    """The classes and attributes of a fenced div's opening line: `{.callout-note}`,
    `{.callout-tip title="Tip"}` or a bare class name `callout-note`."""
    info = info.strip()
    if info.startswith("{"):
        try:
            _, attrs = parse_attrs(info)
        except ParseError:
            return [], {}
        return str(attrs.pop("class", "")).split(), attrs
    return info.split()[:1], {}


def fenced_divs(state: StateCore) -> None:
    """Core rule: the container plugin's tokens as `div_open`/`div_close` (see module)."""
    tokens = state.tokens
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == "container_div_close":
            token.type, token.tag = "div_close", "div"
        elif token.type == "container_div_open":
            token.type, token.tag = "div_open", "div"
            classes, attrs = _div_params(token.info)
            kind = next((c[8:] for c in classes if c[8:] in CALLOUTS and c[:8] == "callout-"), "")
            token.meta = {"callout": kind, "title": str(attrs.get("title", ""))}
            following = tokens[index + 1 : index + 4]
            if kind and not token.meta["title"] and _is_heading(following):
                token.meta["title"] = "".join(
                    c.content for c in following[1].children or () if c.type != "crossref"
                )
                out.append(token)
                index += 4
                continue
            token.meta["title"] = token.meta["title"] or kind.title()
        out.append(token)
        index += 1
    state.tokens = out


def _is_heading(tokens: list[Token]) -> bool:
    return len(tokens) == 3 and tokens[0].type == "heading_open"


def page_breaks(state: StateCore) -> None:
    """Core rule: a paragraph that is only `\\newpage`, `\\pagebreak` or Quarto's
    `{{< pagebreak >}}` is a page break."""
    tokens = state.tokens
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and _PAGE_BREAK.match(tokens[index + 1].content.strip())
        ):
            page = Token("page_break", "", 0)
            page.map, page.level, page.block = token.map, token.level, True
            out.append(page)
            index += 3
            continue
        out.append(token)
        index += 1
    state.tokens = out


def inline_habits(state: StateCore) -> None:
    """Core rule: task boxes and cross-references."""
    for token in state.tokens:
        for child in token.children or () if token.type == "inline" else ():
            if child.type == "html_inline" and (box := _TASK_BOX.match(child.content)):
                child.type, child.content = "task_box", ""
                child.meta = {"checked": bool(box["checked"])}
            elif child.type == "citation" and child.meta.get("narrative"):
                key = child.meta["items"][0].key
                if CROSSREF.match(key) and not child.meta["items"][0].locator:
                    child.type, child.meta = "crossref", {"key": key}


def smart_text(state: StateCore) -> None:
    """Core rule, before markdown-it joins escaped characters to the text around them (so
    `\\-\\-` stays two hyphens): pandoc's dashes and ellipsis, not in an `<autolink>`."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        autolink = 0
        for child in token.children:
            if child.type == "link_open" and child.markup == "autolink":
                autolink += 1
            elif child.type == "link_close" and autolink:
                autolink -= 1
            elif child.type == "text" and not autolink:
                child.content = smart_dashes(child.content)


_BARE_URL = re.compile(r"(https?://\S+)")


def smart_dashes(text: str) -> str:
    """`---` → —, `--` → –, `...` → …, as pandoc's `smart` extension; a bare URL in the
    text is left as typed."""
    if "--" not in text and "..." not in text:
        return text
    parts = _BARE_URL.split(text)
    for index in range(0, len(parts), 2):  # the odd parts are URLs
        parts[index] = (
            parts[index].replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
        )
    return "".join(parts)


_SPACED_IMAGE = re.compile(
    r"!\[[^\]\n]*\]\((?P<src>(?!<)[^)\s\"]+(?: +[^)\s\"]+)+)\s*(?:\"[^\"]*\")?\)"
)
#: A link whose web address has a bare space, `[text](https://x/what is it)`: not a link.
_SPACED_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\((?P<src>https?://[^)\s\"]+(?: +[^)\s\"]+)+)\)")


#: The top border of a pandoc grid table, `+-----+-----+`, which CommonMark reads as text.
_GRID_RULE = re.compile(r"\+(?:[-=:]+\+)+[ \t]*(?:\n|$)")
#: A line that starts with a bullet character, as a list pasted from Word: not a list item.
_PASTED_BULLET = re.compile(
    r"^[ \t]*[\u2022\u25e6\u25aa\u25cf\u2023\u00b7\u27a2\u25ba\u25a0\uf0b7\uf0a7\uf0d8]", re.M
)
#: A paragraph typed as a list item the CommonMark way almost: `– item`, `— item`, `-item`.
_DASH_ITEM = re.compile(r"[ \t]*(?:[\u2013\u2014][ \t]+(?=\S)|-(?=[A-Za-z[*_]))")


@dataclass
class Habits:
    """What the pandoc habits left for the checks and the Document: the front matter's line,
    the ids given to headings (`sections`, id → title), figures and tables (`captions`, id →
    the caption's `meta["caption"]`), the cross-references made (key, line) and image paths
    with a bare space (path, line), and the lines of grid tables, the first line starting
    with a bullet character of each paragraph (bullet, line: "•", pasted from Word) and the
    web links whose address has a bare space (address, line), which are not read."""

    front_matter: int | None = None
    sections: dict[str, str] = field(default_factory=dict)
    captions: dict[str, tuple[str, int]] = field(default_factory=dict)
    crossrefs: list[tuple[str, int]] = field(default_factory=list)
    spaced_images: list[tuple[str, int]] = field(default_factory=list)
    grid_tables: list[int] = field(default_factory=list)
    pasted_bullets: list[tuple[str, int]] = field(default_factory=list)
    spaced_links: list[tuple[str, int]] = field(default_factory=list)


def collect(tokens: list[Token]) -> tuple[list[Token], Habits]:
    """The tokens without the front matter, and what the habits left (see `Habits`)."""
    habits = Habits()
    if tokens and tokens[0].type == "front_matter":
        habits.front_matter = 1
        tokens = tokens[1:]
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 1
        if token.type == "heading_open" and token.attrGet("id"):
            inline = tokens[index + 1]
            habits.sections[str(token.attrGet("id"))] = "".join(
                c.content for c in inline.children or () if c.type in ("text", "code_inline")
            ).strip()
        elif token.meta and token.meta.get("caption") and token.meta.get("id"):
            habits.captions[token.meta["id"]] = token.meta["caption"]
        if token.type != "inline":
            continue
        if _GRID_RULE.match(token.content):
            habits.grid_tables.append(line)
        bullet = _PASTED_BULLET.search(token.content) or _DASH_ITEM.match(token.content)
        if bullet and index and tokens[index - 1].type == "paragraph_open":
            at = line + token.content.count("\n", 0, bullet.start())
            habits.pasted_bullets.append((bullet[0].strip(), at))
        for match in _SPACED_IMAGE.finditer(token.content):
            at = line + token.content.count("\n", 0, match.start())
            habits.spaced_images.append((match["src"], at))
        for match in _SPACED_LINK.finditer(token.content):
            at = line + token.content.count("\n", 0, match.start())
            habits.spaced_links.append((match["src"], at))
        here = line
        for child in token.children or ():
            if child.type in ("softbreak", "hardbreak"):
                here += 1
            elif child.type == "crossref":
                habits.crossrefs.append((child.meta["key"], here))
    return tokens, habits

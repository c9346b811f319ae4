"""Figure and table captions, read as pandoc reads them (a markdown-it core rule).

- A figure is an image alone in a paragraph with a title: `![alt](src "Caption")`. The
  alt text stays the alt text (what a screen reader reads instead of the image); the title
  is the caption shown under it. Pandoc takes the caption from the alt text, which would
  make the reader hear it twice; Quarto separates the two as here (`fig-alt`). An image
  with a `{#fig-x}` id and no title is a figure as Quarto reads it: its bracketed text is
  the caption, and the alt text too unless `fig-alt="…"` gives one. Any other image without
  a title, or with text beside it, is an image in the text, not a figure.
- A table's caption is a paragraph that starts `Table:` or `:` directly before or after a
  pipe table (a blank line between them is fine), as pandoc's `table_captions`; a line
  with no `|` right under the table that starts so is its caption too (markdown-it would
  read it as one more row). A caption
  paragraph between two tables belongs to the first, as in pandoc.

Both captions are inline Markdown (emphasis, links, citations). The rule rewrites the
tokens: a figure becomes `figure_open`, the image's `inline`, `figcaption_open`, the
caption's `inline`, `figcaption_close`, `figure_close`; a table's caption paragraph becomes
`caption_open`, `inline`, `caption_close` right after its `table_open`, where HTML wants
it and where Word puts a table's caption (above it). Each `figcaption_open` and
`caption_open` has `meta["caption"]`: its kind (`figure`, `table`) and its place in the
file, and `meta["id"]`: the id it was given (`![…](…){#fig-x}`, `Table: … {#tbl-x}`), or
None; the Document numbers them through the briefing ("Figure 1", "Table 1").
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from scopekit.review.pandoc import caption_id

_TABLE_CAPTION = re.compile(r"^(?:table)?:[ \t]+(?=\S)", re.IGNORECASE)


def captions(state: StateCore) -> None:
    """Core rule: figures and table captions (see the module's docstring)."""
    tokens = state.tokens
    places = {"figure": 0, "table": 0}

    def caption(kind: str, tag: str, inline: Token, level: int, key: str | None) -> list[Token]:
        places[kind] += 1
        opening = Token(f"{tag}_open", tag, 1)
        opening.meta = {"caption": (kind, places[kind]), "id": key}
        opening.map, opening.level, opening.block = inline.map, level, True
        closing = Token(f"{tag}_close", tag, -1)
        closing.level, closing.block = level, True
        inline.level = level + 1
        return [opening, inline, closing]

    out: list[Token] = []
    index = 0
    claimed: set[int] = set()  # indices of caption paragraphs already given to a table
    in_note = 0  # inside a note's definition (`[^id]: …`) nothing is numbered
    while index < len(tokens):
        token = tokens[index]
        in_note += {"footnote_reference_open": 1, "footnote_reference_close": -1}.get(token.type, 0)
        if in_note:
            out.append(token)
            index += 1
            continue
        if token.type == "table_open":
            end = _closing(tokens, index)
            found = None
            if _is_table_caption(tokens, index - 3) and index - 3 not in claimed:
                found = index - 3
                del out[-3:]
            elif _is_table_caption(tokens, end + 1):
                found = end + 1
                claimed.add(found)
            body = tokens[index + 1 : end + 1]
            inline = tokens[found + 1] if found is not None else _caption_row(state, body)
            if inline is None:
                out.append(token)
                index += 1
                continue
            _strip_prefix(inline)
            out.append(token)
            out.extend(caption("table", "caption", inline, token.level + 1, caption_id(inline)))
            out.extend(body)
            index = end + 1 + (3 if found == end + 1 else 0)
            continue
        title = _figure_title(tokens, index)
        if title is not None:
            inline = tokens[index + 1]
            figure = Token("figure_open", "figure", 1)
            figure.map, figure.level, figure.block = token.map, token.level, True
            text = Token("inline", "", 0)
            text.content, text.map = title, token.map
            text.children = []
            state.md.inline.parse(title, state.md, state.env, text.children)
            inline.level = token.level + 1
            closing = Token("figure_close", "figure", -1)
            closing.level, closing.block = token.level, True
            key = inline.children[0].attrGet("id") if inline.children else None
            key = str(key) if key else None
            out += [figure, inline, *caption("figure", "figcaption", text, token.level + 1, key)]
            out.append(closing)
            index += 3
            continue
        out.append(token)
        index += 1
    state.tokens = out


def _caption_row(state: StateCore, body: list[Token]) -> Token | None:
    """A caption typed on the line right under the table, with no blank line: markdown-it
    reads it as a last row (GFM does); a line with no `|` that starts `Table:` or `:` is the
    caption, as pandoc reads it. The row is taken out of `body`; its first cell is returned."""
    starts = [i for i, t in enumerate(body) if t.type == "tr_open"]
    if len(starts) < 2 or not body[starts[-1]].map:
        return None
    start = starts[-1]
    line = state.src.split("\n")[body[start].map[0]]
    cell = next((t for t in body[start:] if t.type == "inline"), None)
    if "|" in line or cell is None or not _TABLE_CAPTION.match(cell.content):
        return None
    stop = next(i for i in range(start, len(body)) if body[i].type == "tr_close")
    del body[start : stop + 1]
    if body[start - 1].type == "tbody_open" and body[start].type == "tbody_close":
        del body[start - 1 : start + 1]  # the caption was the only body row
    cell.content = line.strip()
    return cell


def _closing(tokens: list[Token], index: int) -> int:
    """The index of the `table_close` matching the `table_open` at `index`."""
    depth = 0
    for position in range(index, len(tokens)):
        depth += {"table_open": 1, "table_close": -1}.get(tokens[position].type, 0)
        if depth == 0:
            return position
    return len(tokens) - 1


def _paragraph(tokens: list[Token], index: int) -> Token | None:
    """The inline token of the visible paragraph opening at `index`, else None."""
    if index < 0 or index + 2 >= len(tokens):
        return None
    opening, inline = tokens[index], tokens[index + 1]
    if opening.type != "paragraph_open" or opening.hidden or inline.type != "inline":
        return None
    return inline


def _is_table_caption(tokens: list[Token], index: int) -> bool:
    inline = _paragraph(tokens, index)
    return inline is not None and bool(_TABLE_CAPTION.match(inline.content))


def _figure_title(tokens: list[Token], index: int) -> str | None:
    """The caption of an image alone in the paragraph opening at `index`, else None: its
    title, or, for an image with a `{#fig-x}` id and no title, its bracketed text, as Quarto
    reads `![Caption](file.png){#fig-x}` (then `fig-alt="…"`, if given, is the alt text)."""
    inline = _paragraph(tokens, index)
    if inline is None or not inline.children or len(inline.children) != 1:
        return None
    image = inline.children[0]
    if image.type != "image":
        return None
    title = str(image.attrGet("title") or "").strip()
    if title:
        return title
    if not str(image.attrGet("id") or "").startswith("fig-") or not image.content.strip():
        return None
    caption = image.content.strip()
    alt = str(image.attrGet("fig-alt") or "").strip()
    if alt:
        text = Token("text", "", 0)
        text.content = image.content = alt
        image.children = [text]
    return caption


def _strip_prefix(inline: Token) -> None:
    """`Table: text` → `text`, in the inline token and its first text child."""
    inline.content = _TABLE_CAPTION.sub("", inline.content, count=1)
    first = inline.children[0] if inline.children else None
    if first is not None and first.type == "text":
        first.content = _TABLE_CAPTION.sub("", first.content, count=1)

"""Correct WeasyPrint's PDF/UA structure tree: footnotes become Note elements.

WeasyPrint (70) tags each page's footnote area as NonStruct, each footnote in it as Span,
and its number as NonStruct. PDF/UA wants footnotes as Note (with an ID) and their numbers
as Lbl, so assistive technology can announce them. The tree is rewritten in WeasyPrint's
own pydyf objects (a `write_pdf` finisher), before the file is written; the page content
is untouched.
"""

from __future__ import annotations

from collections import deque


def _resolve(pdf, value):
    """The object an indirect reference (b'12 0 R') points at, else the value itself."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def _kids(pdf, node) -> list:
    kids = node.get("K")
    if kids is None:
        return []
    items = kids if isinstance(kids, list) else [kids]
    return [_resolve(pdf, item) for item in items]


def _is(node, kind: str) -> bool:
    return isinstance(node, dict) and node.get("S") == kind


def _is_footnote_area(pdf, node) -> bool:
    """A NonStruct whose children are all Spans that start with a NonStruct (the number)."""
    children = [k for k in _kids(pdf, node) if isinstance(k, dict)]
    return (
        _is(node, "/NonStruct")
        and bool(children)
        and all(
            _is(child, "/Span")
            and bool(_kids(pdf, child))
            and _is(_kids(pdf, child)[0], "/NonStruct")
            for child in children
        )
    )


def tag_footnotes(pdf) -> int:
    """Retag the footnotes of a pydyf PDF as Note (IDs note-1, note-2…) with Lbl numbers.

    Returns the number of notes tagged.
    """
    import pydyf

    root = _resolve(pdf, pdf.catalog.get("StructTreeRoot"))
    if not isinstance(root, dict):
        return 0
    count = 0
    queue = deque(_kids(pdf, root))
    while queue:
        node = queue.popleft()
        if not isinstance(node, dict):
            continue
        if _is_footnote_area(pdf, node):
            node["S"] = "/Div"
            for footnote in _kids(pdf, node):
                count += 1
                footnote["S"] = "/Note"
                footnote["ID"] = pydyf.String(f"note-{count}")
                _kids(pdf, footnote)[0]["S"] = "/Lbl"
            continue
        queue.extend(_kids(pdf, node))
    return count

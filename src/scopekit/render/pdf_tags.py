"""Correct WeasyPrint's PDF/UA structure tree: footnotes become Note elements.

WeasyPrint (70) tags each page's footnote area as NonStruct, each footnote in it as Span,
and its number as NonStruct. PDF/UA wants footnotes as Note (with an ID) and their numbers
as Lbl, so assistive technology can announce them. The tree is rewritten with pikepdf;
the page content is untouched.
"""

from __future__ import annotations

import io
from collections import deque


def _kids(node) -> list:
    import pikepdf

    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_struct(node, kind: str) -> bool:
    import pikepdf

    return isinstance(node, pikepdf.Dictionary) and node.get("/S") == kind


def _is_footnote_area(node) -> bool:
    """A NonStruct whose children are all Spans that start with a NonStruct (the number)."""
    children = [k for k in _kids(node) if hasattr(k, "get")]
    return (
        _is_struct(node, "/NonStruct")
        and bool(children)
        and all(
            _is_struct(child, "/Span")
            and bool(_kids(child))
            and _is_struct(_kids(child)[0], "/NonStruct")
            for child in children
        )
    )


def tag_footnotes(pdf_bytes: bytes) -> tuple[bytes, int]:
    """The PDF with footnotes tagged Note (IDs note-1, note-2…) and their numbers Lbl.

    Returns the new bytes and the number of notes tagged.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return pdf_bytes, 0
        count = 0
        queue = deque(_kids(root))
        while queue:
            node = queue.popleft()
            if not hasattr(node, "get"):
                continue
            if _is_footnote_area(node):
                node.S = pikepdf.Name("/Div")
                for footnote in _kids(node):
                    count += 1
                    footnote.S = pikepdf.Name("/Note")
                    footnote.ID = pikepdf.String(f"note-{count}")
                    _kids(footnote)[0].S = pikepdf.Name("/Lbl")
                continue
            queue.extend(_kids(node))
        if count == 0:
            return pdf_bytes, 0
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, static_id=True)
        return out.getvalue(), count

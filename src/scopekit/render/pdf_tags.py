"""Correct WeasyPrint's PDF/UA structure tree: footnotes, tables and element IDs.

WeasyPrint (70) builds the structure tree page by page. Three things in it are corrected in
WeasyPrint's own pydyf objects (a `write_pdf` finisher), before the file is written:

- footnotes: each page's footnote area is a NonStruct, each footnote in it a Span and its
  number a NonStruct. PDF/UA wants footnotes as Note (with an ID) and their numbers as Lbl,
  so assistive technology can announce them (`tag_footnotes`).
- tables: a table that runs over several pages is one /Table per page, the header row
  repeated on each, and header cells carry no /Scope (`tag_tables`). Here a table is one
  /Table whatever the pages it spans: the later pages' rows join the first page's body,
  the header row WeasyPrint draws again at the top of a later page becomes a pagination
  artifact (the only change to page content: its marked-content tag, not what is drawn),
  and every header cell has /Scope (/Column, or /Row for `<th scope="row">`). A repeated
  header row that holds a link stays in the table where it is drawn (the link's annotation
  must keep its place in the structure).
- figures: an HTML `<figure>` is a NonStruct holding the image's /Figure and a /Caption
  beside it; the caption goes into the /Figure, as its last kid, so it is the figure's
  caption and not loose text (`tag_figures`). A table's `<caption>` is already in its /Table.
- element IDs (notes, header cells) are listed in the structure root's /IDTree, as ISO
  32000-1 (Table 322) requires, so a cell's /Headers can be resolved (`add_id_tree`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any


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


@dataclass
class _Fragment:
    """The part of one HTML table laid out on one page, and its structure elements."""

    page: int
    table: dict
    elements: dict[int, Any] = field(default_factory=dict)  # id(structure element) -> HTML
    repeatable: set[int] = field(default_factory=set)  # ids of header and footer groups
    header_ids: dict[int, list] = field(default_factory=dict)  # id(group) -> its TH /IDs
    cells: list[dict] = field(default_factory=list)


def tag_figures(pdf) -> int:
    """Move each figure's /Caption into the /Figure beside it (see the module docstring).

    Returns the number of captions moved.
    """
    import pydyf

    root = _resolve(pdf, pdf.catalog.get("StructTreeRoot"))
    if not isinstance(root, dict):
        return 0
    moved = 0
    queue = deque(_kids(pdf, root))
    while queue:
        node = queue.popleft()
        if not isinstance(node, dict):
            continue
        queue.extend(_kids(pdf, node))
        if not _is(node, "/NonStruct"):
            continue
        refs = _kids_refs(node)
        captions = [ref for ref in refs if _is(_resolve(pdf, ref), "/Caption")]
        figures = [f for ref in refs if ref not in captions for f in _figures(pdf, ref)]
        if len(captions) != 1 or len(figures) != 1:
            continue
        figure, caption = figures[0], _resolve(pdf, captions[0])
        node["K"] = pydyf.Array(ref for ref in refs if ref != captions[0])
        figure["K"] = pydyf.Array([*_kids_refs(figure), captions[0]])
        caption["P"] = figure.reference
        moved += 1
    return moved


def _figures(pdf, ref) -> list[dict]:
    """The /Figure elements at or under `ref` (not under a /Table)."""
    node = _resolve(pdf, ref)
    if not isinstance(node, dict) or _is(node, "/Table"):
        return []
    if _is(node, "/Figure"):
        return [node]
    return [found for kid in _kids_refs(node) for found in _figures(pdf, kid)]


def _table_boxes(page_box, boxes) -> list:
    """The tables laid out on a page (not inside lines or other tables)."""
    found = []
    stack = [page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TableBox):
            found.append(box)
        elif isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
            stack.extend(box.children)
    return found


def _parent(pdf, node: dict) -> dict:
    """A structure element's parent, or an empty dictionary."""
    parent = _resolve(pdf, node.get("P"))
    return parent if isinstance(parent, dict) else {}


def _fragment(pdf, table_box, page: int) -> _Fragment | None:
    """The structure of a table box as WeasyPrint tagged it (its cells keep their structure
    element as `mark`), with /Scope given to its header cells; None if it is not
    Table > row group > TR > TH/TD."""
    fragment = None
    for group in table_box.children:
        for row in group.children:
            for cell in row.children:
                cell_element = getattr(cell, "mark", None)
                if not isinstance(cell_element, dict):
                    continue
                row_element = _parent(pdf, cell_element)
                group_element = _parent(pdf, row_element)
                table_element = _parent(pdf, group_element)
                if not (
                    _is(row_element, "/TR")
                    and group_element.get("S") in ("/THead", "/TBody", "/TFoot")
                    and _is(table_element, "/Table")
                    and isinstance(cell_element.get("A"), dict)
                ):
                    return None
                if fragment is None:
                    fragment = _Fragment(page, table_element)
                elif fragment.table is not table_element:
                    return None
                fragment.elements[id(cell_element)] = cell.element
                fragment.elements[id(row_element)] = row.element
                fragment.elements[id(group_element)] = group.element
                fragment.cells.append(cell_element)
                if group.is_header or group.is_footer:
                    fragment.repeatable.add(id(group_element))
                if cell.element_tag == "th":
                    row_scope = cell.element.get("scope") == "row"  # as WeasyPrint maps them
                    cell_element["A"]["Scope"] = "/Row" if row_scope else "/Column"
                    if "ID" in cell_element:
                        ids = fragment.header_ids.setdefault(id(group_element), [])
                        ids.append(cell_element["ID"])
    return fragment


def tag_tables(document, pdf) -> int:
    """Give header cells /Scope and make each table one /Table, whatever the pages it spans
    (see the module's docstring). `document` is WeasyPrint's laid-out document.

    Returns the number of /Table elements merged into an earlier one.
    """
    from weasyprint.formatting_structure import boxes

    tables: dict[Any, list[_Fragment]] = {}
    for page, laid_out in enumerate(document.pages):
        for table_box in _table_boxes(laid_out._page_box, boxes):
            fragment = _fragment(pdf, table_box, page)
            if fragment is not None:
                tables.setdefault(table_box.element, []).append(fragment)
    merged = 0
    for fragments in tables.values():
        for later in fragments[1:]:
            _merge(pdf, fragments[0], later)
            merged += 1
    return merged


def _merge(pdf, first: _Fragment, later: _Fragment) -> None:
    """Move the rows of a later page's /Table into the first page's, and drop it."""
    seen = {first.elements.get(id(_resolve(pdf, kid))) for kid in _kids_refs(first.table)}
    renamed: dict[str, Any] = {}
    for ref in _kids_refs(later.table):
        child = _resolve(pdf, ref)
        element = later.elements.get(id(child))
        repeated = id(child) in later.repeatable and element is not None and element in seen
        if repeated and _make_artifact(pdf, child, later.page):
            first_ids = _header_ids_of(pdf, first, element)
            later_ids = later.header_ids.get(id(child), [])
            if len(first_ids) == len(later_ids):
                renamed.update((_text(a), b) for a, b in zip(later_ids, first_ids))
            continue
        _adopt(pdf, first.table, ref, child, {**first.elements, **later.elements}, later.page)
    first.elements.update(later.elements)  # a row may go on over the next break too
    if renamed:  # data cells of later pages named the header cells of their own page
        for cell in later.cells:
            headers = cell.get("A", {}).get("Headers")
            if headers is not None:
                cell["A"]["Headers"] = type(headers)(renamed.get(_text(h), h) for h in headers)
    _detach(pdf, later.table)


def _header_ids_of(pdf, fragment: _Fragment, element) -> list:
    for ref in _kids_refs(fragment.table):
        child = _resolve(pdf, ref)
        if fragment.elements.get(id(child)) is element:
            return fragment.header_ids.get(id(child), [])
    return []


def _text(value) -> str:
    return str(getattr(value, "string", value))


def _kids_refs(node) -> list:
    kids = node.get("K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, list) else [kids]


def _adopt(pdf, parent: dict, ref, child, elements: dict[int, Any], page: int) -> None:
    """Append `child` to `parent`'s kids, or, when it continues one of them (the same HTML
    row group, row or cell, split by the page break), its kids to that one's."""
    import pydyf

    kids = parent["K"]
    element = elements.get(id(child)) if isinstance(child, dict) else None
    # a row group or a row goes on from the last one; a cell, from its own in the row
    candidates = reversed(kids) if _is(parent, "/TR") else kids[-1:]
    for kid in candidates if element is not None else ():
        same = _resolve(pdf, kid)
        if isinstance(same, dict) and elements.get(id(same)) is element:
            for grandchild in _kids_refs(child):
                _adopt(pdf, same, grandchild, _resolve(pdf, grandchild), elements, page)
            return
    parents = _parent_tree_page(pdf, page) if isinstance(child, int) else None
    if parents is not None and child < len(parents):  # a content item: say of which page
        kids.append(pydyf.Dictionary({"Type": "/MCR", "Pg": _page_ref(pdf, page), "MCID": child}))
        parents[child] = parent.reference
        return
    kids.append(ref)
    if isinstance(child, dict) and "P" in child:
        child["P"] = parent.reference


def _page_ref(pdf, page: int) -> bytes:
    return pdf.page_references[page]


def _detach(pdf, node: dict) -> None:
    """Take `node` out of its parent's kids, and any parent left empty out of its own."""
    import pydyf

    while True:
        parent = _resolve(pdf, node.get("P"))
        if not isinstance(parent, dict):
            return
        kids = parent.get("K")
        if isinstance(kids, list):
            kids[:] = [kid for kid in kids if _resolve(pdf, kid) is not node]
        elif _resolve(pdf, kids) is node:
            parent["K"] = pydyf.Array()
        if parent.get("K") or parent.get("S") == "/Document" or "S" not in parent:
            return
        node = parent


def _subtree(pdf, node: dict) -> tuple[list[int], bool]:
    """The content items (MCIDs) under a structure element, and whether they are all
    (no annotation or content item of another kind under it)."""
    mcids: list[int] = []
    stack = [node]
    while stack:
        current = stack.pop()
        for kid in _kids_refs(current):
            if isinstance(kid, int):
                mcids.append(kid)
                continue
            item = _resolve(pdf, kid)
            if not isinstance(item, dict) or item.get("Type") in ("/OBJR", "/MCR"):
                return mcids, False
            stack.append(item)
    return mcids, True


def _parent_tree_page(pdf, page: int) -> list | None:
    """The parent tree's array for a page's content items (MCID -> structure element), as
    WeasyPrint writes it (pages first, in order); None if it is not that."""
    root = _resolve(pdf, pdf.catalog["StructTreeRoot"])
    tree = _resolve(pdf, root.get("ParentTree"))
    nums = tree.get("Nums") if isinstance(tree, dict) else None
    if not isinstance(nums, list) or len(nums) <= 2 * page + 1 or nums[2 * page] != page:
        return None
    parents = _resolve(pdf, nums[2 * page + 1])
    return parents if isinstance(parents, list) else None


def _make_artifact(pdf, node: dict, page: int) -> bool:
    """Mark the content of a repeated header row as a pagination artifact and drop it from
    the structure; False (nothing changed) when that cannot be done here."""
    import pydyf

    mcids, whole = _subtree(pdf, node)
    parents = _parent_tree_page(pdf, page)
    if not whole or not mcids or parents is None or max(mcids) >= len(parents):
        return False
    page_object = _resolve(pdf, _page_ref(pdf, page))
    stream = _resolve(pdf, page_object.get("Contents"))
    items = getattr(stream, "stream", None)
    if not isinstance(items, list):
        return False
    wanted = set(mcids)
    places = [
        index
        for index, item in enumerate(items)
        if isinstance(item, pydyf.Dictionary)
        and item.get("MCID") in wanted
        and index
        and isinstance(items[index - 1], str)
    ]
    if len(places) != len(wanted):
        return False  # drawn elsewhere (a group of its own): keep it as structure
    for index in places:
        items[index - 1] = "/Artifact"
        items[index] = pydyf.Dictionary({"Type": "/Pagination"})
    for mcid in mcids:
        parents[mcid] = "null"
    return True


def add_id_tree(pdf) -> int:
    """List every structure element's /ID in the structure root's /IDTree (a name tree of
    one node); returns how many."""
    import pydyf

    root = _resolve(pdf, pdf.catalog.get("StructTreeRoot"))
    if not isinstance(root, dict):
        return 0
    named: dict[str, bytes] = {}
    stack = list(_kids_refs(root))
    while stack:
        ref = stack.pop()
        node = _resolve(pdf, ref)
        if not isinstance(node, dict):
            continue
        if "ID" in node and isinstance(ref, bytes):
            named[_text(node["ID"])] = ref
        stack.extend(kid for kid in _kids_refs(node) if not isinstance(kid, int))
    if not named:
        return 0
    names = pydyf.Array()
    for key in sorted(named, key=lambda k: k.encode("utf-8")):
        names.extend((pydyf.String(key), named[key]))
    tree = pydyf.Dictionary({"Names": names})
    pdf.add_object(tree)
    root["IDTree"] = tree.reference
    return len(named)

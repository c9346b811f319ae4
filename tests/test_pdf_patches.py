"""The linear-time patches give the very PDF that WeasyPrint and pydyf give on their own."""

from __future__ import annotations

import io
import random

import pytest
import weasyprint
from hypothesis import given
from hypothesis import strategies as st
from weasyprint.formatting_structure.boxes import FootnoteAreaBox

from scopekit.render import pdf_patches
from scopekit.render.pdf_patches import FootnoteList, patched

WORDS = "social value procurement council contract local employment training community".split()


def briefing_html(notes: int, seed: int = 7, note_css: str = "") -> str:
    """A small-page document with many footnotes of varied length, several per line."""
    rng = random.Random(seed)
    paragraphs = []
    number = 0
    while number < notes:
        words = []
        for _ in range(rng.randint(20, 90)):
            words.append(rng.choice(WORDS))
            if number < notes and rng.random() < 0.12:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 60)))
                words.append(f'<span class="fn">{number + 1}: {text}.</span>')
                number += 1
        paragraphs.append(f"<p>{' '.join(words)}</p>")
        if rng.random() < 0.2:
            paragraphs.append(f"<h2>Heading {len(paragraphs)}</h2>")
    return f"""<!doctype html><html lang="en-GB"><head><style>
      @page {{ size: A6; margin: 12mm; @footnote {{ margin-top: 3mm; border-top: 0.5pt solid; }} }}
      body {{ font: 9pt/1.35 sans-serif; }}
      h2 {{ break-after: avoid; font-size: 11pt; }}
      p {{ orphans: 2; widows: 2; }}
      .fn {{ float: footnote; font-size: 7pt; {note_css} }}
      ::footnote-call {{ content: counter(footnote); vertical-align: super; font-size: 6pt; }}
      ::footnote-marker {{ content: counter(footnote) ". "; }}
    </style></head><body>{"".join(paragraphs)}</body></html>"""


def render(html: str, fast: bool) -> tuple[bytes, int, list[list[str]]]:
    """(PDF bytes, page count, footnote texts per page), rendered with or without the speed
    patches (the footnote fix in, both times)."""
    out = io.BytesIO()
    with patched(speed=fast):
        document = weasyprint.HTML(string=html).render()
        document.write_pdf(out, pdf_identifier=b"same", pdf_variant="pdf/ua-1")
    notes = [
        [
            text_of(note)
            for area in page._page_box.children
            if isinstance(area, FootnoteAreaBox)
            for note in area.children
        ]
        for page in document.pages
    ]
    return out.getvalue(), len(document.pages), notes


def text_of(box) -> str:
    if hasattr(box, "text"):
        return box.text
    return "".join(text_of(child) for child in getattr(box, "children", ()))


@pytest.fixture
def measured(monkeypatch):
    """How many footnotes the fast path measured."""
    calls = []
    measure = pdf_patches._measure

    def counting(context, footnote):
        calls.append(footnote)
        return measure(context, footnote)

    monkeypatch.setattr(pdf_patches, "_measure", counting)
    return calls


@pytest.mark.parametrize("notes", [1, 12, 150])
def test_the_speed_patches_give_the_same_pdf(monkeypatch, measured, notes):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    html = briefing_html(notes)
    slow = render(html, fast=False)
    assert not measured
    fast = render(html, fast=True)
    assert measured, "the fast path was never taken"
    assert fast[1] == slow[1]
    assert fast[2] == slow[2]
    assert fast[0] == slow[0]
    if notes == 150:
        assert slow[1] > 10
        # each footnote is laid out alone once (again only on another page type)
        assert len({id(note) for note in measured}) <= notes
        assert len(measured) > notes


def test_footnotes_with_margins_fall_back_to_weasyprints_own_height(monkeypatch, measured):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    html = briefing_html(40, note_css="margin-top: 1mm;")
    slow = render(html, fast=False)
    fast = render(html, fast=True)
    assert not measured
    assert fast == slow


def test_other_versions_are_left_alone(monkeypatch):
    import pydyf
    from weasyprint.layout import LayoutContext, block

    layout, references = LayoutContext._update_footnote_area, pydyf.PDF.page_references
    lines = block._linebox_layout
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    monkeypatch.setattr(pydyf, "__version__", "0.14.0")
    with patched() as on:
        assert on is False
        assert LayoutContext._update_footnote_area is layout
        assert pydyf.PDF.page_references is references
        assert block._linebox_layout is lines
    monkeypatch.undo()
    with patched() as on:
        assert on is True
        assert LayoutContext._update_footnote_area is not layout
        assert pydyf.PDF.page_references is not references
        assert block._linebox_layout is not lines
    assert LayoutContext._update_footnote_area is layout
    assert pydyf.PDF.page_references is references
    assert block._linebox_layout is lines


def test_page_references_follow_pages_as_they_are_added():
    import pydyf

    with patched():
        pdf = pydyf.PDF()
        assert pdf.page_references == ()
        for count in range(1, 4):
            pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
            first = pdf.page_references
            assert pdf.page_references is first
            assert first == tuple(f"{n} 0 R".encode() for n in pdf.pages["Kids"][::3])
            assert len(first) == count


class Item:
    """Distinct objects that compare equal, as boxes may."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Item)

    __hash__ = object.__hash__


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["append", "remove", "pop", "insert", "clear", "copy", "set", "del"]),
        st.integers(0, 7),
    ),
    max_size=60,
)


@given(OPERATIONS)
def test_the_footnote_list_answers_in_as_a_list_of_identities_would(operations):
    items = [Item() for _ in range(8)]
    fast, model = FootnoteList(), []
    for name, n in operations:
        item = items[n]
        if name == "append":
            fast.append(item)
            model.append(item)
        elif name == "remove" and any(member is item for member in model):
            fast.remove(item)
            del model[next(i for i, member in enumerate(model) if member is item)]
        elif name == "pop" and model:
            assert fast.pop(n % len(model)) is model.pop(n % len(model))
        elif name == "insert":
            fast.insert(n, item)
            model.insert(n, item)
        elif name == "clear":
            fast.clear()
            model.clear()
        elif name == "copy":
            fast = fast.copy()
            assert isinstance(fast, FootnoteList)
        elif name == "set" and model:
            fast[n % len(model)] = item
            model[n % len(model)] = item
        elif name == "del" and model:
            del fast[n % len(model)]
            del model[n % len(model)]
        assert [id(x) for x in fast] == [id(x) for x in model]
        for candidate in items:
            assert (candidate in fast) == any(member is candidate for member in model)


# WeasyPrint 70 keeps the second line of the last paragraph on its page (orphans: 2) by
# moving the page's footnotes to the next page, and then forgot the footnotes called in
# that line: "two" below was never on any page.
HEAD = """<style>
  @page { size: 100px 100px; margin: 0; @footnote { margin-top: 0 } }
  html { font-size: 10px; line-height: 1; } body { margin: 0; }
  p { margin: 0; orphans: 2; widows: 2; }
  .fn { float: footnote; %s }
  .small { font-size: 5px; }
  ::footnote-call { content: counter(footnote); vertical-align: baseline; }
</style>"""
FILL = "<p>a<br>b<br>c<br>d<br>e<br>f<br>g<br>h</p>"
KEPT = (
    '<p>i<span class="fn" id="n1">one</span><br>j<span class="fn" id="n2">two</span><br>k<br>l</p>'
)
VARIANTS = {
    "kept line": ("", FILL + KEPT),
    "two calls in the kept line": (
        "",
        FILL + '<p>i<span class="fn" id="n1">one</span><br>j<span class="fn" id="n2">two</span>'
        '<span class="fn" id="n3">three</span><br>k<br>l</p>',
    ),
    "two notes moved on": (
        "",
        FILL + '<p>i<span class="fn small" id="n1">one</span><span class="fn small" id="n2">'
        'two</span><br>j<span class="fn" id="n3">three</span><br>k<br>l</p>',
    ),
    "footnote-policy: line": ("footnote-policy: line;", FILL + KEPT),
    "footnote-policy: block": ("footnote-policy: block;", FILL + KEPT),
    "heading after": (
        "",
        FILL + KEPT + '<h2 style="break-after: avoid; margin: 0; font-size: 10px">H</h2>'
        '<p>m<span class="fn" id="n3">three</span></p>',
    ),
    "in a table cell": (
        "",
        FILL + '<table style="border-collapse: collapse; border-spacing: 0"><tr>'
        f'<td style="padding: 0">{KEPT}</td></tr></table>',
    ),
    "in a list item": ("", FILL + '<ul style="margin: 0"><li>' + KEPT[3:-4] + "</li></ul>"),
}


def placed(html: str, fixed: bool) -> tuple[list[tuple[str, int]], dict[str, int]]:
    """([(footnote id, page its text is on)], {footnote id: page its call is on})."""
    with patched(fixes=fixed, speed=fixed):
        document = weasyprint.HTML(string=html).render()
    notes, calls = [], {}
    for number, page in enumerate(document.pages, 1):
        for area in page._page_box.children:
            if isinstance(area, FootnoteAreaBox):
                notes += [(note.element.get("id"), number) for note in area.children]
        for box in page._page_box.children[0].descendants():
            if getattr(box, "footnote", None) is not None:
                calls[box.element.get("id")] = number
    return notes, calls


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_footnote_is_lost_when_orphans_keep_its_line_on_the_page(variant):
    style, body = VARIANTS[variant]
    html = f"<!doctype html><html><head>{HEAD % style}</head><body>{body}</body></html>"
    notes, calls = placed(html, fixed=True)
    assert [name for name, _ in notes] == sorted(calls)
    assert all(page >= calls[name] for name, page in notes)


def test_weasyprint_alone_loses_it_which_is_why_the_fix_is_there():
    html = f"<!doctype html><html><head>{HEAD % ''}</head><body>{FILL + KEPT}</body></html>"
    notes, calls = placed(html, fixed=False)
    assert sorted(calls) == ["n1", "n2"]
    assert [name for name, _ in notes] == ["n1"]


@pytest.mark.parametrize("policy", ["line", "block"])
def test_footnote_policy_line_keeps_each_note_on_the_page_of_its_call(policy):
    """WeasyPrint moves a `line`/`block` footnote away from its call to keep lines that
    orphans protect; patched, the lines go to the next page with their notes."""
    style = f"footnote-policy: {policy};"
    html = f"<!doctype html><html><head>{HEAD % style}</head><body>{FILL + KEPT}</body></html>"
    notes, calls = placed(html, fixed=True)
    assert [name for name, _ in notes] == ["n1", "n2"]
    assert all(page == calls[name] for name, page in notes)
    before, calls = placed(html, fixed=False)
    assert any(page != calls[name] for name, page in before)

"""`scopekit import OLD.docx DIR`: a Word briefing back into a review folder (issue 7).

Every DOCX is made here: pandoc from Markdown with `[^n]` notes (the original social-value
briefing turned into such Markdown first), then made messy by rewriting its XML.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import SOCIAL_VALUE_REVIEW, TODAY_DATE, copy_review, invoke
from docx_inputs import R_NS, SEED, pandoc_docx, rewrite, seed_docx, seed_markdown, w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from scopekit.checks import check_review
from scopekit.importer import ImportReport, import_docx
from scopekit.importer.markdown_writer import MarkdownWriter
from scopekit.importer.model import Block, NoteRef, Span, WordLink
from scopekit.linktext import vague
from scopekit.notes import build_notes
from scopekit.review import Review, load_review
from scopekit.review.markdown import parse

pytest.importorskip("pypandoc")

DOCUMENT, FOOTNOTES = "word/document.xml", "word/footnotes.xml"
_NOTE_LINE = re.compile(r"^[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_SEED_MARKS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\^\{[\d,]+\}")


def imported(docx: Path, folder: Path) -> tuple[Review, ImportReport]:
    report = import_docx(docx, folder)
    return load_review(folder), report


def from_markdown(markdown: str, tmp_path: Path, name: str = "doc") -> Path:
    return pandoc_docx(markdown, tmp_path / f"{name}.docx")


def errors(review: Review) -> list[str]:
    problems = check_review(review, TODAY_DATE)
    return [
        f"{p.file}:{p.line} {p.code} {p.message}" for p in problems if p.severity.value == "error"
    ]


def note_sources(review: Review) -> list[str]:
    """The source id of each note, in order, as `build` numbers them."""
    return [note.source_id for note in build_notes(review).notes]


def source(review: Review, key: str):
    return review.source_index()[key]


def section_text(review: Review) -> str:
    """Every section's text as Markdown reads it, headings included, spaces removed."""
    return re.sub(r"\s+", "", "".join(t.text for s in review.sections for t in s.markdown.texts))


# --- the original briefing ----------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Review, ImportReport]:
    if not SEED.is_file():
        pytest.skip(f"the seed briefing is not at {SEED} (shared/ is not beside the repo)")
    tmp = tmp_path_factory.mktemp("seed")
    docx = seed_docx(tmp / "social-value-briefing.docx")
    review, report = imported(docx, tmp / "social-value")
    return docx, review, report


def seed_sentences() -> str:
    """The seed's prose (headings too) without notes, link targets and the closing line."""
    kept = []
    for line in SEED.read_text(encoding="utf-8").strip().splitlines()[1:]:
        text = line.strip()
        if _NOTE_LINE.match(text) or text.startswith("Produced by"):
            continue
        text = _SEED_MARKS.sub("", text.removeprefix("- "))
        kept.append(re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text).replace("**", ""))
    return re.sub(r"\s+", "", "".join(kept))


def test_seed_gives_back_every_sentence_in_order(seed) -> None:
    _, review, _ = seed
    assert section_text(review) == seed_sentences()
    assert [s.file for s in review.sections] == ["background.md", "methods.md", "findings.md"]
    for section, title in zip(review.sections, ("Background", "Methods", "Findings")):
        assert section.text.splitlines()[0] == f"# {title}"
    findings = review.sections[2].text
    assert "\n## Examples from the West Midlands: Sandwell and Solihull\n" in findings
    assert "\n### Sandwell\n" in findings and "\n### Solihull\n" in findings
    assert "a **plan for the most deprived communities to access employment opportunities" in (
        findings
    )
    assert "\n- What are other local authorities doing around social value?\n" in (
        review.sections[0].text
    )


def test_seed_notes_sources_merges_and_back_references(seed) -> None:
    _, review, report = seed
    notes = build_notes(review).notes
    assert len(notes) == 24
    assert report.counts["notes"] == report.counts["footnotes"] == 24
    assert report.counts["from notes"] == 21
    assert sum(1 for s in review.sources if s.url) == 21
    keys = [n.source_id for n in notes]
    # notes 7 and 12 cite one page: one source, the later access date kept
    assert keys[6] == keys[11]
    assert str(source(review, keys[6]).accessed) == "2024-06-04"
    assert report.merged == [
        "note 12 cites the same URL as note 7; accessed 2024-06-04 kept (not 2024-06-03)"
    ]
    # "As 10" and "As 14" are the sources of notes 10 and 14
    assert keys[14] == keys[9] and keys[18] == keys[13]
    assert [notes[i].text for i in (11, 14, 18)] == ["As 7", "As 10", "As 14"]
    assert report.back_references == [
        f"note 15 “As 10” → note 10: {keys[9]}",
        f"note 19 “As 14” → note 14: {keys[13]}",
    ]
    assert source(review, keys[9]).url == "https://www.wbs.ac.uk/about/person/haley-beer/"
    # note 23 has no access date
    blackpool = source(review, keys[22])
    assert blackpool.url == "https://www.youtube.com/watch?v=O6JZAgVfIWk&t=2216s"
    assert blackpool.accessed is None
    assert any(i.place == "note 23" and "no access date" in i.message for i in report.issues)
    # note 1's URL keeps its unbalanced "(" and loses the full stop after it
    assert source(review, keys[0]).url.endswith(
        "%20(Social%20Value,social%2C%20economic%20and%20environmental%20benefits"
    )
    # bare URLs in a note's text are found too (notes 11 and 14)
    assert source(review, keys[10]).url.endswith("/fts_paper_2.pdf")
    assert source(review, keys[10]).raw["type"] == "report"


def test_seed_links_become_placeholders_never_titled_by_vague_text(seed) -> None:
    _, review, report = seed
    placeholders = [s for s in review.sources if s.url is None]
    assert len(placeholders) == report.counts["placeholders"] == 26
    for placeholder in placeholders:
        assert placeholder.raw["remark"] == "URL to be added"
        assert not vague(placeholder.title)
    findings = review.sections[2].text
    assert "[Sandwell Aquatics Centre](@sandwell-aquatics-centre)" in findings
    assert source(review, "sandwell-aquatics-centre").title == "Sandwell Aquatics Centre"
    assert "([available here](@available-here))" in findings
    assert source(review, "available-here").title.startswith("TODO")


def test_seed_metadata_and_a_clean_check(seed) -> None:
    _, review, _ = seed
    meta = review.meta
    assert meta.title == "What are other local authorities doing around social value?"
    assert [(a.name, a.affiliation) for a in meta.authors] == [
        ("Dr Jack Birch", "Coventry Health Determinants Research Collaboration")
    ]
    assert meta.organisation == "Coventry Health Determinants Research Collaboration"
    assert str(meta.published) == "2024-06"
    assert errors(review) == []
    codes = Counter(p.code for p in check_review(review, TODAY_DATE))
    assert codes["missing-url"] == 26
    assert codes["vague-link-text"] == 6
    assert codes["date-typo-in-prose"] == 1  # 01/01/20220, as the original has it
    assert codes["missing-accessed"] == 1  # note 23
    searches = yaml.safe_load((review.root / "searches.yaml").read_text(encoding="utf-8"))
    assert len(searches) == 1 and "TODO" in searches[0]["where"]
    assert (review.root / ".gitignore").read_text().split() == ["build/", ".scopekit/"]


def test_seed_import_from_the_command_line(seed, tmp_path: Path) -> None:
    docx, _, _ = seed
    result = invoke("import", str(docx), str(tmp_path / "review"))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "24 notes (24 footnotes, 0 endnotes)" in out
    assert "47 sources: 21 from notes, 26 from links; 26 placeholders" in out
    assert "note 12 cites the same URL as note 7; accessed 2024-06-04 kept" in out
    assert "note 15 “As 10” → note 10: wbs-haley-beer" in out
    assert "note 23: title made from the URL: “youtube.com”; publisher guessed from the " in out
    assert re.search(r"note 3: title made from the URL: “Social value 1”; no publisher", out)
    assert 'paragraph 13 ("A search of “social value” on…"): link “available here”' in out
    assert "Next:" in out


# --- the round trip -----------------------------------------------------------------------


def skeleton(review: Review) -> list[str]:
    """Each section as text with its notes' numbers where the citations are."""
    notes = build_notes(review)
    sections = []
    for section in review.sections:
        parts = []
        for token in section.markdown.tokens:
            for child in token.children or []:
                if child.type == "text":
                    parts.append(child.content)
                elif child.type == "citation":
                    numbers = notes.call(section.file, child).numbers
                    parts.append("[" + ",".join(map(str, numbers)) + "]")
            if token.type == "inline":
                parts.append("\n")
        sections.append("".join(parts))
    return sections


def test_round_trip_of_a_docx_scopekit_built(tmp_path: Path) -> None:
    original_folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    review_yaml = original_folder / "review.yaml"
    review_yaml.write_text(
        review_yaml.read_text(encoding="utf-8")
        + "updated: 2026-11-25\n"
        + "key_messages:\n  - Most councils publish a social value policy.\n"
        + "  - Anchor institutions matter.\n",
        encoding="utf-8",
    )
    built = invoke("build", str(original_folder), "--format", "docx")
    assert built.exit_code == 0, built.output
    docx = original_folder / "build" / "social-value.docx"
    review, report = imported(docx, tmp_path / "back")
    original = load_review(original_folder)

    assert [s.title for s in review.sections] == [s.title for s in original.sections]
    assert skeleton(review) == skeleton(original)
    ours, theirs = build_notes(review), build_notes(original)
    assert [n.text for n in ours.notes] == [n.text for n in theirs.notes]

    def references(notes) -> Counter:
        return Counter("".join(run.text for run in runs) for runs in notes.references.values())

    assert references(ours) == references(theirs)
    meta = review.meta
    assert (meta.title, meta.organisation, str(meta.published), meta.language) == (
        original.meta.title,
        original.meta.organisation,
        "2024-06",
        "en-GB",
    )
    assert [a.name for a in meta.authors] == ["Dr Jack Birch"]
    assert meta.type == "Rapid scoping review"
    assert meta.key_messages == [
        "Most councils publish a social value policy.",
        "Anchor institutions matter.",
    ]
    assert str(meta.updated) == "2026-11-25"
    assert meta.funding is None  # the house style's own text
    # the generated parts never come back as prose
    prose = "\n".join(s.text for s in review.sections)
    for generated in (
        "Search log",
        "Other sources",
        "Produced by",
        "Updated",
        "NIHR",
        "Key messages",
    ):
        assert generated not in prose
    assert report.counts["from Other sources"] == 25
    assert errors(review) == []


SEARCH_FIELDS = ("where", "query", "date_from", "date_to", "run", "results", "approximate")


def searches_of(review: Review) -> list[tuple]:
    return [tuple(str(getattr(s, name)) for name in SEARCH_FIELDS) for s in review.searches]


def test_the_search_log_of_a_docx_scopekit_built_comes_back(tmp_path: Path) -> None:
    """Build the example (with run dates, a search from a month on and one up to a year),
    import its DOCX: searches.yaml holds the same searches, no TODO, and checks clean."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    searches = folder / "searches.yaml"
    text = searches.read_text(encoding="utf-8")
    text = text.replace("  results: 17300\n", "  run: 2024-05-22\n  results: 17300\n", 1)
    text += (
        "\n- id: nice\n  where: 'NICE Evidence Search: guidance'\n  query: anchor AND \"NHS\"\n"
        "  from: 2019-04\n  run: 2024-05-23\n\n- id: ons\n  where: ONS\n  query: x # y\n"
        "  to: 2023\n  results: 0\n"
    )
    searches.write_text(text, encoding="utf-8")
    built = invoke("build", str(folder), "--format", "docx")
    assert built.exit_code == 0, built.output

    review, report = imported(folder / "build" / "social-value.docx", tmp_path / "back")

    original = load_review(folder)
    assert len(original.searches) == 8
    assert searches_of(review) == searches_of(original)
    assert [s.id for s in review.searches][:3] == [
        "google-advanced-search",
        "local-government-association",
        "local-government-association-2",
    ]
    written = (review.root / "searches.yaml").read_text(encoding="utf-8")
    assert "TODO" not in written
    assert report.searches_read == 8
    assert any("read as searches" in issue.message for issue in report.issues)
    assert [p for p in check_review(review, TODAY_DATE) if "search" in p.file] == []


def test_a_search_log_cell_that_cannot_be_read_is_kept_in_notes(tmp_path: Path) -> None:
    from scopekit.importer.searchlog import read_searches

    def cells(*texts: str) -> list[list[Span]]:
        return [[Span(text)] for text in texts]

    table = Block(
        "table",
        1,
        rows=[
            cells("Where", "Query", "Dates covered", "Run", "Results"),
            cells("Scopus", "x", "spring 2024", "31/02/2024", "about 40"),
            cells("Web of Science", "y", "from 05/2020", "–", "~1,200"),
        ],
    )
    report = ImportReport("old.docx", "back")
    data = yaml.safe_load(read_searches(table, "old.docx", report))
    assert data[0] == {
        "id": "scopus",
        "where": "Scopus",
        "query": "x",
        "notes": "As the Search log gave it: dates covered: spring 2024; run: 31/02/2024; "
        "results: about 40",
    }
    assert data[1] == {
        "id": "web-of-science",
        "where": "Web of Science",
        "query": "y",
        "from": "2020-05",
        "results": 1200,
        "approximate": True,
    }
    assert [issue.place for issue in report.issues] == ["Search log row 1"]


NESTED_LISTS = """
- a
  - b
    1. c
    2. d
  - b2
- e

1. one
   - one-a
     1. deep
2. two
"""


def list_shape(markdown: str) -> list[tuple[int, str, str]]:
    """Each list item of a section as (depth from 0, bullet or ordered, its first text)."""
    shape, kinds = [], []
    tokens = parse(markdown).tokens
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            kinds.append("ordered" if token.type == "ordered_list_open" else "bullet")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            kinds.pop()
        elif token.type == "list_item_open":
            text = next(t.content for t in tokens[index:] if t.type == "inline")
            shape.append((len(kinds) - 1, kinds[-1], text))
    return shape


def _built_with_nested_lists(tmp_path: Path) -> tuple[Path, Path]:
    """A review whose Background ends in nested bullet and numbered lists, and its DOCX."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    background = folder / "background.md"
    background.write_text(background.read_text(encoding="utf-8") + NESTED_LISTS, encoding="utf-8")
    built = invoke("build", str(folder), "--format", "docx")
    assert built.exit_code == 0, built.output
    return folder, folder / "build" / "social-value.docx"


def test_round_trip_keeps_a_short_note_of_the_author_s_own(tmp_path: Path) -> None:
    """A short `^[…]` citing nothing reads like a title, but the build record says it was
    the author's own note: it comes back as a note, not as a made-up source."""
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    background = folder / "background.md"
    text = background.read_text(encoding="utf-8")
    typed = text.replace("benefits.", "benefits.^[The act runs 2012–2028.]", 1)
    assert typed != text
    background.write_text(typed, encoding="utf-8")
    built = invoke("build", str(folder), "--format", "docx")
    assert built.exit_code == 0, built.output
    import_docx(folder / "build" / "social-value.docx", tmp_path / "back")
    back = (tmp_path / "back" / "background.md").read_text(encoding="utf-8")
    assert "benefits.^[The act runs 2012–2028.]" in back
    sources = (tmp_path / "back" / "sources.yaml").read_text(encoding="utf-8")
    assert "The act runs" not in sources


def test_round_trip_keeps_nested_lists(tmp_path: Path) -> None:
    folder, docx = _built_with_nested_lists(tmp_path)
    review, _ = imported(docx, tmp_path / "back")
    original = load_review(folder)
    assert list_shape(review.sections[0].text) == list_shape(original.sections[0].text)
    assert list_shape(NESTED_LISTS) == [
        (0, "bullet", "a"),
        (1, "bullet", "b"),
        (2, "ordered", "c"),
        (2, "ordered", "d"),
        (1, "bullet", "b2"),
        (0, "bullet", "e"),
        (0, "ordered", "one"),
        (1, "bullet", "one-a"),
        (2, "ordered", "deep"),
        (0, "ordered", "two"),
    ]
    # the DOCX says the depth twice: the style (List Number 3) and w:ilvl agree
    body = etree.fromstring(zipfile.ZipFile(docx).read(DOCUMENT))
    for p in body.iter(w("p")):
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        level = p.find(f"{w('pPr')}/{w('numPr')}/{w('ilvl')}")
        if level is not None:
            depth = {"ListNumber": "0", "ListNumber2": "1", "ListNumber3": "2"}
            assert level.get(w("val")) == depth[style.get(w("val"))]


def test_round_trip_keeps_table_column_alignment(tmp_path: Path) -> None:
    folder = copy_review(SOCIAL_VALUE_REVIEW, tmp_path / "social-value")
    table = "\n| Council | Spend | Score |\n| --- | ---: | :---: |\n| Sandwell | 1,200 | A |\n"
    background = folder / "background.md"
    background.write_text(background.read_text(encoding="utf-8") + table, encoding="utf-8")
    assert invoke("build", str(folder), "--format", "docx").exit_code == 0
    review, _ = imported(folder / "build" / "social-value.docx", tmp_path / "back")
    assert "| --- | ---: | :---: |\n| Sandwell | 1,200 | A |" in review.sections[0].text


def _single_level_numbering(root: etree._Element) -> None:
    """Every numbered item at w:ilvl 0, its style alone saying how deep it is (as older
    scopekit wrote it, and as Word templates with one-level list styles do)."""
    for level in root.iter(w("ilvl")):
        level.set(w("val"), "0")


def test_import_takes_the_deeper_of_list_style_and_ilvl(tmp_path: Path) -> None:
    folder, docx = _built_with_nested_lists(tmp_path)
    flat = rewrite(docx, DOCUMENT, _single_level_numbering, tmp_path / "flat.docx")
    assert b'w:ilvl w:val="2"' not in zipfile.ZipFile(flat).read(DOCUMENT)
    review, _ = imported(flat, tmp_path / "back")
    assert list_shape(review.sections[0].text) == list_shape(load_review(folder).sections[0].text)
    assert "- a\n  - b\n    1. c\n    2. d\n  - b2\n- e\n" in review.sections[0].text


# --- structure: headings, lists, emphasis, tables -------------------------------------------

STRUCTURE = """\
% A title of the briefing

# Background

Plain text with **bold words** and *an italic phrase*, then a **bold end.** And more.

Text with [a named page](https://example.org/named-page) and a note.[^1]

- bullet one
    - nested bullet
- bullet two

3. third
4. fourth

## A subsection

| Place | Count |
|-------|-------|
| Coventry | 12 |
| Solihull | 7 |

> A quoted passage.

# Findings

Lines that look like syntax: 1\\. not a list, \\# not a heading, a \\*star\\* and [square]
brackets, \\<angle> and a_b_c.

[^1]: The Named Report. Example Press. <https://example.org/report.pdf> (Accessed 03/06/2024)
"""


def test_headings_lists_emphasis_tables_and_quotes(tmp_path: Path) -> None:
    review, report = imported(from_markdown(STRUCTURE, tmp_path), tmp_path / "out")
    background, findings = (s.text for s in review.sections)
    assert background == (
        "# Background\n\n"
        "Plain text with **bold words** and *an italic phrase*, then a **bold end.** And more.\n\n"
        "Text with [a named page](@example-a-named-page) and a note.[@example-the-named-report]\n\n"
        "- bullet one\n  - nested bullet\n- bullet two\n\n"
        "3. third\n4. fourth\n\n"
        "## A subsection\n\n"
        "| Place | Count |\n| --- | --- |\n| Coventry | 12 |\n| Solihull | 7 |\n\n"
        "> A quoted passage.\n"
    )
    assert findings == (
        "# Findings\n\n"
        "Lines that look like syntax: 1. not a list, # not a heading, a \\*star\\* and "
        "\\[square\\] brackets, \\<angle> and a_b_c.\n"
    )
    named = source(review, "example-the-named-report")
    assert (named.title, named.raw["publisher"], str(named.accessed)) == (
        "The Named Report",
        "Example Press",
        "2024-06-03",
    )
    assert named.raw["type"] == "report"
    assert source(review, "example-a-named-page").title == "a named page"
    assert review.meta.title == "A title of the briefing"
    assert report.counts["tables"] == 1 and report.counts["list items"] == 5


def test_text_before_the_first_heading_and_no_title_style(tmp_path: Path) -> None:
    markdown = "# What works?\n\n# Background\n\nFirst words.\n"
    review, report = imported(from_markdown(markdown, tmp_path), tmp_path / "a")
    assert review.meta.title == "What works?"
    assert [s.title for s in review.sections] == ["Background"]
    assert any("no Title style" in i.message for i in report.issues)
    assert review.meta.authors[0].name.startswith("TODO")
    # no "Produced by" line: the date is when the file was saved, reported as a guess
    assert review.meta.published is not None
    assert any("no “Produced by …” date" in i.message for i in report.issues)

    review, report = imported(
        from_markdown("% T\n\nOpening words.\n\n# Next\n\nMore.\n", tmp_path), tmp_path / "b"
    )
    assert [s.title for s in review.sections] == ["Introduction", "Next"]
    assert any("before the first heading" in i.message for i in report.issues)


# --- notes: URLs, access dates, back-references ---------------------------------------------

NOTES = """\
% Notes

# Text

A[^1] b[^2] c[^3] d[^4] e[^5] f[^6] g[^7] h[^8] i[^9] j[^10] k[^11] l[^12] m[^13] n[^14].

[^1]: Page one. <https://example.org/one> (Accessed 03/06/2024)
[^2]: www.example.org/two accessed: 3 June 2024
[^3]: https://example.org/three, Accessed 03.06.2024.
[^4]: <https://example.org/four> (accessed 2024-06-05)
[^5]: As note 1
[^6]: See note 2 above.
[^7]: Ibid.
[^8]: <https://example.org/eight> (accessed 03/06/24)
[^9]: <https://example.org/nine> (accessed 31/02/2024)
[^10]: A report with no address, Council minutes 2023.
[^11]: First part https://example.org/eleven-a and second part https://example.org/eleven-b
    (accessed June 4, 2024)
[^12]: <https://example.org/one/> (Accessed 01/06/2024)
[^13]: As 30
[^14]: <https://example.org/fourteen> (PDF, 2 MB)
"""


def test_note_urls_dates_and_back_references(tmp_path: Path) -> None:
    review, report = imported(from_markdown(NOTES, tmp_path), tmp_path / "out")
    keys = note_sources(review)
    urls = [source(review, k).url for k in keys]
    assert urls[:4] == [
        "https://example.org/one",
        "https://www.example.org/two",
        "https://example.org/three",
        "https://example.org/four",
    ]
    assert [str(source(review, k).accessed) for k in keys[:4]] == [
        "2024-06-03",
        "2024-06-03",
        "2024-06-03",
        "2024-06-05",
    ]
    assert source(review, keys[0]).title == "Page one"
    assert any("https:// added to a www. address" in i.message for i in report.issues)
    # As note 1, See note 2 above, Ibid. (the note before: note 6, so note 2's source)
    assert keys[4] == keys[0] and keys[5] == keys[1] and keys[6] == keys[1]
    # a two-digit year and an impossible date are kept as text and reported
    eight, nine = source(review, keys[7]), source(review, keys[8])
    assert eight.accessed is None and "03/06/24" in eight.raw["remark"]
    assert nine.accessed is None and "31/02/2024" in nine.raw["remark"]
    places = {i.place: i.message for i in report.issues if "access date" in i.message}
    assert "has 2 digits" in places["note 8"] and "not a real date" in places["note 9"]
    # no URL: the note text is the title
    ten = source(review, keys[9])
    assert (ten.url, ten.title) == (None, "A report with no address, Council minutes 2023")
    # two URLs in one note: two sources cited together
    findings = review.sections[0].text
    assert "k[@example-first-part; @example-and-second-part]" in findings
    assert source(review, "example-and-second-part").url == "https://example.org/eleven-b"
    assert str(source(review, "example-and-second-part").accessed) == "2024-06-04"
    # the same URL (trailing slash) merges, keeping the later date
    assert keys[11 + 1] == keys[0]
    assert str(source(review, keys[0]).accessed) == "2024-06-03"
    assert "note 12 cites the same URL as note 1; accessed 2024-06-03 kept (not 2024-06-01)" in (
        report.merged
    )
    # a back-reference to no earlier note, and text after a URL
    assert any(
        i.place == "note 13" and "points at no earlier note" in i.message for i in report.issues
    )
    assert "PDF, 2 MB" in source(review, keys[-1]).raw["remark"]
    assert errors(review) == []


# --- messy XML --------------------------------------------------------------------------------

MESSY = """\
% Messy

# Findings

The council published its policy.[^1] See the
[Social value toolkit](https://example.org/toolkit-page) online.

Later evidence agrees.[^2]

[^1]: <https://www.example.org/social-value-policy> (Accessed 03/06/2024)
[^2]: As 1
"""


def _runs_split(root: etree._Element) -> None:
    """Every run of text split into one run per character (mid-word, mid-URL)."""
    for run in list(root.iter(w("r"))):
        t = run.find(w("t"))
        if t is None or len(t.text or "") < 2:
            continue
        parent, index = run.getparent(), run.getparent().index(run)
        parent.remove(run)
        for offset, char in enumerate(t.text):
            piece = copy.deepcopy(run)
            piece.find(w("t")).text = char
            piece.find(w("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            parent.insert(index + offset, piece)


def _proofing_and_bookmarks(root: etree._Element) -> None:
    for number, run in enumerate(list(root.iter(w("r")))):
        if number % 3 == 0:
            run.addprevious(etree.Element(w("proofErr"), {w("type"): "spellStart"}))
            start = etree.Element(
                w("bookmarkStart"), {w("id"): str(900 + number), w("name"): f"b{number}"}
            )
            run.addprevious(start)
            run.addnext(etree.Element(w("bookmarkEnd"), {w("id"): str(900 + number)}))


def _wrapped(tag: str, content: bool = False) -> Callable[[etree._Element], None]:
    """Every second run wrapped in a smart tag, or in a content control."""

    def change(root: etree._Element) -> None:
        for number, run in enumerate(list(root.iter(w("r")))):
            if number % 2:
                continue
            wrapper = etree.Element(w(tag))
            run.addprevious(wrapper)
            inner = wrapper
            if content:
                etree.SubElement(wrapper, w("sdtPr"))
                inner = etree.SubElement(wrapper, w("sdtContent"))
            inner.append(run)
        paragraph = root.find(f".//{w('body')}/{w('p')}[2]")
        if content and paragraph is not None:  # and a whole paragraph in a content control
            block = etree.Element(w("sdt"))
            paragraph.addprevious(block)
            etree.SubElement(block, w("sdtContent")).append(paragraph)

    return change


def _hyperlink_fields(simple: bool, links: dict[str, str]) -> Callable[[etree._Element], None]:
    """Relationship hyperlinks turned into HYPERLINK field codes (complex or simple)."""

    def change(root: etree._Element) -> None:
        for link in list(root.iter(w("hyperlink"))):
            target = links.get(link.get(f"{{{R_NS}}}id"), "")
            runs = list(link)
            instr = f' HYPERLINK "{target}" \\o "tip" '
            if simple:
                field = etree.Element(w("fldSimple"), {w("instr"): instr})
                field.extend(runs)
                link.addprevious(field)
            else:
                pieces = [_field_char("begin"), _instr(instr), _field_char("separate"), *runs]
                for piece in [*pieces, _field_char("end")]:
                    link.addprevious(piece)
            link.getparent().remove(link)

    return change


def _field_char(kind: str) -> etree._Element:
    run = etree.Element(w("r"))
    etree.SubElement(run, w("fldChar"), {w("fldCharType"): kind})
    return run


def _instr(code: str) -> etree._Element:
    run = etree.Element(w("r"))
    etree.SubElement(run, w("instrText")).text = code
    return run


def _text_run(text: str, hidden: bool = False, tag: str = "t") -> etree._Element:
    run = etree.Element(w("r"))
    if hidden:
        etree.SubElement(etree.SubElement(run, w("rPr")), w("vanish"))
    etree.SubElement(run, w(tag)).text = text
    return run


def _first_paragraph_with(root: etree._Element, text: str) -> etree._Element:
    return next(p for p in root.iter(w("p")) if text in "".join(p.itertext()))


def _tracked(root: etree._Element) -> None:
    paragraph = _first_paragraph_with(root, "Later evidence")
    inserted = etree.SubElement(paragraph, w("ins"), {w("id"): "1", w("author"): "A"})
    inserted.append(_text_run(" Newly added words."))
    deleted = etree.SubElement(paragraph, w("del"), {w("id"): "2", w("author"): "A"})
    deleted.append(_text_run(" Words taken out.", tag="delText"))


def _hidden_and_comments(root: etree._Element) -> None:
    paragraph = _first_paragraph_with(root, "Later evidence")
    paragraph.append(_text_run(" secret draft words", hidden=True))
    paragraph.insert(1, etree.Element(w("commentRangeStart"), {w("id"): "0"}))
    paragraph.append(etree.Element(w("commentRangeEnd"), {w("id"): "0"}))
    reference = etree.SubElement(paragraph, w("r"))
    etree.SubElement(reference, w("commentReference"), {w("id"): "0"})


def _links_of(docx: Path, part: str) -> dict[str, str]:
    folder, name = part.rsplit("/", 1)
    rels = etree.fromstring(zipfile.ZipFile(docx).read(f"{folder}/_rels/{name}.rels"))
    return {r.get("Id"): r.get("Target") for r in rels}


def _folder_texts(folder: Path) -> dict[str, str]:
    return {
        p.name: "\n".join(
            line for line in p.read_text().splitlines() if "imported from" not in line.lower()
        )
        for p in sorted(folder.iterdir())
        if p.suffix in (".md", ".yaml") and p.name != "review.yaml"
    }


@pytest.mark.parametrize(
    "variant",
    [
        "split runs",
        "proofing and bookmarks",
        "smart tags",
        "content controls",
        "complex field links",
        "simple field links",
    ],
)
def test_messy_variants_import_like_the_clean_document(tmp_path: Path, variant: str) -> None:
    clean = from_markdown(MESSY, tmp_path, "clean")
    both = {
        "split runs": _runs_split,
        "proofing and bookmarks": _proofing_and_bookmarks,
        "smart tags": _wrapped("smartTag"),
        "content controls": _wrapped("sdt", content=True),
    }
    messy = tmp_path / "messy.docx"
    if variant in both:
        rewrite(clean, DOCUMENT, both[variant], messy)
        rewrite(messy, FOOTNOTES, both[variant], messy)
    else:
        simple = variant.startswith("simple")
        rewrite(clean, DOCUMENT, _hyperlink_fields(simple, _links_of(clean, DOCUMENT)), messy)
        rewrite(messy, FOOTNOTES, _hyperlink_fields(simple, _links_of(clean, FOOTNOTES)), messy)
    import_docx(clean, tmp_path / "clean")
    report = import_docx(messy, tmp_path / "messy")
    assert _folder_texts(tmp_path / "messy") == _folder_texts(tmp_path / "clean")
    findings = (tmp_path / "messy" / "findings.md").read_text()
    assert "[Social value toolkit](@example-social-value-toolkit)" in findings
    assert "policy.[@example-social-value-policy]" in findings
    assert "agrees.[@example-social-value-policy]" in findings
    assert not [i for i in report.issues if "comment" in i.message or "hidden" in i.message]


def test_tracked_changes_hidden_text_and_comments(tmp_path: Path) -> None:
    clean = from_markdown(MESSY, tmp_path, "clean")
    messy = rewrite(clean, DOCUMENT, _tracked, tmp_path / "messy.docx")
    messy = rewrite(messy, DOCUMENT, _hidden_and_comments, messy)
    review, report = imported(messy, tmp_path / "out")
    text = review.sections[0].text
    assert "Later evidence agrees.[@example-social-value-policy] Newly added words." in text
    assert "taken out" not in text and "secret" not in text
    messages = [f"{i.place}: {i.message}" for i in report.issues]
    place = 'paragraph 4 ("Later evidence agrees. Newly added words.")'
    assert f"{place}: tracked insertion kept: “Newly added words.”" in messages
    assert f"{place}: tracked deletion dropped: “Words taken out.”" in messages
    assert f"{place}: hidden text skipped: “secret draft words”" in messages
    assert f"{place}: 1 comment(s) ignored" in messages


def _stale_cross_reference(root: etree._Element) -> None:
    """Note 1's reference inside bookmark _Ref1 (in document.xml)."""
    reference = next(root.iter(w("footnoteReference"))).getparent()
    reference.addprevious(etree.Element(w("bookmarkStart"), {w("id"): "77", w("name"): "_Ref1"}))
    reference.addnext(etree.Element(w("bookmarkEnd"), {w("id"): "77"}))


def _as_field(root: etree._Element) -> None:
    """Note 2 "As 1" becomes "As " + a NOTEREF field whose shown number is stale (7)."""
    note = _first_paragraph_with(root, "As 1")
    for t in note.iter(w("t")):
        if "As 1" in (t.text or ""):
            t.text = "As "
            run = t.getparent()
            pieces = [_field_char("begin"), _instr(" NOTEREF _Ref1 \\h "), _field_char("separate")]
            for piece in reversed([*pieces, _text_run("7"), _field_char("end")]):
                run.addnext(piece)


def test_cross_reference_resolved_through_its_bookmark_not_its_stale_number(tmp_path: Path) -> None:
    clean = from_markdown(MESSY, tmp_path, "clean")
    messy = rewrite(clean, DOCUMENT, _stale_cross_reference, tmp_path / "messy.docx")
    messy = rewrite(messy, FOOTNOTES, _as_field, messy)
    review, report = imported(messy, tmp_path / "out")
    keys = note_sources(review)
    assert keys == ["example-social-value-policy"] * 2
    assert report.back_references == ["note 2 “As 1” → note 1: example-social-value-policy"]
    assert any(
        i.place == "note 2" and "showed “7”, but its bookmark is at note 1" in i.message
        for i in report.issues
    )


def _reverse_note_ids(docx: Path, out: Path) -> Path:
    """Footnote ids in reverse order of reference: numbering must follow the text."""
    ids = [
        r.get(w("id"))
        for r in etree.fromstring(zipfile.ZipFile(docx).read(DOCUMENT)).iter(w("footnoteReference"))
    ]
    new = dict(zip(ids, reversed(ids)))

    def change(root: etree._Element) -> None:
        for element in [*root.iter(w("footnoteReference")), *root.iter(w("footnote"))]:
            if element.get(w("id")) in new:
                element.set(w("id"), new[element.get(w("id"))])

    rewrite(docx, DOCUMENT, change, out)
    return rewrite(out, FOOTNOTES, change, out)


def _as_endnotes(docx: Path, out: Path) -> Path:
    """The footnotes part turned into an endnotes part."""
    with zipfile.ZipFile(docx) as source:
        entries = {n: source.read(n) for n in source.namelist()}
    swap = {b"footnote": b"endnote", b"Footnote": b"Endnote"}
    for name in (DOCUMENT, FOOTNOTES, "word/_rels/document.xml.rels", "[Content_Types].xml"):
        for old, new in swap.items():
            entries[name] = entries[name].replace(old, new)
    entries["word/endnotes.xml"] = entries.pop(FOOTNOTES)
    entries["word/_rels/endnotes.xml.rels"] = entries.pop("word/_rels/footnotes.xml.rels")
    with zipfile.ZipFile(out, "w") as target:
        for name, data in entries.items():
            target.writestr(name, data)
    return out


def test_notes_numbered_by_first_reference_and_endnotes_read(tmp_path: Path) -> None:
    markdown = "% T\n\n# A\n\nOne.[^1] Two.[^2]\n\n[^1]: <https://example.org/first>\n\n[^2]: <https://example.org/second>\n"
    clean = from_markdown(markdown, tmp_path, "clean")
    for name, make in (("reversed", _reverse_note_ids), ("endnotes", _as_endnotes)):
        review, report = imported(make(clean, tmp_path / f"{name}.docx"), tmp_path / name)
        assert [source(review, k).url for k in note_sources(review)] == [
            "https://example.org/first",
            "https://example.org/second",
        ], name
    assert report.counts["endnotes"] == 2 and report.counts["footnotes"] == 0


def _localised(root: etree._Element) -> None:
    """German Word: ids `berschrift1`, `Titel`; a second heading style known only by name."""
    for style in root.iter(w("style")):
        style_id = style.get(w("styleId"))
        if style_id in ("Heading1", "Heading2", "Title"):
            for p_pr in style.iter(w("outlineLvl")):
                p_pr.getparent().remove(p_pr)
            new_id = {"Heading1": "berschrift1", "Heading2": "Custom7", "Title": "Titel"}[style_id]
            style.set(w("styleId"), new_id)
            if style_id == "Heading2":
                style.find(w("name")).set(w("val"), "Überschrift 2")


def _localised_document(root: etree._Element) -> None:
    new = {"Heading1": "berschrift1", "Heading2": "Custom7", "Title": "Titel"}
    for style in root.iter(w("pStyle")):
        style.set(w("val"), new.get(style.get(w("val")), style.get(w("val"))))


def test_localised_heading_styles(tmp_path: Path) -> None:
    markdown = "% Der Titel\n\n# Erster\n\nText.\n\n## Unter\n\nMehr.\n\n# Zweiter\n\nEnde.\n"
    docx = from_markdown(markdown, tmp_path)
    docx = rewrite(docx, "word/styles.xml", _localised, tmp_path / "de.docx")
    docx = rewrite(docx, DOCUMENT, _localised_document, docx)
    review, _ = imported(docx, tmp_path / "out")
    assert review.meta.title == "Der Titel"
    assert [s.title for s in review.sections] == ["Erster", "Zweiter"]
    assert "\n## Unter\n" in review.sections[0].text


# --- refusals -----------------------------------------------------------------------------------


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    docx = from_markdown("% T\n\n# A\n\nText.\n", tmp_path)
    target = tmp_path / "taken"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    result = invoke("import", str(docx), str(target))
    assert result.exit_code == 2
    assert "is not empty" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize(
    "kind", ["missing", "folder", "text", "old word", "no document", "bad xml"]
)
def test_an_unreadable_document_is_one_clear_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "old.docx"
    if kind == "folder":
        path.mkdir()
    elif kind == "text":
        path.write_text("# not a docx\n")
    elif kind == "old word":
        path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 600)
    elif kind in ("no document", "bad xml"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            if kind == "bad xml":
                archive.writestr("word/document.xml", "<w:document><w:body>")
    result = invoke("import", str(path), str(tmp_path / "out"))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[0].startswith("scopekit: error: ") and len(lines) <= 2
    assert not (tmp_path / "out").exists()


def test_import_command_stays_light() -> None:
    """`import scopekit.cli` loads no lxml; the import command loads no renderer or
    python-docx (it reads the XML itself)."""
    code = (
        "import sys, scopekit.cli; light = 'lxml' not in sys.modules; "
        "import scopekit.commands.import_docx; "
        "print(light, sorted({m.split('.')[0] for m in sys.modules}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("True ")
    for heavy in ("docx", "citeproc", "markdown_it", "weasyprint", "jinja2", "yaml"):
        assert f"'{heavy}'" not in out.stdout


def test_seed_markdown_keeps_every_note(seed) -> None:
    """The test's own converter: 24 note definitions, the split list item joined."""
    markdown = seed_markdown(SEED.read_text(encoding="utf-8"))
    assert len(re.findall(r"^\[\^\d+\]: ", markdown, re.M)) == 24
    assert "1) employing a large percentage of local residents, 2) subcontracting" in markdown


LINKS = """\
% Links

# Background

See [the next part](#methods), [mail the team](mailto:team@example.org), [a draft](file:///C:/drafts/plan.docx),
[an empty link](#), [click here](#) and [the council page](www.example.org/council).

# Methods

Text.
"""


def _empty_target(root: etree._Element) -> None:
    """The "an empty link" hyperlink loses its anchor: a link with no target at all."""
    for link in root.iter(w("hyperlink")):
        if "".join(link.itertext()) == "an empty link":
            del link.attrib[w("anchor")]


def test_link_targets(tmp_path: Path) -> None:
    docx = rewrite(from_markdown(LINKS, tmp_path), DOCUMENT, _empty_target, tmp_path / "l.docx")
    review, report = imported(docx, tmp_path / "out")
    text = review.sections[0].text
    assert "See the next part, mail the team, [a draft](@a-draft)," in text
    assert "[an empty link](@an-empty-link), [click here](@click-here) and" in text
    assert "[the council page](@example-the-council-page)." in text
    assert source(review, "example-the-council-page").url == "https://www.example.org/council"
    assert source(review, "a-draft").raw["remark"] == (
        "URL to be added (the document linked to file:///C:/drafts/plan.docx)"
    )
    assert source(review, "an-empty-link").raw["remark"] == "URL to be added"
    assert source(review, "click-here").title == "TODO name the page linked as “click here”"
    messages = " | ".join(i.message for i in report.issues)
    assert "link “the next part” to a place in the document kept as text" in messages
    assert "e-mail link “mail the team” kept as text (team@example.org)" in messages
    assert errors(review) == []


# --- Markdown written from any text reads back as that text ----------------------------------

# with pandoc's habits: sub/superscript, attributes, smart quotes, dashes, ellipses, fences
_TRICKY = st.text(alphabet="ab 1.)#>-+=*_[]\\`<>&!|:;,()@~^{}\"'\t\n", max_size=12)
_PIECE = st.tuples(_TRICKY, st.booleans(), st.booleans(), st.sampled_from(["text", "link", "note"]))


@settings(
    max_examples=int(os.environ.get("SCOPEKIT_FUZZ_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(_PIECE, min_size=1, max_size=6), st.sampled_from(["paragraph", "item", "heading"]))
# a note, then "(", then a link ending in ")": `[@a]([)](@k)` read as a link to "["
@example([("(", False, False, "note"), (")", False, False, "link")], "paragraph")
def test_any_text_is_written_so_that_it_reads_back_the_same(pieces: list, kind: str) -> None:
    """Whatever the words, emphasis, links and notes, the Markdown reads back as the same
    text, with no stray link, citation or HTML, and no emphasis where there was none."""
    inlines: list = []
    for text, bold, italic, what in pieces:
        if what == "note":
            inlines.append(NoteRef("footnote", "1", 1))
        inlines.append(
            Span(text, bold, italic, link=WordLink("https://x.org") if what == "link" else None)
        )
    links = {id(i.link): "k" for i in inlines if isinstance(i, Span) and i.link}
    block = Block(kind, 1, inlines, level=2)
    written = MarkdownWriter({1: ["a"]}, links).section("Title", None, [block], 1)
    parsed = parse(written)
    written_text = ""
    for text, _, _, what in pieces:
        if what == "note":  # the space before a note call goes, as pandoc does it
            written_text = written_text.rstrip()
        written_text += text
    expected = " ".join(written_text.split())
    got = "".join(t.text for t in parsed.texts[1:] if t.line > 1)
    assert " ".join(got.split()) == expected, written
    assert all(link.href == "@k" for link in parsed.links), written
    assert all(c.key == "a" for c in parsed.citations) and not parsed.raw_html, written
    if not any(bold or italic for _, bold, italic, _ in pieces):
        kinds = {c.type for t in parsed.tokens for c in t.children or []}
        assert not kinds & {"strong_open", "em_open"}, written


COMMENTARY = """\
% Notes

# Text

The councils included the following[^1]: school streets[^2] and cycle training.[^3]

[^1]: <https://example.org/one> (Accessed 03/06/2024)
[^2]: Figures are for 2022/23 and *exclude* academies, which report separately.
[^3]: Page two. <https://example.org/two> (Accessed 04/06/2024); Page three.
    <https://example.org/three> (Accessed 05/06/2024)
"""


def test_commentary_notes_come_in_as_notes_and_each_url_keeps_its_date(tmp_path: Path) -> None:
    review, report = imported(from_markdown(COMMENTARY, tmp_path), tmp_path / "out")
    text = review.sections[0].text
    # the colon after a citation is not escaped; the commentary is an inline note
    assert "the following[@example-one]: school streets^[Figures are for 2022/23 and" in text
    assert "*exclude* academies, which report separately.]" in text and "\\:" not in text
    assert any("kept as a note of its own" in i.message for i in report.issues)
    notes = build_notes(review).notes
    assert notes[1].source_id is None and notes[1].text.startswith("Figures are for 2022/23")
    dates = {s.url: str(s.accessed) for s in review.sources}
    assert dates["https://example.org/two"] == "2024-06-04"
    assert dates["https://example.org/three"] == "2024-06-05"
    assert errors(review) == []

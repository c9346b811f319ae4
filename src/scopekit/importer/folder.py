"""The review folder an import writes: section files, review.yaml, sources.yaml, searches.yaml,
and the counts of the import report."""

from __future__ import annotations

import re
from pathlib import Path

from scopekit.folder_writer import refuse_non_empty, write_folder
from scopekit.importer.convert import Importer
from scopekit.importer.files import SEARCHES, FoundMetadata, review_yaml, sources_yaml
from scopekit.importer.markdown_writer import MarkdownWriter
from scopekit.importer.model import Block, ImportReport, Picture
from scopekit.importer.ooxml import Package, read_package
from scopekit.importer.outline import Outline
from scopekit.importer.pictures import figure_files
from scopekit.importer.searchlog import read_searches
from scopekit.importer.sources import PLACEHOLDER, slug_words, unique
from scopekit.isodates import DateError, PartialDate, parse_iso, today

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_PROSE = {"paragraph", "quote", "continue"}


def section_files(titles: list[str]) -> list[str]:
    """File names from section titles (`background.md`), each once."""
    used: set[str] = set()
    return [unique("-".join(slug_words(title)[:5]) or "section", used) + ".md" for title in titles]


def published(package: Package, shape: Outline, report: ImportReport) -> PartialDate | None:
    """The date of "Produced by …", else the month the file was last saved (reported)."""
    if shape.published:
        return shape.published
    stamp = package.core.get("modified") or package.core.get("created") or ""
    try:
        month = parse_iso(stamp[:7])
    except DateError:
        month = parse_iso(today().isoformat()[:7])
        report.add(
            "the document's properties",
            f"no “Produced by …” date and no date saved in the file: published {month}, "
            "this month (correct it in review.yaml)",
        )
        return month
    report.add(
        "the document's properties", f"no “Produced by …” date: published {month}, when saved"
    )
    return month


def funding(shape: Outline, report: ImportReport) -> str | None:
    """The closing text after "Produced by", unless it is the house style's own."""
    text = " ".join(block.text for block in shape.closing).strip()
    if not text:
        return None
    from scopekit.theme import default_house_style, load_theme

    place = shape.closing[0].place
    if " ".join(load_theme(default_house_style()).funding.split()) == text:
        report.add(place, "the house style's funding text: left to the house style")
        return None
    report.add(place, "closing text after “Produced by” kept as `funding`")
    return text


def count(report: ImportReport, blocks: list[Block], shape: Outline, importer: Importer) -> None:
    """The numbers the report starts with."""
    sources = importer.table.sources
    kinds = [note.kind for note in importer.notes.values()]
    report.counts = {
        "paragraphs": sum(block.kind in _PROSE for block in blocks),
        "sections": len(shape.sections),
        "subsections": sum(block.kind == "heading" for s in shape.sections for block in s.blocks),
        "list items": sum(block.kind == "item" for block in blocks),
        "tables": sum(block.kind == "table" for block in blocks),
        "notes": len(importer.notes),
        "footnotes": kinds.count("footnote"),
        "endnotes": kinds.count("endnote"),
        "typed": kinds.count("typed"),
        "sources": len(sources),
        "from notes": sum(source.from_note for source in sources),
        "from links": sum(
            not source.from_note and not source.places[0].startswith("Other") for source in sources
        ),
        "from Other sources": sum(source.places[0].startswith("Other") for source in sources),
        "placeholders": sum(any(PLACEHOLDER in r for r in source.remarks) for source in sources),
        "merged": len(report.merged),
        "back-references": len(report.back_references),
    }


def import_docx(docx: str | Path, target: str | Path) -> ImportReport:
    """Import the Word briefing `docx` into the new or empty folder `target`.

    Raises UsageError for a folder that is not empty, DocumentUnreadable for a file that is
    not a readable DOCX; nothing is written then.
    """
    from scopekit.review.model import Metadata as Fields  # imported when used: it loads yaml

    folder, path = Path(target), Path(docx)
    refuse_non_empty(folder, "import", f"scopekit import {path.name} reviews/new-review")
    report = ImportReport(str(path), str(folder))
    importer = Importer(read_package(path), report)
    blocks, shape = importer.read()
    importer.assign(
        [b for s in shape.sections for b in ([s.heading] if s.heading else []) + s.blocks]
    )
    importer.listed(shape.other_sources)
    importer.finish()
    pictures = [
        item
        for block in blocks
        for item in [*block.inlines, *(i for row in block.rows for cell in row for i in cell)]
        if isinstance(item, Picture)
    ]
    figures = figure_files(pictures, importer.package.media)
    writer = MarkdownWriter(
        {n: list(dict.fromkeys(s.id for s in found)) for n, found in importer.note_sources.items()},
        {key: source.id if source else None for key, source in importer.link_sources.items()},
        importer.author_notes,
        figures,
        importer.link_crossrefs,
    )
    names = section_files([section.title for section in shape.sections])
    sections = {
        name: writer.section(s.title, s.heading, s.blocks, shape.top)
        for name, s in zip(names, shape.sections)
    }
    language = importer.styles.language or ""
    if not _LANGUAGE.match(language):  # a language, not Word's "x-none" (no proofing)
        language = ""
    meta = FoundMetadata(
        docx=path.name,
        title=shape.title,
        type_line=shape.type_line,
        authors=shape.authors,
        organisation=shape.organisation,
        published=published(importer.package, shape, report),
        published_guessed=shape.published is None,
        updated=shape.updated,
        language=Fields.language.convert(language) or Fields.language.default,
        sections=names,
        key_messages=shape.key_messages,
        funding=funding(shape, report),
    )
    files: dict[str, str | bytes] = {
        "review.yaml": review_yaml(meta),
        **sections,
        "sources.yaml": sources_yaml(path.name, importer.table.sources),
        "searches.yaml": read_searches(shape.search_log, path.name, report)
        if shape.search_log is not None
        else SEARCHES,
        **{name: importer.package.media[part] for part, name in figures.items()},
    }
    count(report, blocks, shape, importer)
    report.files = [p.relative_to(folder).as_posix() for p in write_folder(folder, files)]
    return report

"""`scopekit sources import` and `export`: a review's sources to and from reference managers.

Import reads CSL-JSON, BibTeX or RIS (scopekit.exchange) and merges with sources.yaml: an
item whose DOI or URL (normalised as `duplicate-url` does) is already a source adds only
the values that source lacks, never changing one it has; any other item is appended as a
new source, keeping its key (`citation-key`, the BibTeX key, RIS `ID`) as its id when it
is free. sources.yaml is edited in place: every existing byte stays. Export writes the
review's sources (or only those cited or linked) in one of the three formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from scopekit import exchange
from scopekit.adding import Sources
from scopekit.atomic import write_atomic
from scopekit.citation_syntax import KEY, clean_key
from scopekit.errors import DocumentUnreadable, OutputError, UsageError
from scopekit.exchange.model import DATES, ORDER, TEXT, Item
from scopekit.importer.sources import unique as unique_id
from scopekit.reading import make_id
from scopekit.review.model import REVIEW_FILE, SOURCES_FILE, source_key
from scopekit.review.yaml_reader import YamlMap
from scopekit.schema import CSL_NAME_VARIABLES, csl_names

MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Merged:
    """An imported item that is already source `id`: the values it added, those it left."""

    id: str
    added: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did: new sources, merges, notes on what was left out."""

    format: str
    added: list[str] = field(default_factory=list)
    merged: list[Merged] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False


def citable(key: str) -> bool:
    """Whether `key` can be cited as `[@key]` as it is."""
    return bool(re.fullmatch(KEY, key)) and clean_key(key) == key


def _root(folder: str) -> Path:
    root = Path(folder)
    if not (root / REVIEW_FILE).is_file():
        raise UsageError(
            f"{folder} is not a review folder: it has no {REVIEW_FILE}",
            "give the review folder with --dir, or start one with scopekit new",
        )
    return root


def read_file(file: str) -> exchange.Reading:
    """The items of a CSL-JSON, BibTeX or RIS file (DocumentUnreadable when it is none)."""
    path = Path(file)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise DocumentUnreadable(f"{file} is larger than 50 MB: not read")
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DocumentUnreadable(f"{file} does not exist") from None
    except UnicodeDecodeError:
        raise DocumentUnreadable(
            f"{file} is not UTF-8 text", "export it from Zotero as UTF-8 (the default)"
        ) from None
    except OSError as exc:
        raise DocumentUnreadable(f"{file} cannot be read: {exc.strerror or exc}") from None
    fmt = exchange.detect(path, text)
    if fmt is None:
        raise DocumentUnreadable(
            f"{file}: not CSL-JSON, BibTeX or RIS",
            "export from Zotero as CSL JSON, BibTeX, BibLaTeX or RIS (.json, .bib, .ris)",
        )
    try:
        reading = exchange.read(text, fmt)
    except ValueError as exc:
        raise DocumentUnreadable(f"{file}: {exc}") from None
    if not reading.items and text.strip():
        reading.notes.append(f"{file}: {_NOTHING.get(fmt, 'no reference found in it')}")
    reading.notes.insert(0, fmt)
    return reading


#: The note on a file of one of the formats in which no reference was found.
_NOTHING = {
    "ris": "no RIS record found in it (each starts with a 'TY  - ' line and ends with "
    "'ER  - '): nothing read; export it from Zotero again as RIS",
    "bibtex": "no BibTeX entry found in it (each starts '@type{key,'): nothing read",
    "csljson": "no CSL-JSON item found in it: nothing read",
}


def import_sources(folder: str, file: str, *, dry_run: bool = False) -> ImportReport:
    """Merge the items of `file` into the review's sources.yaml (not with `dry_run`)."""
    root = _root(folder)
    reading = read_file(file)
    report = ImportReport(reading.notes[0], notes=reading.notes[1:])
    sources = Sources(root)
    new: list[Item] = []
    for item in reading.items:
        url = item.get("URL")
        holder = sources.holder(
            url if isinstance(url, str) else None, item.get("DOI") if "DOI" in item else None
        )
        if holder is not None and holder in sources.entries:
            report.merged.append(_merge(sources, holder, item))
            continue
        if holder is not None:
            report.notes.append(f"'{holder}' is in the file twice (same DOI or URL): added once")
            continue
        key = str(item.get("id") or "")
        wanted = key if citable(key) else make_id(item)
        source_id = unique_id(wanted, sources.ids)
        if key and source_id != key:
            report.renamed.append((key, source_id))
        entry = {"id": source_id, **{k: v for k, v in item.items() if k != "id"}}
        sources.know(source_id, entry)
        new.append(entry)
        report.added.append(source_id)
    sources.append([(entry, None) for entry in new])
    if not dry_run and sources.editor.changed:
        if not sources.editor.save():
            raise OutputError(
                f"{SOURCES_FILE} was not changed: the sources could not be written without "
                "touching anything else"
            )
        report.written = True
    return report


def _merge(sources: Sources, holder: str, item: Item) -> Merged:
    """Add to source `holder` the single values it lacks (never replacing one it has)."""
    entry: YamlMap = sources.entries[holder]
    merged = Merged(holder)
    for key, value in item.items():
        if key in ("id", "type") or not isinstance(value, str):
            continue
        written = source_key(entry, key)
        if written in entry:
            if str(entry[written]).strip() != value and key in (*TEXT, *DATES):
                merged.differing.append(key)
            continue
        if key not in TEXT and key not in DATES:
            continue
        before = ORDER[: ORDER.index(key)] if key in ORDER else ORDER
        after = tuple(
            source_key(entry, k) for k in reversed(before) if source_key(entry, k) in entry
        )
        if sources.editor.set(entry, key, value, after):
            merged.added.append(key)
    return merged


def export_sources(
    folder: str, fmt: str, *, cited: bool = False, out: str | None = None
) -> tuple[str, int]:
    """The review's sources (only those cited or linked with `cited`) in `fmt`, written to
    `out` when given; the text and how many items."""
    from scopekit.review import load_review

    if fmt not in exchange.FORMATS:
        raise UsageError(f"unknown format {fmt}", f"use one of {', '.join(exchange.FORMATS)}")
    review = load_review(folder)
    used: set[str] | None = None
    if cited:
        used = set()
        for section in review.texts:
            used.update(c.key for c in section.markdown.citations)
            used.update(link.source_key for link in section.markdown.links if link.source_key)
    items, seen = [], set()
    for source in review.sources:
        if source.id in seen or (used is not None and source.id not in used):
            continue
        seen.add(source.id)
        items.append(_with_names(_plain(source.raw)))
    text = exchange.write(items, fmt)
    if out is not None:
        try:
            write_atomic(Path(out), text.encode("utf-8"))
        except OSError as exc:
            raise OutputError(f"{out} cannot be written: {exc.strerror or exc}") from None
    return text, len(items)


def _with_names(item: object) -> object:
    """The item with each name variable as CSL names (a plain `author: Sam Analyst` is
    `{literal: Sam Analyst}`), as the references read it."""
    if isinstance(item, dict):
        for key in CSL_NAME_VARIABLES & item.keys():
            if names := csl_names(item[key]):
                item[key] = names
            else:
                del item[key]
    return item


def _plain(value: object) -> object:
    """A YAML value as plain data: mappings and lists copied, numbers of text fields as text."""
    if isinstance(value, dict):
        return {
            str(k): (
                str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else _plain(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value

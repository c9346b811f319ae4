"""`scopekit add`: web pages, PDFs and DOIs fetched, read, and appended to sources.yaml.

Each argument is fetched with check-links' rules (links/fetch.py), its metadata read by the
readers of scopekit.metadata in their order of trust, and made a CSL item: type, title,
authors or publisher, issued, URL (the canonical one), accessed today. What could not be
read is guessed only where import guesses too (a title from the URL, a publisher from a
domain everyone knows) and marked so in the file. sources.yaml is edited in place: the new
entries are appended and every existing byte is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scopekit.errors import OutputError, UsageError
from scopekit.importer.sources import unique as unique_id
from scopekit.isodates import DateError, parse_iso, today
from scopekit.links import seen
from scopekit.links.seen import Baseline
from scopekit.links.settings import Settings
from scopekit.reading import Added, Failed, Wanted, make_id, parse_inputs, read_all
from scopekit.review.load import unreadable_in
from scopekit.review.model import REVIEW_FILE, SOURCES_FILE, source_key, text_or_none
from scopekit.review.yaml_edit import YamlEditor
from scopekit.review.yaml_reader import YamlError, YamlMap, load_yaml
from scopekit.review.yamltext import csl_item
from scopekit.urls import is_web_url, normalise

NEW_FILE = "# Sources of the review: CSL items (docs/review-format.md).\n"

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")


@dataclass
class Refused:
    """An argument whose URL or DOI is already a source (`id`)."""

    input: str
    id: str
    url: str


@dataclass
class AddReport:
    """What `add` did: sources added, refused (already there), and not read."""

    added: list[Added] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def no_network(self) -> bool:
        """Whether nothing was added because no server answered at all."""
        return bool(self.failed) and not self.added and all(f.offline for f in self.failed)

    @property
    def exit_code(self) -> int:
        """0 all added, 1 some not added (not read, or already there), 3 no network."""
        if self.no_network:
            return 3
        return 1 if self.failed or self.refused else 0

    def to_dict(self) -> dict:
        """The report as `add --json` prints it (docs/schemas/add.schema.json)."""
        return {
            "file": SOURCES_FILE,
            "written": self.written,
            "dry_run": self.dry_run,
            "added": [
                {
                    "input": a.input,
                    "id": a.id,
                    "item": a.item,
                    "from": a.origins,
                    "guessed": a.guessed,
                    "notes": a.notes,
                }
                for a in self.added
            ],
            "refused": [{"input": r.input, "id": r.id, "url": r.url} for r in self.refused],
            "failed": [{"input": f.input, "message": f.message} for f in self.failed],
            "warnings": self.warnings,
        }


class Sources:
    """sources.yaml opened for appending, with its ids, URLs and DOIs."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / SOURCES_FILE
        try:
            if self.path.is_file():
                self.editor = YamlEditor(self.path)
            else:
                self.editor = YamlEditor(self.path, NEW_FILE)
        except UnicodeDecodeError:
            raise unreadable_in(
                folder, SOURCES_FILE, None, f"{SOURCES_FILE} is not UTF-8 text"
            ) from None
        except YamlError as exc:
            raise unreadable_in(folder, SOURCES_FILE, exc.line, exc.message, exc.hint) from None
        except OSError as exc:
            raise unreadable_in(
                folder, SOURCES_FILE, None, f"{SOURCES_FILE} cannot be read: {exc}"
            ) from None
        data = self.editor.data
        if data is not None and not isinstance(data, list):
            raise unreadable_in(
                folder,
                SOURCES_FILE,
                1,
                f"{SOURCES_FILE} is not a list of sources",
                "write each source as a list item, '- id: …'",
            )
        self.ids: set[str] = set()
        self.entries: dict[str, YamlMap] = {}
        self.urls: dict[str, str] = {}
        self.dois: dict[str, str] = {}
        for entry in data or []:
            if isinstance(entry, YamlMap) and text_or_none(entry.get("id")):
                self.know(str(entry["id"]).strip(), entry)
                self.entries.setdefault(str(entry["id"]).strip(), entry)

    def know(self, source_id: str, entry: dict) -> None:
        """Remember a source's id, URL and DOI."""
        self.ids.add(source_id)
        url = text_or_none(entry.get(source_key(entry, "URL")))
        if url and is_web_url(url):
            self.urls.setdefault(normalise(url), source_id)
        doi = text_or_none(entry.get(source_key(entry, "DOI")))
        if doi:
            self.dois.setdefault(doi.lower(), source_id)

    def append(self, items: list[tuple[dict, dict[str, str] | None]]) -> None:
        """Append CSL items (each with its notes: `{key: comment}`) at the end of the list,
        a blank line before each; OutputError when the file's list cannot take them."""
        indent = self.editor.list_indent()
        lines = [line for item, notes in items for line in ["", *csl_item(item, notes, indent)]]
        if not lines:
            return
        try:
            self.editor.append(lines)
        except (ValueError, YamlError):
            raise OutputError(
                f"{SOURCES_FILE} was not changed: the new entries could not be appended",
                f"is {SOURCES_FILE} a block list ('- id: …'), not a flow list ('[…]')?",
            ) from None

    def holder(self, url: str | None, doi: str | None = None) -> str | None:
        """The id of the source that has this URL (normalised as `duplicate-url` does) or DOI."""
        if doi and doi.lower() in self.dois:
            return self.dois[doi.lower()]
        if doi and normalise(f"https://doi.org/{doi}") in self.urls:
            return self.urls[normalise(f"https://doi.org/{doi}")]
        return self.urls.get(normalise(url)) if url else None


def add_sources(
    folder: str,
    inputs: list[str],
    *,
    source_id: str | None = None,
    dry_run: bool = False,
    settings: Settings | None = None,
) -> AddReport:
    """Fetch, read and append each argument to the review's sources.yaml (not with
    `dry_run`); the report says what was added, refused and not read."""
    root = Path(folder)
    if not (root / REVIEW_FILE).is_file():
        raise UsageError(
            f"{folder} is not a review folder: it has no {REVIEW_FILE}",
            "give the review folder with --dir, or start one with scopekit new",
        )
    if source_id is not None and (len(inputs) != 1 or not _ID.match(source_id)):
        raise UsageError(
            "--id names one source: give one URL or DOI with it, and an id of letters, "
            "digits and - _ . :",
            "e.g. scopekit add https://… --id kings-fund-social-value",
        )
    wanted = parse_inputs(inputs)
    day = today().isoformat()  # a bad SCOPEKIT_TODAY stops here, before anything is fetched
    sources = Sources(root)
    if source_id is not None and source_id in sources.ids:
        raise UsageError(
            f"there is already a source '{source_id}' in {SOURCES_FILE}", "choose another --id"
        )
    report = AddReport(dry_run=dry_run)
    todo: list[Wanted] = []
    first: dict[str, Wanted] = {}
    again: list[tuple[Wanted, Wanted]] = []
    for want in wanted:
        holder = sources.holder(None if want.doi else want.url, want.doi)
        key = want.doi.lower() if want.doi else normalise(want.url)
        if holder is not None:
            report.refused.append(Refused(want.input, holder, want.url))
        elif key in first:
            again.append((want, first[key]))
        else:
            first[key] = want
            todo.append(want)
    read = read_all(todo, settings or Settings(), day)
    for want in todo:
        added = read[want.input]
        if isinstance(added, Failed):
            report.failed.append(added)
            continue
        url = added.item.get("URL")
        holder = sources.holder(url if isinstance(url, str) else None, _text(added.item.get("DOI")))
        if holder is not None:
            report.refused.append(Refused(want.input, holder, str(url)))
            continue
        added.id = unique_id(source_id or make_id(added.item), sources.ids)
        added.item = {"id": added.id, **added.item}
        sources.know(added.id, added.item)
        report.added.append(added)
    ids = {added.input: added.id for added in report.added}
    for want, earlier in again:  # the same page given twice: added once
        if earlier.input in ids:
            report.refused.append(Refused(want.input, ids[earlier.input], want.url))
    if report.added:
        report.warnings += _after_published(root, day)
    if report.added and not dry_run:
        _write(sources, report)
        report.warnings += _remember(root, report, day, sources.ids)
    return report


def _remember(root: Path, report: AddReport, day: str, ids: Iterable[str]) -> list[str]:
    """Record what each new source's page showed today, the baseline of check-links' drift
    warnings (links/seen.py); a warning if it cannot be written."""
    baselines = {
        added.id: Baseline(str(added.item["URL"]), day, added.seen)
        for added in report.added
        if added.seen is not None and isinstance(added.item.get("URL"), str)
    }
    if not baselines:
        return []
    warning = seen.save(root, baselines, ids)
    return [warning] if warning else []


def _after_published(root: Path, day: str) -> list[str]:
    """A warning when today is after the review's `updated` (else `published`) date: the
    new access dates make `check` report accessed-after-published until `updated` is set."""
    try:
        meta = load_yaml((root / REVIEW_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError):
        return []
    if not isinstance(meta, dict):
        return []
    for key in ("updated", "published"):
        try:
            bound = parse_iso(str(meta[key])) if meta.get(key) else None
        except DateError:
            return []
        if bound is not None:
            if bound.last_day.isoformat() < day:
                return [
                    f"{REVIEW_FILE}: '{key}' is {meta[key]}, before today's access dates: set "
                    f"'updated: {day}' in {REVIEW_FILE} if this is a revision of the briefing "
                    "(check reports accessed-after-published until then)"
                ]
            return []
    return []


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _write(sources: Sources, report: AddReport) -> None:
    """Append the new entries; nothing is written unless every old byte stays as it was."""
    sources.append([(added.item, added.marks) for added in report.added])
    if not sources.editor.save():
        raise OutputError(
            f"{SOURCES_FILE} was not changed: the new entries could not be appended without "
            "touching anything else",
            f"is {SOURCES_FILE} a block list ('- id: …'), not a flow list ('[…]')?",
        )
    report.written = True

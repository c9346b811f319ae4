"""`scopekit sources fill`: what the pages say, proposed for sources that guessed or lack it.

A source is filled when its title was guessed (marked `# made from the URL` by `import`, or
`# from the PDF's first page` by `add`), its publisher was guessed (`# guessed from the
domain`) or is missing (and no author names who made it), or it has no `issued` date. Its
page (or DOI) is fetched and read as `add` reads it; only values read from the document
are proposed, never guesses. Nothing is written without `apply`: the proposal is a
unified diff of sources.yaml. Written, the file is edited in place (YamlEditor): only the
values filled change, and a guess's mark goes with the guess.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from scopekit.errors import OutputError, UsageError
from scopekit.isodates import today
from scopekit.links.settings import Settings
from scopekit.reading import (
    FIRST_PAGE,
    PUBLISHER_GUESS,
    TITLE_GUESS,
    Added,
    Failed,
    Wanted,
    doi_resolver,
    read_all,
)
from scopekit.review.load import unreadable_in
from scopekit.review.model import REVIEW_FILE, SOURCES_FILE, source_key, text_or_none
from scopekit.review.yaml_edit import YamlEditor
from scopekit.review.yaml_reader import YamlError, YamlMap
from scopekit.urls import is_web_url

MARKS = (TITLE_GUESS, PUBLISHER_GUESS, FIRST_PAGE)
#: Where a new key goes: below the first of these keys the source has.
ANCHORS = {
    "publisher": ("title", "type", "id"),
    "issued": ("publisher", "title", "type", "id"),
}


@dataclass
class Change:
    """One value to fill: the source, the variable, the old value (None: missing), the new
    one and where it was read."""

    source_id: str
    key: str
    old: str | None
    new: str
    origin: str


@dataclass
class FillReport:
    """What `sources fill` proposes (or wrote), what it could not read or set."""

    changes: list[Change] = field(default_factory=list)
    failed: list[Failed] = field(default_factory=list)
    unset: list[str] = field(default_factory=list)
    looked_at: int = 0
    diff: str = ""
    written: bool = False

    @property
    def no_network(self) -> bool:
        """Whether nothing was filled for want of a network, as `add` judges it: some pages
        failed, every failure was at the DNS or connection level, and nothing was found."""
        return bool(self.failed) and not self.changes and all(f.offline for f in self.failed)

    @property
    def exit_code(self) -> int:
        """0 filled or proposed (or nothing to fill), 1 some could not be read, 3 no network."""
        if self.no_network:
            return 3
        return 1 if self.failed else 0


@dataclass
class Candidate:
    """A source to fill: its entry, the variables wanted, and what to fetch."""

    id: str
    entry: YamlMap
    keys: list[str]
    wanted: Wanted


def _guessed(editor: YamlEditor, entry: YamlMap, key: str) -> bool:
    line = editor.line_text(entry, source_key(entry, key))
    return any(f"# {mark}" in line for mark in MARKS)


def candidates(editor: YamlEditor) -> list[Candidate]:
    """The sources whose title or publisher was guessed, or that lack a publisher or date."""
    found = []
    for entry in editor.data if isinstance(editor.data, list) else []:
        if not isinstance(entry, YamlMap) or not text_or_none(entry.get("id")):
            continue
        source_id = str(entry["id"]).strip()
        url = text_or_none(entry.get(source_key(entry, "URL")))
        doi = text_or_none(entry.get(source_key(entry, "DOI")))
        if doi:
            wanted = Wanted(source_id, f"{doi_resolver()}/{quote(doi, safe='/')}", doi)
        elif url and is_web_url(url):
            wanted = Wanted(source_id, url)
        else:
            continue
        keys = []
        if _guessed(editor, entry, "title"):
            keys.append("title")
        has_author = bool(entry.get(source_key(entry, "author")))
        publisher = text_or_none(entry.get(source_key(entry, "publisher")))
        if (publisher is None and not has_author) or (
            publisher and _guessed(editor, entry, "publisher")
        ):
            keys.append("publisher")
        if text_or_none(entry.get(source_key(entry, "issued"))) is None:
            keys.append("issued")
        if keys:
            found.append(Candidate(source_id, entry, keys, wanted))
    return found


def _open(root: Path) -> YamlEditor:
    path = root / SOURCES_FILE
    if not path.is_file():
        raise unreadable_in(root, SOURCES_FILE, None, f"there is no {SOURCES_FILE} in {root}")
    try:
        return YamlEditor(path)
    except UnicodeDecodeError:
        raise unreadable_in(root, SOURCES_FILE, None, f"{SOURCES_FILE} is not UTF-8 text") from None
    except YamlError as exc:
        raise unreadable_in(root, SOURCES_FILE, exc.line, exc.message, exc.hint) from None


def fill_sources(
    folder: str, *, apply: bool = False, settings: Settings | None = None
) -> FillReport:
    """Propose (and with `apply`, write) what each page says for the sources that guessed it
    or lack it."""
    root = Path(folder)
    if not (root / REVIEW_FILE).is_file():
        raise UsageError(
            f"{folder} is not a review folder: it has no {REVIEW_FILE}",
            "give the review folder, or run in it",
        )
    day = today().isoformat()
    editor = _open(root)
    before = editor.text()
    todo = candidates(editor)
    report = FillReport(looked_at=len(todo))
    read = read_all([c.wanted for c in todo], settings or Settings(), day)
    for candidate in todo:
        outcome = read[candidate.id]
        if isinstance(outcome, Failed):
            report.failed.append(outcome)
            continue
        for change in _changes(candidate, outcome):
            key = source_key(candidate.entry, change.key)
            after = tuple(source_key(candidate.entry, a) for a in ANCHORS.get(change.key, ()))
            if editor.set(candidate.entry, key, change.new, after, unmark=MARKS):
                report.changes.append(change)
            else:
                report.unset.append(
                    f"source '{change.source_id}': '{change.key}' could not be set in place; "
                    f"set it by hand to {change.new}"
                )
    after_text = editor.text()
    report.diff = "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after_text.splitlines(keepends=True),
            fromfile=f"{SOURCES_FILE}",
            tofile=f"{SOURCES_FILE} (filled)",
        )
    )
    if apply and report.changes:
        if not editor.save():
            raise OutputError(
                f"{SOURCES_FILE} was not changed: the values could not be written without "
                "touching anything else",
                "set them by hand from the diff above (run without --apply to see it)",
            )
        report.written = True
    return report


def _changes(candidate: Candidate, added: Added) -> list[Change]:
    """The values the document gives for the wanted variables, when read (not guessed) and
    different from what is there."""
    changes = []
    for key in candidate.keys:
        value = added.item.get(key)
        if key in added.marks or not isinstance(value, str) or not value.strip():
            continue
        if added.origins.get(key) in ("the domain", "the URL"):
            continue
        old = text_or_none(candidate.entry.get(source_key(candidate.entry, key)))
        if old == value:
            continue
        changes.append(Change(candidate.id, key, old, value, added.origins.get(key, "")))
    return changes

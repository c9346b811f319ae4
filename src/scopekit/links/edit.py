"""Keep the record after a check: today's access date for each source verified `ok`, the
revision date of the review, what each re-stamped source's page shows (the drift baseline,
links/seen.py), and archived copies (`--update-accessed`, `--archive`).

sources.yaml and review.yaml are edited in place through YamlEditor: only the values set
change, every other byte (comments, order, quoting) stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scopekit.links import seen
from scopekit.links.archive import ArchiveError, nearest_snapshots
from scopekit.links.model import LinkReport, Status
from scopekit.links.savenow import Saved
from scopekit.links.saving import save_archives
from scopekit.links.seen import SEEN_FILE, Baseline
from scopekit.links.session import Settings
from scopekit.review.model import REVIEW_FILE, SOURCES_FILE, Review, source_key, text_or_none
from scopekit.review.yaml_edit import YamlEditor
from scopekit.review.yaml_reader import YamlError, YamlMap
from scopekit.urls import is_web_url


@dataclass
class Recorded:
    """What was written: source ids given today's access date or an archived copy, the new
    `updated` date of the review, and warnings for what could not be done."""

    accessed: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    updated: str | None = None
    baselines: list[str] = field(default_factory=list)
    saved: Saved | None = None
    warnings: list[str] = field(default_factory=list)


def verified_ok(report: LinkReport) -> list[str]:
    """Ids of the sources whose URL was verified `ok` (in this run or within the cache age)."""
    ids: list[str] = []
    for entry in report.entries:
        if entry.result.status is Status.OK:
            ids.extend(entry.target.sources)
    return ids


def _open(review: Review, name: str, recorded: Recorded) -> YamlEditor | None:
    try:
        return YamlEditor(review.root / name)
    except (OSError, UnicodeDecodeError, YamlError) as exc:
        recorded.warnings.append(f"{name} was not changed: it cannot be read again ({exc})")
        return None


def _entries(editor: YamlEditor) -> dict[str, YamlMap]:
    entries: dict[str, YamlMap] = {}
    if isinstance(editor.data, list):
        for item in editor.data:
            if isinstance(item, YamlMap) and text_or_none(item.get("id")):
                entries.setdefault(str(item["id"]).strip(), item)
    return entries


def record(
    review: Review,
    report: LinkReport,
    today: date,
    settings: Settings,
    *,
    accessed: bool,
    archive: bool,
    save: bool = False,
) -> Recorded:
    """Write today's access dates (`accessed`), the archive's nearest copies (`archive`),
    and new copies from Save Page Now of working sources without a recent one (`save`)."""
    recorded = Recorded()
    day = today.isoformat()
    ok = set(verified_ok(report)) if accessed else set()
    snapshots = _snapshots(review, ok, today, settings, recorded) if archive else {}
    wanted: list[tuple[str, str, str, tuple[str, ...]]] = []
    for source in review.sources:
        if source.id in ok:
            wanted.append((source.id, "accessed", day, ("URL",)))
        if source.id in snapshots:
            wanted.append((source.id, "archived", snapshots[source.id], ("accessed", "URL")))
    for source_id, key in _edit_sources(review, wanted, recorded):
        (recorded.accessed if key == "accessed" else recorded.archived).append(source_id)
    if recorded.accessed:
        _revise(review, day, today, recorded)
    if accessed:
        _remember(review, report, day, recorded)
    if save:
        _save(review, report, today, settings, recorded, ok, snapshots)
    return recorded


def _save(
    review: Review,
    report: LinkReport,
    today: date,
    settings: Settings,
    recorded: Recorded,
    ok: set[str],
    snapshots: dict[str, str],
) -> None:
    """`--save-archive`: each capture (or recent existing copy) written as soon as it is had."""
    day = today.isoformat()
    stamped = ok | {s.id for s in review.sources if s.accessed and str(s.accessed) == day}
    archived = {k: v for k, v in snapshots.items() if k in recorded.archived}

    def write(source_id: str, url: str) -> bool:
        done = _edit_sources(review, [(source_id, "archived", url, ("accessed", "URL"))], recorded)
        return bool(done)

    saved, reused = save_archives(
        review, report, today, settings, stamped=stamped, archived=archived, write=write
    )
    recorded.archived += [source_id for source_id in reused if source_id not in recorded.archived]
    recorded.saved = saved


def _remember(review: Review, report: LinkReport, day: str, recorded: Recorded) -> None:
    """Record what each page shows now as the drift baseline of the sources whose access
    date is today (just set, or set earlier today), and say which had drifted."""
    stamped = set(recorded.accessed) | {
        s.id for s in review.sources if s.accessed is not None and str(s.accessed) == day
    }
    baselines: dict[str, Baseline] = {}
    drifted: list[str] = []
    for entry in report.entries:
        if entry.result.status is not Status.OK or entry.result.seen is None:
            continue
        for source_id in entry.target.sources:
            if source_id in stamped:
                baselines[source_id] = Baseline(entry.target.url, day, entry.result.seen)
        drifted += [w.source for w in entry.warnings if w.source in stamped]
    if baselines:
        warning = seen.save(review.root, baselines, (source.id for source in review.sources))
        if warning:
            recorded.warnings.append(warning)
        else:
            recorded.baselines = sorted(baselines)
    if drifted:
        recorded.warnings.append(
            f"re-stamped although the page drifted: {', '.join(dict.fromkeys(drifted))}; "
            f"what the page shows today is now the baseline ({SEEN_FILE})"
        )


def _edit_sources(
    review: Review, wanted: list[tuple[str, str, str, tuple[str, ...]]], recorded: Recorded
) -> list[tuple[str, str]]:
    """Set each (source id, key, value, below which keys) in sources.yaml; the (id, key)
    pairs changed. Nothing is written unless every other byte stays as it was."""
    editor = _open(review, SOURCES_FILE, recorded) if wanted else None
    if editor is None:
        return []
    entries = _entries(editor)
    done = []
    for source_id, key, value, after in wanted:
        mapping = entries.get(source_id)
        if mapping is None:
            continue
        written = source_key(mapping, key)  # `Accessed:` is `accessed`, as the loader reads it
        if text_or_none(mapping.get(written)) == value:
            continue
        if editor.set(mapping, written, value, tuple(source_key(mapping, a) for a in after)):
            done.append((source_id, key))
        else:
            recorded.warnings.append(
                f"source '{source_id}': '{key}' could not be set in place; "
                f"set it by hand to {value}"
            )
    if editor.save():
        return done
    recorded.warnings.append(
        f"{SOURCES_FILE} was not changed: the new values could not be written without "
        "touching anything else; set them by hand"
    )
    return []


def _revise(review: Review, day: str, today: date, recorded: Recorded) -> None:
    """Set `updated` in review.yaml to today when today is after `updated` (else `published`)."""
    bound = review.meta.access_bound
    if bound is None or today <= bound.last_day:
        return
    editor = _open(review, REVIEW_FILE, recorded)
    if editor is None or not isinstance(editor.data, YamlMap):
        return
    if editor.set(editor.data, "updated", day, ("published",)) and editor.save():
        recorded.updated = day
    else:
        recorded.warnings.append(
            f"{REVIEW_FILE}: 'updated' could not be set in place; set it by hand to {day}"
        )


def _snapshots(
    review: Review, ok: set[str], today: date, settings: Settings, recorded: Recorded
) -> dict[str, str]:
    """The nearest archived copy for each source with a URL and no `archived` yet, near the
    day it was (or is now) accessed."""
    wanted: dict[str, tuple[str, date]] = {}
    for source in review.sources:
        if source.url is None or not is_web_url(source.url):
            continue
        if text_or_none(source.raw.get("archived")) or source.id in wanted:
            continue
        when = today if source.id in ok or source.accessed is None else source.accessed.first_day
        wanted[source.id] = (source.url, when)
    found: dict[str, str] = {}
    for source_id, answer in nearest_snapshots(wanted, settings).items():
        if isinstance(answer, ArchiveError):
            recorded.warnings.append(f"source '{source_id}': no archived copy looked up: {answer}")
        elif answer is None:
            recorded.warnings.append(f"source '{source_id}': the archive has no copy of the page")
        else:
            found[source_id] = answer
    return found

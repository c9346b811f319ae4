"""`scopekit export`: the evidence table and the flow counts as CSV files beside the
briefing (`OUT/<name>-evidence.csv`, `OUT/<name>-prisma2020.csv`), for a spreadsheet or for
the PRISMA2020 R package and Shiny app. A file changed by hand since scopekit wrote it is
kept unless forced, as `build` keeps its outputs."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from scopekit.atomic import Manifest, write_atomic
from scopekit.errors import ChangedByHand
from scopekit.reporting.evidence import evidence_of
from scopekit.reporting.flow import flow_of
from scopekit.review import load_review


@dataclass
class Exported:
    """What an export wrote, kept (changed by hand) or could not make (no data)."""

    written: list[tuple[Path, int]] = field(default_factory=list)
    kept: list[ChangedByHand] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def prisma2020_csv(rows: list[dict[str, object]]) -> str:
    """The flow counts as the PRISMA2020 template's `data` and `n` columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["data", "n"])
    writer.writerows([row["data"], row["n"]] for row in rows)
    return out.getvalue()


def export_tables(folder: str | Path, out_dir: str | Path | None, force: bool) -> Exported:
    """Write the review's evidence table and flow counts as CSV into `out_dir` (default
    `folder/build`). Raises ReviewUnreadable."""
    review = load_review(folder)
    target = Path(out_dir) if out_dir is not None else review.root / "build"
    result = Exported()
    evidence, flow = evidence_of(review), flow_of(review)
    tables: list[tuple[str, str | None, int, str]] = [
        (
            "evidence",
            evidence.csv() if evidence else None,
            len(evidence.rows) if evidence else 0,
            "no evidence table: review.yaml has no 'charting: columns'",
        ),
        (
            "prisma2020",
            prisma2020_csv(flow.prisma2020()) if flow else None,
            len(flow.prisma2020()) if flow else 0,
            "no flow counts: review.yaml has no 'screening: counts'",
        ),
    ]
    manifest = Manifest(review.root)
    for name, text, count, why in tables:
        if text is None:
            result.missing.append(why)
            continue
        path = target / f"{review.name}-{name}.csv"
        if not force and manifest.changed_by_hand(path):
            result.kept.append(ChangedByHand(path))
            continue
        data = ("\ufeff" + text).encode("utf-8")  # with a BOM, so Excel reads it as UTF-8
        write_atomic(path, data)
        manifest.record(path, data)
        manifest.save()
        result.written.append((path, count))
    return result

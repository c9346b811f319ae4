"""`scopekit check-links`: check every URL of a review, print the results, keep the record."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from scopekit.commands.output import place, print_unreadable, say_cut_off, say_warning
from scopekit.errors import NoNetwork, ReviewUnreadable
from scopekit.isodates import today
from scopekit.links.edit import Recorded, record
from scopekit.links.model import Entry, LinkReport, Result, Status
from scopekit.links.run import check_review_links
from scopekit.links.savenow import Saved
from scopekit.links.settings import Settings
from scopekit.review import load_review

# Groups in the order printed: the ones that need attention last, next to the summary.
ORDER = (
    Status.OK,
    Status.SKIPPED,
    Status.REDIRECTED,
    Status.BLOCKED,
    Status.TIMEOUT,
    Status.SERVER_ERROR,
    Status.BROKEN,
)
_COLOURS = {
    Status.OK: "green",
    Status.REDIRECTED: "yellow",
    Status.BLOCKED: "magenta",
    Status.TIMEOUT: "magenta",
    Status.SERVER_ERROR: "red",
    Status.BROKEN: "red",
    Status.SKIPPED: "bright_black",
}


class BarProgress:
    """A progress bar on stderr (only used when stderr is a terminal)."""

    def __init__(self) -> None:
        self.bar = Progress(
            TextColumn("checking links"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.bar.add_task("links", total=0)

    def start(self, total: int) -> None:
        self.bar.update(self.task, total=total)
        if total:
            self.bar.start()

    def advance(self, url: str, result: Result) -> None:
        self.bar.advance(self.task)

    def stop(self) -> None:
        self.bar.stop()


def run(
    folder: str,
    settings: Settings,
    *,
    as_json: bool = False,
    use_cache: bool = True,
    update_accessed: bool = False,
    archive: bool = False,
    save_archive: bool = False,
) -> int:
    """Check the links of the review in `folder`, print them, and return the exit status."""
    try:
        review = load_review(folder)
    except ReviewUnreadable as exc:
        print_unreadable(exc, folder, as_report=True, err=as_json)
        return 2
    day = today()
    progress = BarProgress() if sys.stderr.isatty() else None
    try:
        report = check_review_links(review, settings, use_cache=use_cache, progress=progress)
    finally:
        if progress is not None:
            progress.stop()
    for warning in report.warnings:
        say_warning(warning)
    if report.no_network:
        raise NoNetwork(
            f"no network: none of the {len(report.fresh)} URL(s) checked got an answer "
            "(every lookup or connection failed); no link was judged"
        )
    recorded = None
    if update_accessed or archive or save_archive:
        try:
            recorded = record(
                review,
                report,
                day,
                settings,
                accessed=update_accessed,
                archive=archive,
                save=save_archive,
            )
        except KeyboardInterrupt:
            if save_archive:
                say_warning(
                    "the copies saved so far are in sources.yaml; run check-links "
                    "--save-archive again to go on with the rest"
                )
            raise
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_groups(report, folder)
        print_drift(report, folder)
        typer.echo(summary(report, Path(folder)))
    if recorded is not None:
        print_recorded(recorded, day.isoformat(), err=as_json)
    if report.unchecked:
        say_cut_off(report.unchecked, report.local_answered)
    return report.exit_code


def _detail(entry: Entry) -> str:
    return entry.result.message or ""


def _sources(entry: Entry) -> str:
    return ", ".join(entry.target.sources) or "(in prose)"


def print_groups(report: LinkReport, folder: str) -> None:
    """The links grouped by status: a table on a terminal, plain lines otherwise."""
    console = Console()
    for status in ORDER:
        group = [e for e in report.entries if e.result.status is status]
        if not group:
            continue
        if console.is_terminal:
            table = Table(
                title=f"{status.value} ({len(group)})",
                title_style=f"bold {_COLOURS[status]}",
                title_justify="left",
            )
            for column in ("where", "sources", "URL", "detail"):
                table.add_column(column, overflow="fold")
            for entry in group:
                where = place(folder, entry.target.file, entry.target.line)
                table.add_row(where, _sources(entry), entry.target.url, _detail(entry))
            console.print(table)
            continue
        typer.echo(f"{status.value} ({len(group)}):")
        for entry in group:
            where = place(folder, entry.target.file, entry.target.line)
            typer.echo(f"  {where}  {_sources(entry)}  {entry.target.url}".rstrip())
            if _detail(entry):
                typer.echo(f"      {_detail(entry)}")


def print_drift(report: LinkReport, folder: str) -> None:
    """The drift warnings as `check` prints problems: place, severity and code, message, then
    the hint indented."""
    for entry, warning in report.warnings_found:
        where = place(folder, entry.target.file, warning.line or entry.target.line)
        typer.echo(f"{where}: warning[{warning.code}] source '{warning.source}': {warning.message}")
        typer.echo(f"    hint: {warning.hint}")


def summary(report: LinkReport, folder: Path) -> str:
    """`NAME: 21 links in 3.2 s: 15 ok, 2 broken, … (12 from the cache)`."""
    name = folder.name or str(folder)
    counts = ", ".join(
        f"{report.count(status)} {status.value}" for status in Status if report.count(status)
    )
    cached = sum(entry.result.cached for entry in report.entries)
    tail = f" ({cached} from the cache)" if cached else ""
    drift = len(report.warnings_found)
    tail += f"; {drift} warning{'s' if drift != 1 else ''} of drift" if drift else ""
    return (
        f"{name}: {len(report.entries)} links in {report.seconds:.1f} s: {counts or 'none'}{tail}"
    )


def print_recorded(recorded: Recorded, day: str, err: bool) -> None:
    """What --update-accessed and --archive wrote, and what they could not."""
    if recorded.accessed:
        ids = ", ".join(recorded.accessed)
        typer.echo(f"sources.yaml: accessed set to {day} for {ids}", err=err)
    if recorded.baselines:
        ids = ", ".join(recorded.baselines)
        typer.echo(f"sources.seen.json: what the page shows recorded for {ids}", err=err)
    if recorded.updated:
        typer.echo(f"review.yaml: updated set to {recorded.updated}", err=err)
    if recorded.archived:
        typer.echo(
            f"sources.yaml: archived copy recorded for {', '.join(recorded.archived)}", err=err
        )
    if recorded.saved is not None:
        print_saved(recorded.saved, err)
    for warning in recorded.warnings:
        say_warning(warning)


def print_saved(saved: Saved, err: bool) -> None:
    """What --save-archive captured, what failed, and what is left for the next run."""
    for source_id, url in saved.saved:
        typer.echo(f"sources.yaml: archived copy saved for {source_id}: {url}", err=err)
    for source_id, reason in saved.failed:
        say_warning(f"source '{source_id}': no archived copy saved: {reason}")
    for warning in saved.warnings:
        say_warning(warning)
    if saved.stopped:
        say_warning(f"Save Page Now stopped: {saved.stopped}")
    if saved.left:
        ids = ", ".join(job.source for job in saved.left)
        say_warning(
            f"{len(saved.left)} page(s) still to archive ({ids}): "
            "run check-links --save-archive again to go on"
        )

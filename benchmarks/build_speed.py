"""How fast is `scopekit build` on the example review, against pandoc 3 doing the same job?

Measures, side by side in one run, the wall time of:

  (a) `scopekit build REVIEW --format html --format pdf` (a subprocess, start-up included);
  (b) pandoc rendering the same text and sources to standalone HTML, then to PDF with
      `--citeproc --pdf-engine=weasyprint`, the two pandoc runs counted together;
  (c) `scopekit build REVIEW --format html` alone;
  (d) `scopekit build REVIEW --format docx` against (e) pandoc to DOCX with `--citeproc`;
  (f) the import floor: Python starting and importing typer, pyyaml and python-docx, nothing
      else, which bounds from below what any DOCX build on this stack can take.

Every run is cold: before each (untimed) the outputs and the review's `.scopekit/` folder
(the reference cache, build records) are removed, so citeproc formats the references every
time, as in a first build. Runs alternate (a, b, c, a, b, c, ...) after one untimed warm-up
of each, so a slow
moment of the machine hits all three alike. It prints the medians, the ratio
scopekit/pandoc for HTML+PDF and for DOCX (targets <= 1.00) and the time of HTML alone
(target < 500 ms).

Pandoc's inputs are prepared once, outside the timing, in a temporary folder: one Markdown
file (the title in a YAML metadata block, then the sections in order, with scopekit's
`[text](@key)` links rewritten to `[text](<URL>)`, or to plain text for a source with no
URL), a CSL-JSON bibliography made from sources.yaml (ISO dates turned into `date-parts`,
scopekit-only keys `remark` and `archived` dropped) and the review's CSL style. The review
is copied to the temporary folder before building, so its own build/ folder is not touched.

Pandoc comes from `pypandoc-binary`, a benchmark-only dependency:

    pip install pypandoc-binary
    python benchmarks/build_speed.py [REVIEW] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"
# Keys of sources.yaml that scopekit reads but CSL does not know.
SCOPEKIT_ONLY = ("remark", "archived")
CSL_DATES = (
    "accessed",
    "available-date",
    "event-date",
    "issued",
    "original-date",
    "submitted",
)
# `[text](@key)`: a link to a source (scopekit syntax, not pandoc's).
SOURCE_LINK = re.compile(r"\[([^\]]*)\]\(@([^)\s]+)\)")


def pandoc_path() -> str | None:
    """The pandoc binary shipped by pypandoc-binary, or None when it is not installed."""
    try:
        metadata.distribution("pypandoc-binary")
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (metadata.PackageNotFoundError, ImportError, OSError):
        return None


def weasyprint_path() -> str:
    """The weasyprint command of this Python environment (the one scopekit uses)."""
    beside = Path(sys.executable).parent / "weasyprint"
    if beside.exists():
        return str(beside)
    found = shutil.which("weasyprint")
    if not found:
        sys.exit("weasyprint command not found (pip install weasyprint)")
    return found


def date_parts(value: Any) -> dict[str, Any]:
    """An ISO date (`2024-06-03`, `2024-06`, `2024`, or a YAML date) as CSL-JSON date-parts."""
    if isinstance(value, (date, datetime)):
        return {"date-parts": [[value.year, value.month, value.day]]}
    text = str(value).strip()
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        return {"date-parts": [[int(part) for part in text.split("-")]]}
    return {"literal": text}


def csl_items(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """sources.yaml entries as CSL-JSON items."""
    items = []
    for source in sources:
        item = {key: value for key, value in source.items() if key not in SCOPEKIT_ONLY}
        for key in CSL_DATES:
            if key in item and not isinstance(item[key], dict):
                item[key] = date_parts(item[key])
        items.append(item)
    return items


def pandoc_markdown(review: Path, urls: dict[str, str | None]) -> str:
    """The review as one pandoc Markdown text: metadata block, then the sections."""
    meta = yaml.safe_load((review / "review.yaml").read_text(encoding="utf-8"))
    header = {"title": meta["title"]}
    if meta.get("language"):
        header["lang"] = meta["language"]

    def link(match: re.Match[str]) -> str:
        text, key = match.group(1), match.group(2)
        url = urls.get(key)
        return f"[{text}](<{url}>)" if url else text

    parts = ["---\n" + yaml.safe_dump(header, allow_unicode=True) + "---\n"]
    for name in meta["sections"]:
        body = (review / name).read_text(encoding="utf-8")
        parts.append(SOURCE_LINK.sub(link, body).strip() + "\n")
    return "\n".join(parts)


def prepare_pandoc(review: Path, work: Path) -> tuple[Path, Path, Path]:
    """Write pandoc's inputs into `work`: (markdown, bibliography, csl)."""
    meta = yaml.safe_load((review / "review.yaml").read_text(encoding="utf-8"))
    sources = yaml.safe_load((review / "sources.yaml").read_text(encoding="utf-8")) or []
    urls = {source["id"]: source.get("URL") for source in sources}
    markdown = work / "review.md"
    markdown.write_text(pandoc_markdown(review, urls), encoding="utf-8")
    bibliography = work / "sources.json"
    bibliography.write_text(
        json.dumps(csl_items(sources), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    style = str(meta.get("citation_style") or "coventry-hdrc")
    csl = ROOT / "templates" / "csl" / f"{style}.csl"
    if not csl.exists():
        csl = (review / style).resolve()
    return markdown, bibliography, csl


def cold(*folders: Path) -> None:
    """Remove what an earlier run left: the outputs, and the review's `.scopekit/` (its
    reference cache and build records), so every timed build starts cold."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def run(commands: list[list[str]], env: dict[str, str], fresh: tuple[Path, ...] = ()) -> float:
    """Wall time of running `commands` one after the other, after removing `fresh` (untimed);
    stop the benchmark on a failure."""
    cold(*fresh)
    start = time.perf_counter()
    for command in commands:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(
                f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.strip()[-2000:]}"
            )
    return time.perf_counter() - start


def tools() -> tuple[str, str, str, dict[str, str]]:
    """pandoc, weasyprint and this environment's scopekit, and the environment to run them
    in (exits when pandoc or scopekit is missing)."""
    pandoc = pandoc_path()
    if pandoc is None:
        print("pypandoc-binary is not installed: pip install pypandoc-binary", file=sys.stderr)
        sys.exit(2)
    # as an installed tool runs: bytecode cached (some shells set PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SCOPEKIT_TODAY"] = TODAY
    # the scopekit of this Python environment (run the benchmark from the project's venv)
    scopekit = str(Path(sys.executable).parent / "scopekit")
    if not Path(scopekit).is_file():
        scopekit = shutil.which("scopekit") or sys.exit("scopekit command not found")
    return pandoc, weasyprint_path(), scopekit, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("review", nargs="?", default=str(ROOT / "reviews" / "social-value"))
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    args = parser.parse_args()

    pandoc, weasyprint, scopekit, env = tools()
    version = subprocess.run(
        [pandoc, "--version"], capture_output=True, text=True, check=True
    ).stdout.splitlines()[0]
    source = Path(args.review).resolve()

    with tempfile.TemporaryDirectory(prefix="scopekit-bench-") as tmp:
        work = Path(tmp)
        review = work / source.name
        shutil.copytree(source, review, ignore=shutil.ignore_patterns("build"))
        markdown, bibliography, csl = prepare_pandoc(review, work)
        out = work / "out"
        build = [scopekit, "build", str(review), "--out", str(out), "--force"]
        cite = ["--citeproc", "--csl", str(csl), "--bibliography", str(bibliography)]
        pandoc_html = [pandoc, str(markdown), "--standalone", *cite, "-o", str(work / "x.html")]
        pandoc_pdf = [
            pandoc,
            str(markdown),
            *cite,
            f"--pdf-engine={weasyprint}",
            "-o",
            str(work / "x.pdf"),
        ]
        pandoc_docx = [pandoc, str(markdown), *cite, "-o", str(work / "x.docx")]
        cases: dict[str, list[list[str]]] = {
            "scopekit build (all 3)": [build],
            "pandoc html + docx + pdf": [pandoc_html, pandoc_docx, pandoc_pdf],
            "scopekit build html+pdf": [[*build, "--format", "html", "--format", "pdf"]],
            "pandoc html + pdf": [pandoc_html, pandoc_pdf],
            "scopekit build html": [[*build, "--format", "html"]],
            "scopekit build docx": [[*build, "--format", "docx"]],
            "pandoc docx": [pandoc_docx],
            # the floor under any DOCX build with the design card's stack: start Python and
            # import the CLI framework, the YAML parser and python-docx, nothing else
            "import floor": [[sys.executable, "-c", "import typer, yaml, docx"]],
        }
        # cold: no outputs and no reference cache left by an earlier run (scopekit's builds)
        fresh = (out, review / ".scopekit")
        for commands in cases.values():  # warm-up: disk caches, .pyc files, fontconfig
            run(commands, env, fresh)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, commands in cases.items():
                times[name].append(run(commands, env, fresh))

    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"{source.name}: median of {args.runs} alternating runs (after one warm-up each)")
    print(f"{'case':<26}{'median':>10}{'min':>10}{'max':>10}")
    for name, values in times.items():
        print(
            f"{name:<26}{medians[name] * 1000:>7.0f} ms"
            f"{min(values) * 1000:>7.0f} ms{max(values) * 1000:>7.0f} ms"
        )
    three = medians["scopekit build (all 3)"] / medians["pandoc html + docx + pdf"]
    print(
        f"ratio scopekit/pandoc (html+docx+pdf): {three:.2f}x (target <= 0.80)"
        f"  {'ok' if three <= 0.8 else 'SLOWER'}"
    )
    ratio = medians["scopekit build html+pdf"] / medians["pandoc html + pdf"]
    html = medians["scopekit build html"] * 1000
    print(
        f"ratio scopekit/pandoc (html+pdf): {ratio:.2f}x (target <= 1.00)"
        f"  {'ok' if ratio <= 1.0 else 'SLOWER'}"
    )
    print(f"scopekit html alone: {html:.0f} ms (target < 500 ms)  {'ok' if html < 500 else 'SLOW'}")
    docx = medians["scopekit build docx"] / medians["pandoc docx"]
    print(
        f"ratio scopekit/pandoc (docx): {docx:.2f}x (target <= 1.50)"
        f"  {'ok' if docx <= 1.5 else 'SLOWER'}"
    )
    floor = medians["import floor"] / medians["pandoc docx"]
    print(
        f"python + import typer, yaml, docx alone: {medians['import floor'] * 1000:.0f} ms,"
        f" {floor:.2f}x pandoc docx (the least any build with this stack can take)"
    )
    print(f"{version} (pypandoc-binary), pdf engine {weasyprint}")


if __name__ == "__main__":
    main()

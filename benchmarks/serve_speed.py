"""How fast does `scopekit serve` catch up with an edit, against building the page anew?

Measured side by side in this one run, on a copy of the review (the original is not
touched), medians over --runs:

- baseline: `scopekit build DIR --format html` as a process, which is what each look cost
  before `serve` (start-up, imports, load, check, cite, render, write);
- the same work in the running process with nothing kept (no parses, no reference texts);
- a warm rebuild after a one-word edit of a section (only that file parsed again, the
  reference texts reused): the issue's target is under 50 ms;
- a rebuild after a source's title changed (citeproc formats the references again);
- from saving the file to the new page being served by a running preview (the watcher
  polls every 0.1 s, so this includes up to 0.1 s of waiting).

    python benchmarks/serve_speed.py [REVIEW] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"


def copy(review: Path, into: Path, name: str) -> Path:
    target = into / name / review.name
    shutil.copytree(review, target, ignore=shutil.ignore_patterns("build", ".scopekit"))
    return target


def build_process(folder: Path, out: Path, runs: int) -> float:
    """Median wall time of `scopekit build --format html` as a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SCOPEKIT_TODAY"] = TODAY
    command = [sys.executable, "-m", "scopekit", "build", str(folder), "--format", "html"]
    command += ["--out", str(out), "--force"]
    subprocess.run(command, env=env, capture_output=True, check=True)  # warm-up
    times = []
    for index in range(runs):
        edit(folder / first_section(folder), index)  # an edit, so the output is not reused
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_section(folder: Path) -> str:
    """The longest section file: the one being written."""
    from scopekit.review import load_review

    return max(load_review(folder).sections, key=lambda section: len(section.text)).file


def edit(path: Path, index: int) -> None:
    """Change one word of the file (a different word each time)."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\b(the|Wordmark\d+)\b", f"Wordmark{index}", text, count=1)
    path.write_text(text, encoding="utf-8")


def in_process(folder: Path, runs: int) -> dict[str, float]:
    """Rebuilds of a Briefing: uncached, warm after a one-word edit, after a source edit."""
    from scopekit import cite
    from scopekit.preview.briefing import Briefing

    section = folder / first_section(folder)
    cold, warm, source = [], [], []
    for index in range(runs):
        cite._MEMORY.clear()
        edit(section, 100 + index)
        cold.append(Briefing(folder).rebuild().seconds)
    briefing = Briefing(folder)
    briefing.rebuild()
    for index in range(runs):
        edit(section, index)
        warm.append(briefing.rebuild().seconds)
    sources = folder / "sources.yaml"
    original = sources.read_text(encoding="utf-8")
    for index in range(runs):
        sources.write_text(
            re.sub(r"(?m)^(  title: *['\"]?)", rf"\g<1>Edited {index} ", original, count=1),
            encoding="utf-8",
        )
        source.append(briefing.rebuild().seconds)
    sources.write_text(original, encoding="utf-8")
    return {
        "cold": statistics.median(cold),
        "warm": statistics.median(warm),
        "source": statistics.median(source),
    }


def save_to_served(folder: Path, runs: int) -> float:
    """Median time from saving a one-word edit to the preview serving the new page."""
    from scopekit.preview import Preview

    preview = Preview(folder, port=0, interval=0.1)
    url = preview.start()
    section = folder / first_section(folder)
    times = []
    try:
        for index in range(runs):
            time.sleep(0.15)  # a pause between edits, as when typing and saving
            edit(section, 500 + index)
            start = time.perf_counter()
            marker = f"Wordmark{500 + index}".encode()
            while marker not in urllib.request.urlopen(url, timeout=10).read():
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
    finally:
        preview.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("review", nargs="?", default=str(ROOT / "reviews" / "social-value"))
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    os.environ["SCOPEKIT_TODAY"] = TODAY
    review = Path(args.review)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        baseline = build_process(copy(review, work, "build"), work / "out", args.runs)
        timed = in_process(copy(review, work, "serve"), args.runs)
        served = save_to_served(copy(review, work, "served"), args.runs)

    def line(label: str, seconds: float, extra: str = "") -> None:
        ratio = f"{seconds / baseline:5.2f}x baseline" if label else ""
        print(f"{label:<50} {seconds * 1000:7.1f} ms   {ratio}{extra}")

    print(f"{'scopekit build --format html (process, baseline)':<50} {baseline * 1000:7.1f} ms")
    line("serve: rebuild with nothing kept", timed["cold"])
    target = f"   target < 50 ms: {'yes' if timed['warm'] < 0.05 else 'NO'}"
    line("serve: warm rebuild after a one-word edit", timed["warm"], target)
    line("serve: rebuild after a source's title edit", timed["source"])
    line("serve: save to new page served (0.1 s poll)", served)


if __name__ == "__main__":
    main()

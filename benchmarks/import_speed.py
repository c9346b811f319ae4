"""How fast is `scopekit import`, start-up included, on the social-value briefing and on a
generated 200-page briefing with 1,000 notes?

The DOCX inputs are made here with pandoc (the `pypandoc-binary` wheel, a test dependency):
the original briefing from ../shared/seed/, and a long one generated from Markdown. Each
import runs as its own process (`python -m scopekit import`) into a fresh folder; medians
are printed against the issue's figures (0.3 s and 3 s). Bytecode caches are allowed (as
after `pip install`), even where PYTHONDONTWRITEBYTECODE is set.

    python benchmarks/import_speed.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from docx_inputs import SEED, pandoc_docx, seed_docx  # noqa: E402

ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

WORDS = (
    "local authorities social value procurement anchor institutions community employment "
    "health inequalities suppliers framework evidence councils contracts outcomes measures"
).split()


def long_briefing(notes: int = 1000, pages: int = 200) -> str:
    """Markdown for a briefing of about `pages` pages (500 words each) citing `notes` notes,
    with headings, lists, links and some back-references."""
    words_per_note = pages * 500 // notes
    body, definitions = ["% A long generated briefing", ""], []
    for number in range(1, notes + 1):
        if number % 100 == 1:
            body += [f"# Section {number // 100 + 1}", ""]
        if number % 20 == 1:
            body += [f"## Part {number}", ""]
        sentence = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(words_per_note))
        link = f" See the [council page {number}](https://example.org/pages/{number})."
        body += [f"{sentence.capitalize()}.[^{number}]{link if number % 5 == 0 else ''}", ""]
        if number % 50 == 0:
            body += ["- a first point of the list", "- a second point, **in bold**", ""]
        if number % 10 == 0:
            definitions.append(f"[^{number}]: As {number - 3}")
        else:
            definitions.append(
                f"[^{number}]: Report {number}. Publisher {number % 40}. "
                f"<https://example.org/reports/{number}> (Accessed 03/06/2024)"
            )
    return "\n".join([*body, "", *definitions]) + "\n"


def timed_import(docx: Path, runs: int) -> float:
    """Median wall time of `python -m scopekit import DOCX NEW_FOLDER`, after a warm-up."""
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(runs + 1):
            command = [sys.executable, "-m", "scopekit", "import", str(docx), f"{tmp}/r{run}"]
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=ENV, check=False)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                sys.exit(f"import failed (exit {done.returncode}):\n{done.stderr}")
            if run:
                times.append(elapsed)
    return statistics.median(times)


def startup(runs: int) -> float:
    """Median wall time of `python -m scopekit --version` (start-up alone)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "scopekit", "--version"], capture_output=True, env=ENV
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        if SEED.is_file():
            rows.append(("social-value briefing", seed_docx(Path(tmp) / "seed.docx"), 0.3))
        else:
            print(f"(no seed at {SEED}: the social-value figure is skipped)")
        big = pandoc_docx(long_briefing(), Path(tmp) / "long.docx")
        rows.append(("200 pages, 1,000 notes", big, 3.0))
        print(f"{'scopekit --version (start-up)':<34} {startup(args.runs) * 1000:7.0f} ms")
        for name, docx, target in rows:
            seconds = timed_import(docx, args.runs)
            verdict = "yes" if seconds < target else "NO"
            print(
                f"import {name:<27} {seconds * 1000:7.0f} ms   target < {target:g} s: {verdict}"
                f"   ({docx.stat().st_size // 1024} KB)"
            )


if __name__ == "__main__":
    main()

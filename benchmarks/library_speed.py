"""How fast is `scopekit build` on a library of 12 reviews, against pandoc looping over them?

Copies the example review 12 times into a library folder (review-01 … review-12) in a
temporary directory, and measures, side by side in one run:

  (a) `scopekit build LIBRARY --force` (HTML, PDF and DOCX of every review, then the library
      page; a subprocess, start-up included);
  (b) pandoc producing the same three formats of every review, one review after the other
      (for each: standalone HTML, DOCX, PDF through WeasyPrint, all with `--citeproc`), as
      benchmarks/build_speed.py runs it for one review.

Every run is cold: the outputs and each review's `.scopekit/` (reference cache, build
records) are removed before it, untimed. Runs alternate (a, b, a, b, ...) after one untimed
warm-up of each. It prints the medians and
the ratio scopekit/pandoc (target <= 0.35: scopekit builds the reviews on every core).

    pip install pypandoc-binary
    python benchmarks/library_speed.py [REVIEW] [--runs N] [--reviews N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
from pathlib import Path

from build_speed import ROOT, prepare_pandoc, run, tools

TARGET = 0.35


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("review", nargs="?", default=str(ROOT / "reviews" / "social-value"))
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--reviews", type=int, default=12, help="reviews in the library")
    args = parser.parse_args()

    pandoc, weasyprint, scopekit, env = tools()
    source = Path(args.review).resolve()

    with tempfile.TemporaryDirectory(prefix="scopekit-library-bench-") as tmp:
        work = Path(tmp)
        library = work / "library"
        pandoc_runs: list[list[str]] = []
        for number in range(1, args.reviews + 1):
            review = library / f"review-{number:02d}"
            shutil.copytree(source, review, ignore=shutil.ignore_patterns("build"))
            inputs = work / "pandoc" / review.name
            inputs.mkdir(parents=True)
            markdown, bibliography, csl = prepare_pandoc(review, inputs)
            cite = ["--citeproc", "--csl", str(csl), "--bibliography", str(bibliography)]
            pandoc_runs += [
                [pandoc, str(markdown), "--standalone", *cite, "-o", str(inputs / "x.html")],
                [pandoc, str(markdown), *cite, "-o", str(inputs / "x.docx")],
                [
                    pandoc,
                    str(markdown),
                    *cite,
                    f"--pdf-engine={weasyprint}",
                    "-o",
                    str(inputs / "x.pdf"),
                ],
            ]
        cases = {
            "scopekit build library": [
                [scopekit, "build", str(library), "--out", str(work / "out"), "--force"]
            ],
            "pandoc, review by review": pandoc_runs,
        }
        # cold: no outputs and no reference cache (each review's .scopekit/) left behind
        fresh = (work / "out", *(review / ".scopekit" for review in library.iterdir()))
        for commands in cases.values():  # warm-up: disk caches, .pyc files, fontconfig
            run(commands, env, fresh)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, commands in cases.items():
                times[name].append(run(commands, env, fresh))

    medians = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"library of {args.reviews} x {source.name}: median of {args.runs} alternating runs"
        f" (after one warm-up each), {os.cpu_count()} cores"
    )
    for name, values in times.items():
        print(
            f"{name:<28}{medians[name]:>7.2f} s  (min {min(values):.2f} s, max {max(values):.2f} s)"
        )
    ratio = medians["scopekit build library"] / medians["pandoc, review by review"]
    print(
        f"ratio scopekit/pandoc (library, html+docx+pdf): {ratio:.2f}x (target <= {TARGET:.2f})"
        f"  {'ok' if ratio <= TARGET else 'SLOWER'}"
    )


if __name__ == "__main__":
    main()

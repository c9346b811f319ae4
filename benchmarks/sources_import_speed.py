"""How fast is `scopekit sources import` of a 1,000-item Zotero CSL-JSON, start-up included?

The file is made here: 1,000 items as Zotero exports them (reports, articles, web pages,
with authors, dates, DOIs, URLs, abstracts and Extra notes), 10 of them with the DOI or URL
of a source already in the review (merged, not added). Each run is a fresh process:

1. scopekit: `python -m scopekit sources import FILE --dir REVIEW` into a new copy of the
   clean test review (read, merge, append in place, read back to verify, write);
2. baseline: `python -c` loading the same JSON and dumping it as YAML with PyYAML's C
   dumper (no merging, no checks): the least any tool doing this job must spend.

    python benchmarks/sources_import_speed.py [--runs 5] [--items 1000]

Prints the medians, the ratio and the target of issue 16 (< 2 s).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVIEW = ROOT / "tests" / "checks" / "clean"
ENV = {**os.environ, "SCOPEKIT_TODAY": "2026-12-03"}
BASELINE = (
    "import json, sys, yaml; "
    "data = json.load(open(sys.argv[1], encoding='utf-8')); "
    "open(sys.argv[2], 'a', encoding='utf-8').write("
    "yaml.dump(data, Dumper=getattr(yaml, 'CSafeDumper', yaml.SafeDumper), allow_unicode=True))"
)


def zotero_items(count: int) -> list[dict]:
    """`count` items as Zotero's CSL JSON export writes them."""
    kinds = ("report", "article-journal", "webpage")
    items = []
    for n in range(count):
        kind = kinds[n % 3]
        item = {
            "id": f"http://zotero.org/users/1/items/I{n:07d}",
            "type": kind,
            "title": f"Social value in local procurement, part {n}: what councils do",
            "author": [
                {"family": f"Author{n}", "given": "Alex"},
                {"family": "Patel", "given": "Asha"},
            ]
            if kind == "article-journal"
            else [{"literal": "Coventry City Council"}],
            "issued": {"date-parts": [[2000 + n % 25, n % 12 + 1, n % 28 + 1]]},
            "accessed": {"date-parts": [[2024, 6, 3]]},
            "URL": f"https://www.example.org/reports/{n}",
            "abstract": "An abstract of some length. " * 10,
            "note": f"Citation Key: item{n}",
        }
        if kind == "article-journal":
            item.update(
                {
                    "container-title": "Journal of Public Health",
                    "volume": str(n % 50),
                    "issue": str(n % 4 + 1),
                    "page": f"{n}-{n + 10}",
                    "DOI": f"10.1234/jph.{n}",
                }
            )
        else:
            item["publisher"] = "Coventry City Council"
        items.append(item)
    for n, url in enumerate(
        [
            "https://www.sustrans.org.uk/our-blog/get-active/2019/everyday-walking-and-cycling/"
            "what-is-a-school-street"
        ]
        * 10
    ):
        items[n * 7]["URL"] = url  # already a source: merged
    return items


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=ENV, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{command[:5]} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--items", type=int, default=1000)
    args = parser.parse_args()
    ours, plain = [], []
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "zotero.json"
        export.write_text(json.dumps(zotero_items(args.items), ensure_ascii=False))
        for run in range(args.runs + 1):  # the first round warms the caches
            folder = Path(tmp) / f"review-{run}"
            shutil.copytree(REVIEW, folder)
            command = [sys.executable, "-m", "scopekit", "sources", "import", str(export)]
            ours_time = timed([*command, "--dir", str(folder)])
            plain_time = timed([sys.executable, "-c", BASELINE, str(export), str(folder / "x")])
            if run:
                ours.append(ours_time)
                plain.append(plain_time)
            added = (folder / "sources.yaml").read_text().count("\n- id: ")
            expected = 4 + args.items - 10
            if added != expected:
                sys.exit(f"{added} sources after the import, not {expected}")
    ours_median, plain_median = statistics.median(ours), statistics.median(plain)
    verdict = "yes" if ours_median < 2.0 else "NO"
    print(f"json.load + yaml.dump of {args.items} items (baseline) {plain_median * 1000:7.0f} ms")
    print(
        f"scopekit sources import of {args.items} items    {ours_median * 1000:7.0f} ms"
        f"   ratio {ours_median / plain_median:.2f}x baseline   target < 2 s: {verdict}"
    )


if __name__ == "__main__":
    main()

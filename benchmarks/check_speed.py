"""How fast is `scopekit check` (and `check --reporting`) on the example review, against bare
Python start-up?

Runs each command several times in this one run and prints medians and the ratio, then
lists heavy modules (weasyprint, docx, aiohttp, citeproc) that `import scopekit.cli`
pulls in: there should be none.

    python benchmarks/check_speed.py [REVIEW] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("weasyprint", "docx", "aiohttp", "citeproc")


def wall(command: list[str], runs: int) -> float:
    """Median wall time of `command` over `runs` runs (after one warm-up)."""
    # as an installed tool runs: bytecode cached (some shells set PYTHONDONTWRITEBYTECODE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["SCOPEKIT_TODAY"] = "2026-11-25"
    warm = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if warm.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed (exit {warm.returncode}):\n{warm.stderr}")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def heavy_imports() -> list[str]:
    """Top-level packages among HEAVY that `import scopekit.cli` imports."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import scopekit.cli"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    found = set()
    for line in out.splitlines():
        name = line.rsplit("|", 1)[-1].strip().split(".")[0]
        if name in HEAVY:
            found.add(name)
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("review", nargs="?", default=str(ROOT / "reviews" / "social-value"))
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    baseline = wall([sys.executable, "-c", "pass"], args.runs)
    print(f"python start-up (baseline)     {baseline * 1000:7.1f} ms")
    for extra in ([], ["--reporting"]):
        check = wall([sys.executable, "-m", "scopekit", "check", args.review, *extra], args.runs)
        name = f"{Path(args.review).name} {' '.join(extra)}".strip()
        print(
            f"scopekit check {name:<15} {check * 1000:7.1f} ms"
            f"   ratio {check / baseline:5.2f}x baseline   target < 300 ms:"
            f" {'yes' if check < 0.3 else 'NO'}"
        )
    heavy = heavy_imports()
    print("heavy imports in scopekit.cli:", ", ".join(heavy) if heavy else "none")


if __name__ == "__main__":
    main()

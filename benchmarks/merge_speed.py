"""How fast is `scopekit merge --apply`, and `build --changes-since`, on the example review?

Measures in one run, each as a subprocess (start-up included), medians over --runs runs
after one untimed warm-up:

  (a) python start-up and (b) a plain `scopekit check` of the review: the baselines;
  (c) `scopekit merge EDITED.docx REVIEW --apply`, where EDITED.docx is the review's DOCX
      with 20 tracked edits (a word deleted and another inserted, by "Ann Lee", in 20
      paragraphs and list items) and 5 comments, written as Word writes them (w:del/w:ins
      with author and date, comment ranges, comments.xml); the review is copied afresh
      before each run, outside the timing. Target: under 1 s.
  (d) `scopekit build --format docx --force` and (e) the same with `--changes-since` the
      DOCX built before the review's sections were changed (a word in 20 paragraphs).
      Target: (e) at most 1.5 times (d).

The review is copied to a temporary folder, so its own build/ folder is not touched.

    python benchmarks/merge_speed.py [REVIEW] [--runs N]
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
import zipfile
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ANN = {f"{{{W}}}author": "Ann Lee", f"{{{W}}}date": "2026-11-20T10:00:00Z"}
EDITS, COMMENTS = 20, 5
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["SCOPEKIT_TODAY"] = "2026-11-25"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def scopekit(*args: str) -> list[str]:
    return [sys.executable, "-m", "scopekit", *args]


def run(command: list[str], ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    done = subprocess.run(command, env=ENV, capture_output=True, text=True, check=False)
    if done.returncode not in ok:
        sys.exit(
            f"{' '.join(command)} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return done


def wall(command: list[str], runs: int, before=None, ok: tuple[int, ...] = (0,)) -> float:
    """Median wall time of `command` over `runs` runs (after one warm-up); `before()` is
    called before each run, untimed."""
    if before:
        before()
    run(command, ok)
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(command, env=ENV, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _word_run(paragraph) -> tuple[etree._Element, re.Match] | None:
    """A plain text run of the paragraph with a word of five letters or more in it."""
    for r in paragraph.iter(w("r")):
        texts = r.findall(w("t"))
        if len(texts) == 1 and len(r) <= 2 and texts[0].text:
            found = re.search(r"\b[a-z]{5,}\b", texts[0].text)
            if found:
                return r, found
    return None


def _run_like(r, text: str, tag: str = "t") -> etree._Element:
    new = etree.Element(w("r"))
    rpr = r.find(w("rPr"))
    if rpr is not None:
        new.append(etree.fromstring(etree.tostring(rpr)))
    t = etree.SubElement(new, w(tag))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return new


def edited_docx(source: Path, target: Path) -> None:
    """The DOCX with EDITS tracked edits and COMMENTS comments, in Word's shapes."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    record_part = next(
        n
        for n in parts
        if re.fullmatch(r"customXml/item\d+\.xml", n) and b"scopekit:build-record" in parts[n]
    )
    record = json.loads(etree.fromstring(parts[record_part]).text)
    prose = {f"_sk{b['n']}" for b in record["blocks"] if b["kind"] in ("paragraph", "item")}
    candidates = [
        (p, found)
        for p in root.iter(w("p"))
        if (found := _word_run(p)) is not None
        and any(b.get(w("name")) in prose for b in p.iter(w("bookmarkStart")))
    ]
    if len(candidates) < EDITS + COMMENTS:
        sys.exit(f"the review has too few paragraphs to edit ({len(candidates)})")
    number = 900
    for _p, (r, found) in candidates[:EDITS]:
        text = r.find(w("t")).text
        before, word, after = text[: found.start()], found[0], text[found.end() :]
        number += 2
        deleted = etree.Element(w("del"), {w("id"): str(number), **ANN})
        deleted.append(_run_like(r, word, "delText"))
        inserted = etree.Element(w("ins"), {w("id"): str(number + 1), **ANN})
        inserted.append(_run_like(r, word.upper()))
        r.find(w("t")).text = before
        r.addnext(deleted)
        deleted.addnext(inserted)
        inserted.addnext(_run_like(r, after))
    comments = etree.Element(w("comments"), nsmap={"w": W})
    for k, (_p, (r, _found)) in enumerate(candidates[EDITS : EDITS + COMMENTS]):
        r.addprevious(etree.Element(w("commentRangeStart"), {w("id"): str(k)}))
        r.addnext(etree.Element(w("commentRangeEnd"), {w("id"): str(k)}))
        reference = etree.Element(w("r"))
        etree.SubElement(reference, w("commentReference"), {w("id"): str(k)})
        r.getnext().addnext(reference)
        comment = etree.SubElement(comments, w("comment"), {w("id"): str(k), **ANN})
        etree.SubElement(
            etree.SubElement(etree.SubElement(comment, w("p")), w("r")), w("t")
        ).text = f"Comment {k + 1}: is this right?"
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    parts["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8")
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdBench1" Type="{REL}/comments" Target="comments.xml"/>'
        "</Relationships>",
    ).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.comments+xml"/></Types>',
    ).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


_PROSE_WORD = re.compile(r"(?<![\w@/-])(social|value|council|health)(?![\w-])")


def change_sections(review: Path, count: int) -> None:
    """One word changed in `count` paragraphs of the section files (for --changes-since): a
    word of the prose, never part of a citation key, link target or hyphenated word (a key
    such as `@west-sussex-social-value-framework` made `…-SOCIAL-…` cites no source, and
    its paragraph can print the same text: 19 changes tracked, not 20)."""
    left = count
    for path in sorted(review.glob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for k, line in enumerate(lines):
            found = _PROSE_WORD.search(line)
            if left and found and not line.startswith("#"):
                lines[k] = line[: found.start()] + found[0].upper() + line[found.end() :]
                left -= 1
        path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("review", nargs="?", default=str(ROOT / "reviews" / "social-value"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="merge-speed-") as tmp:
        work = Path(tmp)
        pristine = work / "pristine" / Path(args.review).name
        shutil.copytree(args.review, pristine, ignore=shutil.ignore_patterns("build", ".scopekit"))
        run(scopekit("build", str(pristine), "--format", "docx"))
        built = next((pristine / "build").glob("*.docx"))
        edited = work / "edited.docx"
        edited_docx(built, edited)
        review = work / pristine.name

        def fresh() -> None:
            if review.exists():
                shutil.rmtree(review)
            shutil.copytree(pristine, review)

        fresh()
        result = json.loads(run(scopekit("merge", str(edited), str(review), "--json")).stdout)
        changed = sum(
            line.startswith("+") and not line.startswith("+++")
            for f in result["files"]
            for line in f["diff"].split("\n")
        )
        baseline = wall([sys.executable, "-c", "pass"], args.runs)
        check = wall(scopekit("check", str(pristine)), args.runs, ok=(0, 1))
        merge = wall(scopekit("merge", str(edited), str(review), "--apply"), args.runs, fresh)

        fresh()
        earlier = work / "earlier.docx"
        shutil.copy(built, earlier)
        change_sections(review, EDITS)
        plain_cmd = scopekit("build", str(review), "--format", "docx", "--force")
        plain = wall(plain_cmd, args.runs)
        since = wall([*plain_cmd, "--changes-since", str(earlier)], args.runs)
        document = zipfile.ZipFile(review / "build" / built.name).read("word/document.xml")
        tracked = document.count(b"<w:ins ")

    print(f"python start-up (baseline)             {baseline * 1000:7.1f} ms")
    print(f"scopekit check (baseline)              {check * 1000:7.1f} ms")
    print(
        f"merge --apply, {EDITS} edits {COMMENTS} comments   {merge * 1000:7.1f} ms"
        f"   {merge / baseline:5.1f}x start-up  {merge / check:4.2f}x check"
        f"   target < 1 s: {'yes' if merge < 1 else 'NO'}"
        f"   ({changed} lines changed, {result['comments']} comments merged)"
    )
    print(f"build docx                             {plain * 1000:7.1f} ms")
    print(
        f"build docx --changes-since             {since * 1000:7.1f} ms"
        f"   {since / plain:4.2f}x plain"
        f"   target <= 1.50x: {'yes' if since <= plain * 1.5 else 'NO'}"
        f"   ({tracked} insertions tracked)"
    )


if __name__ == "__main__":
    main()

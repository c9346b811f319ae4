"""DOCX inputs for the import tests and benchmark, made in code (no binary fixtures).

pandoc (the `pypandoc-binary` wheel) turns Markdown with `[^n]` notes into a DOCX; the
original social-value briefing (../shared/seed/) is first turned into such Markdown. Messy
variants are made by rewriting the package's XML with lxml.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

REPO_ROOT = Path(__file__).resolve().parents[1]
# The original briefing: the shared seed when it is beside the repo, else the copy in tests/data
# (test_docs checks they are the same).
SHARED_SEED = REPO_ROOT.parent / "shared" / "seed" / "social-value-briefing.md"
SEED = SHARED_SEED if SHARED_SEED.is_file() else REPO_ROOT / "tests" / "data" / SHARED_SEED.name
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PANDOC_INPUT = "markdown-smart-subscript-superscript"

# The seed's headings are plain lines; their levels as the example review has them.
SEED_HEADINGS = {
    "Background": 1,
    "Methods": 1,
    "Findings": 1,
    "Examples from the West Midlands: Sandwell and Solihull": 2,
    "Sandwell": 3,
    "Solihull": 3,
    "Results from health-focused organisations": 2,
}
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_NOTE_LINE = re.compile(r"^([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(.*)$")
_MARKS = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\^\{([\d,]+)\}")
# "[url](url)" whose target holds an unbalanced "(": the URL ends before ")" + a stop or space
_BROKEN_LINK = re.compile(r"^\[[^\n]*?\]\((https?://.*?)\)(?=[.\s]|$)")


def w(tag: str) -> str:
    """A qualified WordprocessingML name."""
    return f"{{{W_NS}}}{tag}"


def _note_marks(match: re.Match[str]) -> str:
    numbers = match[1].split(",") if match[1] else [match[0].translate(_SUPERSCRIPT)]
    return "".join(f"[^{n}]" for n in numbers)


def seed_markdown(text: str) -> str:
    """The seed briefing as pandoc Markdown: superscript marks and "¹ <url> (accessed …)"
    lines become `[^n]` notes; heading lines become headings; "(#)" links stay."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    title, body_lines = lines[0].strip(), lines[1:]
    notes: dict[int, str] = {}
    body: list[str] = []
    for line in body_lines:
        note = _NOTE_LINE.match(line.strip())
        if note:
            notes[int(note[1].translate(_SUPERSCRIPT))] = _BROKEN_LINK.sub(r"<\1>", note[2])
        elif line.strip() in SEED_HEADINGS:
            body.append("#" * SEED_HEADINGS[line.strip()] + " " + line.strip())
        else:
            body.append(_MARKS.sub(_note_marks, line))
    paragraphs = _join_split_items("\n".join(body))
    definitions = "\n\n".join(f"[^{n}]: {notes[n]}" for n in sorted(notes))
    return f"% {title}\n\n{paragraphs}\n\n{definitions}\n"


def _join_split_items(text: str) -> str:
    """A list item the PDF's page break split (ending in a comma, the notes between) as one."""
    return re.sub(r"(\n- [^\n]*,)\n\s*\n- (?=\d\))", r"\1 ", re.sub(r"\n{3,}", "\n\n", text))


def pandoc_docx(markdown: str, out: Path) -> Path:
    """Markdown to DOCX with pandoc."""
    import pypandoc

    pypandoc.convert_text(markdown, "docx", format=PANDOC_INPUT, outputfile=str(out))
    return out


def seed_docx(out: Path) -> Path:
    """The original social-value briefing as a DOCX (as if an analyst had written it in Word)."""
    return pandoc_docx(seed_markdown(SEED.read_text(encoding="utf-8")), out)


def rewrite(path: Path, part: str, change: Callable[[etree._Element], None], out: Path) -> Path:
    """A copy of the DOCX at `path` with one XML part changed in place by `change`."""
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    root = etree.fromstring(entries[part])
    change(root)
    entries[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    out.write_bytes(buffer.getvalue())
    return out

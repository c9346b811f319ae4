"""Citations to notes: number every citation in reading order, format each source once.

Reference text comes from citeproc-py and a CSL style (the house style by default). The
result, `Notes`, is computed once per build and shared by every renderer, so the HTML, PDF
and DOCX notes cannot disagree. citeproc-py formats to plain text here; renderers escape it
and make the URL a link themselves (citeproc-py's HTML output escapes nothing).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from scopekit.dates import DateError, parse_iso
from scopekit.errors import ScopekitError, StyleError
from scopekit.paths import is_file, templates_dir
from scopekit.review import Review, Source
from scopekit.schema import CSL_DATE_VARIABLES, CSL_VARIABLES
from scopekit.write import write_atomic

_DOUBLE_STOP = re.compile(r"([?!.])\.(?=\s|$)")
_NOT_CSL = {"remark", "archived"}


@dataclass(frozen=True)
class Run:
    """A piece of note text; `href` makes it a link."""

    text: str
    href: str | None = None


@dataclass(frozen=True)
class Note:
    """One numbered footnote: the full reference at a source's first citation, else `As N`."""

    number: int
    source_id: str
    runs: tuple[Run, ...]
    first: int | None = None

    @property
    def text(self) -> str:
        """The note as plain text."""
        return "".join(run.text for run in self.runs)


@dataclass
class Notes:
    """Every note of a briefing, the reference of every source, and the sources only linked."""

    notes: list[Note] = field(default_factory=list)
    references: dict[str, tuple[Run, ...]] = field(default_factory=dict)
    other_sources: list[str] = field(default_factory=list)


def resolve_style(name: str, review_root: Path) -> Path:
    """The CSL file a review's `citation_style` names.

    Looked up as a house style under templates/csl/, then as a path from the review folder,
    then among citeproc-py's bundled styles.
    """
    file = name if name.endswith(".csl") else f"{name}.csl"
    for candidate in (templates_dir() / "csl" / file, review_root / file):
        if is_file(candidate):
            return candidate
    spec = importlib.util.find_spec("citeproc")  # its bundled styles, without importing it
    if (
        spec
        and spec.origin
        and is_file(bundled := Path(spec.origin).parent / "data" / "styles" / file)
    ):
        return bundled
    shipped = sorted(p.stem for p in (templates_dir() / "csl").glob("*.csl"))
    raise StyleError(
        f"citation style '{name}' not found",
        f"name a .csl file in the review folder, or one of: {', '.join(shipped)}, "
        "harvard-cite-them-right",
    )


def csl_item(source: Source) -> dict:
    """The source as a CSL-JSON item citeproc-py can format (dates as date-parts)."""
    item: dict = {"id": source.id, "type": source.type or "document"}
    for key, value in source.raw.items():
        if key in _NOT_CSL or key in ("id", "type") or key not in CSL_VARIABLES:
            continue
        if key in CSL_DATE_VARIABLES:
            try:
                item[key] = {"date-parts": [parse_iso(value).parts()]}
            except DateError:
                continue
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, (str, int, float)):
            item[key] = str(value)
        elif isinstance(value, list) and all(isinstance(n, dict) for n in value):
            item[key] = [
                {k: str(v) for k, v in n.items() if isinstance(v, (str, int))} for n in value
            ]
        elif isinstance(value, list) and all(isinstance(n, str) for n in value):
            item[key] = [{"literal": n} for n in value]
    return item


def _runs(text: str, url: str | None) -> tuple[Run, ...]:
    """Split reference text into runs, making the URL (where it appears) a link."""
    text = _DOUBLE_STOP.sub(r"\1", text)
    if url and url in text:
        before, after = text.split(url, 1)
        return tuple(run for run in (Run(before), Run(url, url), Run(after)) if run.text)
    return (Run(text),)


def format_references(
    sources: list[Source], style_path: Path, locale: str, cache: Path | None = None
) -> dict[str, str]:
    """Reference text for each source, formatted once by citeproc-py.

    With `cache` (a JSON file), the result is kept and reused while the style, the locale
    and every source are unchanged: a rebuild then needs no citeproc-py at all.
    """
    items = [csl_item(source) for source in sources]
    try:
        style_text = style_path.read_bytes()
    except OSError as exc:
        raise StyleError(f"cannot read citation style {style_path}: {exc.strerror}") from None
    key = hashlib.sha256(
        style_text + locale.encode() + json.dumps(items, sort_keys=True).encode()
    ).hexdigest()
    cached = _read_cache(cache, key)
    if cached is not None:
        return cached
    result = _citeproc(items, style_path, locale)
    if cache is not None:
        with contextlib.suppress(ScopekitError):
            write_atomic(cache, json.dumps({"key": key, "references": result}).encode())
    return result


def _read_cache(cache: Path | None, key: str) -> dict[str, str] | None:
    if cache is None:
        return None
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    references = data.get("references")
    if not isinstance(references, dict):
        return None
    return {str(k): str(v) for k, v in references.items()}


_STYLE_HINT = (
    "check the .csl file (a macro it names but does not define, a misspelt attribute?), "
    "or use citation_style: coventry-hdrc"
)


def _citeproc(items: list[dict], style_path: Path, locale: str) -> dict[str, str]:
    """Format CSL items with citeproc-py: id → plain reference text."""
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    try:
        style = CitationStylesStyle(str(style_path), locale=locale, validate=False)
    except Exception as exc:  # citeproc-py raises many kinds for a bad style or locale
        try:
            style = CitationStylesStyle(str(style_path), locale="en-GB", validate=False)
        except Exception:
            raise StyleError(
                f"cannot read citation style {style_path.name}: {exc}", _STYLE_HINT
            ) from None

    def render(items: list[dict]) -> dict[str, str]:
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
        return {key: str(entry) for key, entry in zip(bibliography.keys, entries)}

    try:
        return render(items)
    except Exception:  # one odd item must not lose every reference: format them one by one
        result = {}
        for item in items:
            try:
                result.update(render([item]))
            except Exception:
                basic = {
                    k: item[k]
                    for k in ("id", "type", "title", "publisher", "URL", "accessed")
                    if k in item
                }
                try:
                    result.update(render([basic]))
                except Exception as exc:  # the style itself is broken, not the item
                    raise StyleError(
                        f"citation style {style_path.name} cannot format a reference "
                        f"({type(exc).__name__}: {exc})",
                        _STYLE_HINT,
                    ) from None
        return result


def build_notes(review: Review) -> Notes:
    """Number the citations of every section in reading order; annotate citation tokens.

    Each citation token gets `meta["notes"]`: the note numbers it produces (consecutive for
    `[@a; @b]`). The first citation of a source carries its reference; later ones `As N`.
    """
    index = review.source_index()
    unique = list(index.values())
    style = resolve_style(review.meta.citation_style, review.root)
    cache = review.root / ".scopekit" / "references.json"
    texts = format_references(unique, style, review.meta.language, cache)
    references = {s.id: _runs(texts.get(s.id, s.title or s.id), s.url) for s in unique}
    notes = Notes(references=references)
    first_note: dict[str, int] = {}
    linked: list[str] = []
    for section in review.sections:
        for token in _citation_tokens(section.markdown.tokens):
            numbers = []
            for key in token.meta["keys"]:
                number = len(notes.notes) + 1
                numbers.append(number)
                if key in first_note:
                    runs = (Run(f"As {first_note[key]}"),)
                    notes.notes.append(Note(number, key, runs, first_note[key]))
                    continue
                first_note[key] = number
                runs = references.get(key) or (Run(f"[unknown source: {key}]"),)
                notes.notes.append(Note(number, key, runs))
            token.meta["notes"] = numbers
        linked.extend(link.source_key for link in section.markdown.links if link.source_key)
    seen = set(first_note)
    for key in linked:
        if key in index and key not in seen:
            seen.add(key)
            notes.other_sources.append(key)
    return notes


def _citation_tokens(tokens):
    for token in tokens:
        if token.children:
            yield from (child for child in token.children if child.type == "citation")

"""Reference text through citeproc-py: the CSL style, each source once, each citation item.

`format_texts` gives the plain text of every source's reference (the bibliography entry),
of every citation item with a prefix, locator or suffix (the style's citation layout, for a
note style; the reference and the formatted locator otherwise), and of every locator alone
(for "As N, p. 4"). citeproc-py formats to plain text here; renderers escape it and make
the URL a link themselves (citeproc-py's HTML output escapes nothing).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
from dataclasses import dataclass, field
from pathlib import Path

from scopekit.atomic import write_atomic
from scopekit.citation_syntax import CiteItem, plural_locator
from scopekit.errors import ScopekitError, StyleError
from scopekit.isodates import DateError, parse_iso
from scopekit.paths import is_file, templates_dir
from scopekit.review import Source
from scopekit.review.markdown import plain_inline
from scopekit.schema import CSL_DATE_VARIABLES, CSL_NAME_VARIABLES, CSL_VARIABLES, csl_names

_NOT_CSL = {"remark", "archived"}
# raised whenever the same items would now be formatted differently (2: plural locators)
_CACHE_VERSION = b"2"
_CSL = "{http://purl.org/net/xbiblio/csl}"  # the CSL namespace, as ElementTree writes it
_SUPPRESSED = "--scopekit-no-author"
# the locator alone, in the review's language: "p. 4", "pp. 4–5", "ch. 2"
_LOCATOR_CSL = b"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Locator</title><id>scopekit-locator</id>
  <updated>2026-12-03T00:00:00+00:00</updated></info>
  <citation><layout><group delimiter=" "><label variable="locator" form="short"/>
  <text variable="locator"/></group></layout></citation>
</style>"""


@dataclass
class Texts:
    """Plain texts from citeproc-py: by source id, by citation item, by (label, locator)."""

    references: dict[str, str] = field(default_factory=dict)
    citations: dict[CiteItem, str] = field(default_factory=dict)
    locators: dict[tuple[str, str], str] = field(default_factory=dict)


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


def csl_problem(path: Path) -> str | None:
    """Why the file is no CSL style scopekit can use (not XML, not a CSL <style>, no
    bibliography layout, a macro named but not defined), or None.

    Read in one pass with expat (no tree, and no ElementTree to import: `check` runs this)."""
    from xml.parsers import expat

    tags: list[str] = []  # the open elements, root first
    found = {"layout": False}
    defined: set[str | None] = set()
    used: list[str] = []
    roots: list[str] = []  # the root element's tag

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = "{" + tag if "}" in tag else tag  # as ElementTree names it
        if tags == [f"{_CSL}style", f"{_CSL}bibliography"] and tag == f"{_CSL}layout":
            found["layout"] = True
        if tag == f"{_CSL}macro":
            defined.add(attrs.get("name"))
        if "macro" in attrs:
            used.append(attrs["macro"])
        if not tags:
            roots.append(tag)
        tags.append(tag)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: tags.pop()
    try:
        with open(path, "rb") as handle:
            parser.ParseFile(handle)
    except (OSError, expat.ExpatError) as exc:
        return f"is not readable XML ({exc})"
    if roots[0] != f"{_CSL}style":
        return f"is not a CSL style (its root is <{roots[0].rpartition('}')[2]}>)"
    if not found["layout"]:
        return "has no <bibliography> with a <layout>: scopekit's notes are its bibliography"
    for name in used:
        if name not in defined:
            return f"uses the macro '{name}', which it does not define"
    return None


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
        elif key in CSL_NAME_VARIABLES:
            if names := csl_names(value):
                item[key] = names
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


def format_texts(
    sources: list[Source],
    items: list[CiteItem],
    style_path: Path,
    locale: str,
    cache: Path | None = None,
    save: bool = True,
) -> Texts:
    """Every reference, citation item and locator text, formatted once by citeproc-py.

    With `cache` (a JSON file), the result is kept and reused while the style, the locale,
    every source and every citation item are unchanged: a rebuild then needs no citeproc-py.
    `save=False` only reads that file (`serve` writes nothing into the review folder); what
    it would have written waits for `save_later` (a build's preload saves it once the build
    goes ahead). The last few results are also kept in memory, for a process that rebuilds
    (`serve`).
    """
    csl = [csl_item(source) for source in sources]
    specs = sorted({_spec(item) for item in items if not item.plain})
    try:
        style_text = style_path.read_bytes()
    except OSError as exc:
        raise StyleError(f"cannot read citation style {style_path}: {exc.strerror}") from None
    key = hashlib.sha256(
        _CACHE_VERSION
        + style_text
        + locale.encode()
        + json.dumps([csl, specs], sort_keys=True).encode()
    ).hexdigest()
    cached = _MEMORY.get(key)  # another review with the same sources, or a rebuild in `serve`
    read = False
    if cached is None:
        cached = _read_cache(cache, key)
        read = cached is not None
        if cached is None:
            cached = _citeproc(csl, [CiteItem(*spec) for spec in specs], style_path, locale)
        _remember(key, cached)
    if cache is not None and not read:
        _UNSAVED[cache] = key, cached
        if save:
            save_later(cache)
    return _copy(cached)


def save_later(cache: Path) -> None:
    """Write the cache file `cache` that a `format_texts(..., save=False)` left unwritten,
    if it did and the file does not hold that result already (a cache that cannot be
    written is no error)."""
    unsaved = _UNSAVED.pop(cache, None)
    if unsaved is None or _cache_holds(cache, unsaved[0]):
        return
    key, texts = unsaved
    data = {
        "key": key,
        "references": texts.references,
        "citations": [[list(_spec(i)), text] for i, text in texts.citations.items()],
        "locators": [[*pair, text] for pair, text in texts.locators.items()],
    }
    with contextlib.suppress(ScopekitError):
        write_atomic(cache, json.dumps(data).encode())


_MEMORY: dict[str, Texts] = {}
_MEMORY_SIZE = 8
# cache files a `format_texts(..., save=False)` would have written: key and texts
_UNSAVED: dict[Path, tuple[str, Texts]] = {}


def _remember(key: str, texts: Texts) -> None:
    """Keep `texts` in memory, dropping the oldest beyond `_MEMORY_SIZE`."""
    _MEMORY[key] = texts
    while len(_MEMORY) > _MEMORY_SIZE:
        _MEMORY.pop(next(iter(_MEMORY)))


def _copy(texts: Texts) -> Texts:
    """A copy the caller may change without changing what is remembered."""
    return Texts(dict(texts.references), dict(texts.citations), dict(texts.locators))


def _cache_holds(cache: Path, key: str) -> bool:
    """Whether the cache file already holds the result for `key` (its first field)."""
    try:
        with cache.open(encoding="utf-8") as file:
            return f'"key": "{key}"' in file.read(100)
    except (OSError, ValueError):
        return False


def _spec(item: CiteItem) -> tuple:
    return (
        item.key,
        item.prefix,
        item.locator,
        item.label,
        item.suffix,
        item.suppress_author,
    )


def _read_cache(cache: Path | None, key: str) -> Texts | None:
    if cache is None:
        return None
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("key") != key:
            return None
        return Texts(
            {str(k): str(v) for k, v in data["references"].items()},
            {CiteItem(*spec): str(text) for spec, text in data["citations"]},
            {(str(label), str(value)): str(text) for label, value, text in data["locators"]},
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


_STYLE_HINT = (
    "check the .csl file (a macro it names but does not define, a misspelt attribute?), "
    "or use citation_style: coventry-hdrc"
)


def _citeproc(items: list[dict], cites: list[CiteItem], style_path: Path, locale: str) -> Texts:
    """Format CSL items and citation items with citeproc-py."""
    from citeproc import CitationStylesStyle

    from scopekit.citeproc_patches import install

    install()

    try:
        style = CitationStylesStyle(str(style_path), locale=locale, validate=False)
    except Exception as exc:  # citeproc-py raises many kinds for a bad style or locale
        try:
            style = CitationStylesStyle(str(style_path), locale="en-GB", validate=False)
            locale = "en-GB"
        except Exception:
            why = csl_problem(style_path) or f"cannot be read: {exc}"
            raise StyleError(f"citation style {style_path.name} {why}", _STYLE_HINT) from None
    texts = Texts(references=_bibliography(style, items, style_path))
    if not cites:
        return texts
    for cite in cites:
        if cite.locator:
            texts.locators.setdefault((cite.label, cite.locator), "")
    texts.locators = _locators(list(texts.locators), locale)
    by_id = {item["id"].lower(): item for item in items}
    note_style = style.root.get("class") == "note"
    for cite in cites:
        texts.citations[cite] = _citation_text(style, note_style, by_id, cite, texts)
    return texts


def _bibliography(style, items: list[dict], style_path: Path) -> dict[str, str]:
    """id → plain reference text (the style's bibliography entry)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    def render(items: list[dict]) -> dict[str, str]:
        bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
        return {key: str(entry) for key, entry in zip(bibliography.keys, entries)}

    try:
        return _original_ids(render(items), items)
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
        return _original_ids(result, items)


def _original_ids(texts: dict[str, str], items: list[dict]) -> dict[str, str]:
    """citeproc-py lower-cases ids: give each text back its source's own id."""
    return {item["id"]: texts[item["id"].lower()] for item in items if item["id"].lower() in texts}


def _cite(style, items: list[dict], cite: CiteItem, key: str) -> str:
    """One citation item through the style's citation layout, as a first citation."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source import Locator
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    extra = {}
    if cite.locator:
        extra["locator"] = locator = Locator(cite.label, cite.locator)
        locator.plural = plural_locator(cite.locator)  # read by citeproc_patches
    for name in ("prefix", "suffix"):  # their Markdown is styled by notes.py, around this
        if value := plain_inline(getattr(cite, name)):
            extra[name] = value if name == "suffix" else f"{value} "
    citation = Citation([CitationItem(key, **extra)])
    bibliography.register(citation)
    style.root.citation.cites = []  # every note is a first citation: "As N" is scopekit's
    return str(bibliography.cite(citation, lambda item: None))


def _locators(pairs: list[tuple[str, str]], locale: str) -> dict[tuple[str, str], str]:
    """Each (label, locator) formatted alone, with the locale's terms: `pp. 4–5`."""
    import io

    from citeproc import CitationStylesStyle

    style = CitationStylesStyle(io.BytesIO(_LOCATOR_CSL), locale=locale, validate=False)
    item = [{"id": "locator", "type": "book", "title": "locator"}]
    result = {}
    for label, value in pairs:
        try:
            text = _cite(style, item, CiteItem("locator", locator=value, label=label), "locator")
        except Exception:
            text = ""
        result[(label, value)] = text.strip() or f"{label} {value}"
    return result


def _citation_text(style, note_style: bool, by_id: dict, cite: CiteItem, texts: Texts) -> str:
    """A first citation with prefix, locator or suffix, as the style formats it."""
    item = by_id.get(cite.key.lower())
    reference = texts.references.get(item["id"] if item else cite.key, cite.key)
    if note_style and item is not None:
        key = item["id"]
        if cite.suppress_author:
            key = f"{key}{_SUPPRESSED}"
            item = {k: v for k, v in item.items() if k != "author"} | {"id": key}
        try:
            return _cite(style, [item], cite, key)
        except Exception:  # an item this style cannot cite: the reference and the locator
            pass
    parts = [plain_inline(cite.prefix), reference]
    if cite.locator:
        parts[-1] = parts[-1].rstrip(".") + ","
        parts.append(texts.locators.get((cite.label, cite.locator), cite.locator))
    return " ".join(p for p in parts if p) + plain_inline(cite.suffix)

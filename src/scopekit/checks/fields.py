"""Fields: required ones present and of the right kind, unknown ones named, sections found."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from scopekit.checks.registry import Context, rule
from scopekit.isodates import describe
from scopekit.paths import inside, is_dir
from scopekit.problems import Problem, error, warning
from scopekit.review.fields import Date, Record, Url
from scopekit.review.load import section_path
from scopekit.review.mappings import Group
from scopekit.review.model import (
    REVIEW_FILE,
    SEARCHES_FILE,
    SOURCES_FILE,
    Author,
    Metadata,
    Search,
    Source,
)
from scopekit.review.yaml_reader import YamlList, YamlMap
from scopekit.schema import CSL_NAME_PARTS, CSL_NAME_VARIABLES, CSL_TYPES, CSL_VARIABLES


def closest(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates most like `word` (case-insensitive), best first."""
    by_lower: dict[str, str] = {}
    for candidate in candidates:
        by_lower.setdefault(candidate.lower(), candidate)
    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=n, cutoff=0.6)
    return [by_lower[m] for m in matches]


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidates, or None."""
    options = closest(word, candidates)
    return f"did you mean {' or '.join(repr(o) for o in options)}?" if options else None


def _unknown(data: YamlMap, known: Iterable[str], file: str, what: str) -> Iterator[Problem]:
    known = list(known)
    known_set = set(known)
    given = {key.lower(): key for key in data if key in known_set}
    for key in data:
        if key not in known_set:
            twin = given.get(key.lower())  # `url:` beside `URL:`
            yield warning(
                "unknown-field",
                file,
                data.lines.get(key),
                f"unknown field '{key}' in {what}",
                f"'{twin}' is given too: keep one of them"
                if twin
                else did_you_mean(key, known) or f"known fields: {', '.join(known)}",
            )


def _fields(data: YamlMap, record: type[Record], file: str, line: int | None, what: str):
    """missing-field for required fields that are absent, and for values of the wrong kind."""
    for spec in record.fields():
        value = data.get(spec.name)
        if value is None or (spec.required and value in spec.blank):
            if spec.required:
                present = spec.name in data
                message, hint = spec.missing(what, present)
                where = data.lines.get(spec.name, line) if present else line
                yield error("missing-field", file, where, message, hint)
            continue
        unfit = spec.unfit(value)
        if unfit:
            yield error(
                "missing-field",
                file,
                data.lines.get(spec.name, line),
                f"{what}: {unfit.message}",
                unfit.hint or f"{spec.help.rstrip('.')}: write {spec.looks_like}",
            )


def _groups(data: YamlMap, record: type[Record], file: str, what: str) -> Iterator[Problem]:
    """The fields of each mapping a `Group` field holds (`eligibility:`), and theirs, as
    fields of their own: unknown keys named, values of the wrong kind reported."""
    for spec in record.fields():
        value = data.get(spec.name)
        if isinstance(spec, Group) and isinstance(value, YamlMap):
            inner = f"'{spec.name}' in {what}"
            yield from _unknown(value, spec.record.names(), file, inner)
            yield from _fields(value, spec.record, file, data.lines.get(spec.name), inner)
            yield from _groups(value, spec.record, file, inner)


@rule
def review_fields(ctx: Context) -> Iterator[Problem]:
    """review.yaml: required fields, kinds, authors, unknown keys."""
    meta = ctx.review.meta
    raw = meta.raw
    yield from _unknown(raw, Metadata.names(), REVIEW_FILE, REVIEW_FILE)
    yield from _fields(raw, Metadata, REVIEW_FILE, None, REVIEW_FILE)
    yield from _groups(raw, Metadata, REVIEW_FILE, REVIEW_FILE)
    authors = raw.get("authors")
    if isinstance(authors, YamlList):
        for author, line in zip(authors, authors.lines):
            if isinstance(author, YamlMap):
                yield from _unknown(author, Author.names(), REVIEW_FILE, "an author")
                yield from _fields(author, Author, REVIEW_FILE, author.line, "an author")
            elif not isinstance(author, str):
                yield error(
                    "missing-field",
                    REVIEW_FILE,
                    line,
                    f"an author must be a name or 'name:' and 'affiliation:', not "
                    f"{describe(author)}",
                )
    elif isinstance(authors, YamlMap):
        yield error(
            "missing-field",
            REVIEW_FILE,
            raw.lines.get("authors"),
            "'authors' must be a list of authors",
            "write '- name: …' under authors:",
        )


@rule
def sections(ctx: Context) -> Iterator[Problem]:
    """Every section file named in review.yaml exists inside the folder."""
    meta = ctx.review.meta.raw
    raw = meta.get("sections")
    if isinstance(raw, YamlList):
        items, lines = list(raw), raw.lines
    elif isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        items, lines = [raw], [meta.lines.get("sections")]  # a single file name
    else:
        items, lines = [], []
    seen: set[str] = set()
    for item, line in zip(items, lines):
        if isinstance(item, (dict, list)) or item is None:
            yield error(
                "missing-field",
                REVIEW_FILE,
                line,
                f"a sections entry must be a file name, not {describe(item)}",
            )
            continue
        name = str(item)
        if section_path(ctx.review.root, name) is None and is_dir(ctx.review.root / name):
            yield error(
                "missing-section",
                REVIEW_FILE,
                line,
                f"section '{name}' is a folder, not a file",
                "sections are Markdown files: name the .md file itself",
            )
        elif section_path(ctx.review.root, name) is None:
            outside = inside(ctx.review.root, name) is None
            yield error(
                "missing-section",
                REVIEW_FILE,
                line,
                f"section '{name}' is outside the review folder"
                if outside
                else f"section file '{name}' not found",
                "sections are Markdown files inside the review folder"
                if outside
                else did_you_mean(name, _markdown_files(ctx)) or "create the file or fix the name",
            )
        elif name in seen:
            yield error(
                "missing-section",
                REVIEW_FILE,
                line,
                f"section '{name}' is listed twice",
                "list each section file once",
            )
        seen.add(name)


@rule
def styles(ctx: Context) -> Iterator[Problem]:
    """The house style and the citation style that review.yaml names can be found and read,
    as build would find them (`unknown-style`)."""
    from scopekit.cite import csl_problem, resolve_style
    from scopekit.errors import StyleError
    from scopekit.theme import review_theme

    meta = ctx.review.meta
    try:
        review_theme(ctx.review)
    except StyleError as exc:
        yield error(
            "unknown-style", REVIEW_FILE, meta.line_of("house_style"), exc.message, exc.hint
        )
    try:
        problem = csl_problem(resolve_style(meta.citation_style, ctx.review.root))
    except StyleError as exc:
        yield error(
            "unknown-style", REVIEW_FILE, meta.line_of("citation_style"), exc.message, exc.hint
        )
    else:
        if problem:
            yield error(
                "unknown-style",
                REVIEW_FILE,
                meta.line_of("citation_style"),
                f"citation style '{meta.citation_style}' {problem}",
                "fix the .csl file, or choose another style: coventry-hdrc, "
                "harvard-cite-them-right, or one from https://www.zotero.org/styles",
            )


def _markdown_files(ctx: Context) -> list[str]:
    try:
        return sorted(p.name for p in ctx.review.root.glob("*.md"))
    except OSError:
        return []


@rule
def search_fields(ctx: Context) -> Iterator[Problem]:
    """searches.yaml: known keys, values of the right kind."""
    for search in ctx.review.searches:
        name = f"search '{search.id}'" if search.id else "a search"
        yield from _unknown(search.raw, Search.names(), SEARCHES_FILE, name)
        yield from _fields(search.raw, Search, SEARCHES_FILE, search.line, name)


@rule
def source_fields(ctx: Context) -> Iterator[Problem]:
    """sources.yaml: type and title present, keys are CSL variables or scopekit's own."""
    known = set(CSL_VARIABLES) | set(Source.names())
    for source in ctx.review.sources:
        yield from _unknown(source.raw, sorted(known), SOURCES_FILE, f"source '{source.id}'")
        if source.type and source.type not in CSL_TYPES:
            yield _unknown_type(source)
        yield from _name_parts(source)
        for spec in Source.fields():
            if isinstance(spec, (Url, Date)):
                continue  # judged by the link and date rules
            value = source.raw.get(spec.name)
            unfit = spec.unfit(value) if spec.name in source.raw else None
            if spec.required and (spec.name not in source.raw or value in (None, "")):
                yield error(
                    "missing-field",
                    SOURCES_FILE,
                    source.line_of(spec.name),  # an empty `type:`, else the entry
                    f"source '{source.id}' has no '{spec.name}'",
                    f"add '{spec.name}:' ({spec.help})",
                )
            elif unfit:
                yield error(
                    "missing-field",
                    SOURCES_FILE,
                    source.line_of(spec.name),
                    f"source '{source.id}': {unfit.message}",
                    unfit.hint or spec.help,
                )


def _name_parts(source: Source) -> Iterator[Problem]:
    """unknown-field for a name's part that CSL has not (`givn:`, `name:`): it is not
    printed (a name of one such part is printed as written, a literal name)."""
    for variable in sorted(CSL_NAME_VARIABLES & set(source.raw)):
        value = source.raw[variable]
        for name in value if isinstance(value, list) else [value]:
            if not isinstance(name, dict):
                continue
            for part in name:
                if part not in CSL_NAME_PARTS:
                    yield warning(
                        "unknown-field",
                        SOURCES_FILE,
                        source.line_of(variable),
                        f"source '{source.id}': '{variable}' has a part '{part}', which is "
                        "no part of a CSL name",
                        did_you_mean(part, list(CSL_NAME_PARTS))
                        or "write 'family:' and 'given:', or 'literal:' for a body's name",
                    )


# What people call a CSL type, word for word: `journal article` is `article-journal`.
_TYPE_NAMES = {
    "journal article": "article-journal",
    "newspaper article": "article-newspaper",
    "magazine article": "article-magazine",
    "blog post": "post-weblog",
    "web page": "webpage",
    "website": "webpage",
    "book chapter": "chapter",
    "conference paper": "paper-conference",
}


def _unknown_type(source: Source) -> Problem:
    """unknown-field for a `type` that is no CSL item type (`web page`), with the closest."""
    kind = source.type or ""
    same = [t for t in CSL_TYPES if t == kind.lower()]  # `Webpage`: CSL types are lower case
    named = _TYPE_NAMES.get(" ".join(kind.lower().replace("-", " ").split()))
    options = same or ([named] if named else closest(kind, sorted(CSL_TYPES)))
    return warning(
        "unknown-field",
        SOURCES_FILE,
        source.line_of("type"),
        f"source '{source.id}': type '{kind}' is not a CSL item type",
        f"did you mean {' or '.join(repr(o) for o in options)}?"
        if options
        else "use a CSL item type: webpage, report, article-journal, document, post-weblog, "
        "video, book, chapter…",
    )

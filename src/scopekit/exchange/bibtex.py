"""BibTeX and BibLaTeX, read with bibtexparser (names split by its rules, LaTeX decoded by
pylatexenc) and written as UTF-8 BibLaTeX that Zotero imports."""

from __future__ import annotations

import logging
import re

from scopekit.exchange.model import Item, Reading, ordered, text
from scopekit.metadata.model import MONTH_NUMBERS, iso_date
from scopekit.schema import CSL_TYPES

#: BibTeX entry types and the CSL type of each (BibLaTeX's too).
TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "dataset": "dataset",
    "software": "software",
    "unpublished": "manuscript",
    "misc": "document",
}
#: CSL types and the entry type written for each (the first of TYPES that reads back).
ENTRY = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "book": "book",
    "chapter": "incollection",
    "paper-conference": "inproceedings",
    "report": "techreport",
    "thesis": "phdthesis",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "dataset": "dataset",
    "software": "software",
    "manuscript": "unpublished",
}
#: Fields read as they are (no LaTeX in them).
VERBATIM = {"url": "URL", "doi": "DOI", "isbn": "ISBN", "issn": "ISSN"}
#: Text fields and the CSL variable of each (by entry type where it differs).
FIELDS = {
    "title": "title",
    "journal": "container-title",
    "journaltitle": "container-title",
    "booktitle": "container-title",
    "series": "collection-title",
    "publisher": "publisher",
    "institution": "publisher",
    "school": "publisher",
    "organization": "publisher",
    "address": "publisher-place",
    "location": "publisher-place",
    "edition": "edition",
    "volume": "volume",
    "pages": "page",
    "language": "language",
}
_CARET = "\ue000"
_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _latex() -> object:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def _names(parts: list, decode) -> list[dict[str, str]]:
    names = []
    for name in parts:
        if isinstance(name, str):
            names.append({"literal": decode(name)})
            continue
        family = decode(" ".join(name.last))
        given = decode(" ".join(name.first))
        von = decode(" ".join(name.von))
        if not given and not von and len(name.last) == 1 and name.last[0].startswith("{"):
            names.append({"literal": family})  # {Coventry City Council}: an organisation
            continue
        entry = {"family": family}
        if given:
            entry["given"] = given
        if von:
            entry["non-dropping-particle"] = von
        if name.jr:
            entry["suffix"] = decode(" ".join(name.jr))
        names.append(entry)
    return [n for n in names if n.get("family") or n.get("literal")]


def _date(fields: dict[str, str]) -> str | None:
    for key in ("date", "issued"):
        if fields.get(key):
            return iso_date(fields[key].split("/")[0])
    year = (fields.get("year") or "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return None
    month = (fields.get("month") or "").strip().lower().rstrip(".")
    number = MONTH_NUMBERS.get(month) or (int(month) if month.isdigit() else None)
    return iso_date(f"{year}-{number:02d}" if number and 1 <= number <= 12 else year)


def from_entry(kind: str, key: str, fields: dict[str, object], decode) -> Item:
    """One entry (its fields already split into names) as a sources.yaml entry."""
    item: Item = {"id": key, "type": TYPES.get(kind.lower(), "document")}
    raw = {k.lower(): v for k, v in fields.items()}
    plain = {k: v for k, v in raw.items() if isinstance(v, str)}
    subtype = plain.get("entrysubtype", "").strip().lower()
    if kind.lower() == "article" and subtype in ("magazine", "newspaper"):
        item["type"] = f"article-{subtype}"
    elif subtype in CSL_TYPES:
        item["type"] = subtype  # a CSL type scopekit wrote (`post`, `video`…)
    for field, variable in FIELDS.items():
        value = plain.get(field)
        if value and variable not in item:
            value = value.replace("--", "-") if field == "pages" else value
            item[variable] = text(decode(value))
    number = plain.get("number")
    if number:
        item["issue" if item["type"] == "article-journal" else "number"] = text(decode(number))
    if plain.get("type") and item["type"] in ("report", "thesis"):
        item["genre"] = text(decode(plain["type"]))
    for field, variable in VERBATIM.items():
        if plain.get(field):
            item[variable] = text(plain[field])
    for field in ("author", "editor"):
        if isinstance(raw.get(field), list):
            names = _names(raw[field], decode)
            if names:
                item[field] = names
    issued = _date(plain)
    if issued:
        item["issued"] = issued
    accessed = iso_date(plain.get("urldate") or "")
    if accessed:
        item["accessed"] = accessed
    return ordered({k: v for k, v in item.items() if v})


def read(body: str) -> Reading:
    """Every entry of a BibTeX or BibLaTeX file; blocks that cannot be parsed are listed."""
    import bibtexparser
    from bibtexparser import middlewares

    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # failed blocks are reported here, one line each
    try:
        library = bibtexparser.parse_string(
            body,
            append_middleware=[middlewares.SeparateCoAuthors(), middlewares.SplitNameParts()],
        )
    finally:
        logger.setLevel(level)
    converter = _latex()

    def decode(value: str) -> str:
        value = value.replace(r"\textasciicircum{}", _CARET)  # pylatexenc makes it ˆ, not ^
        try:
            decoded = converter.latex_to_text(value)
        except Exception:  # pylatexenc's own errors: keep the text as written
            decoded = value.replace("{", "").replace("}", "")
        return decoded.replace(_CARET, "^")

    reading = Reading()
    for entry in library.entries:
        fields = {f.key: f.value for f in entry.fields}
        reading.items.append(from_entry(entry.entry_type, entry.key, fields, decode))
    for block in library.failed_blocks:
        reading.notes.append(f"line {block.start_line + 1}: an entry that cannot be read: skipped")
    return reading


def escape(value: object) -> str:
    """Text for a braced BibTeX field: LaTeX's special characters escaped."""
    return "".join(_SPECIAL.get(ch, ch) for ch in str(value))


def _person(name: dict) -> str:
    if "literal" in name:
        return "{" + escape(name["literal"]) + "}"
    family = escape(name.get("family", ""))
    particle = name.get("non-dropping-particle")
    if particle:
        family = f"{escape(particle)} {family}"
    given = escape(name.get("given", ""))
    suffix = name.get("suffix")
    if suffix:
        return f"{family}, {escape(suffix)}, {given}"
    return f"{family}, {given}" if given else family


def to_entry(item: Item) -> str:
    """One sources.yaml entry as a BibLaTeX entry."""
    kind = str(item.get("type") or "document")
    entry = ENTRY.get(kind, "misc")
    fields: list[tuple[str, str]] = []
    if item.get("title"):
        fields.append(("title", "{" + escape(item["title"]) + "}"))
    for role in ("author", "editor"):
        names = item.get(role)
        if isinstance(names, list) and names:
            fields.append((role, " and ".join(_person(n) for n in names if isinstance(n, dict))))
    container = item.get("container-title")
    if container:
        fields.append(("journal" if entry == "article" else "booktitle", escape(container)))
    for variable, field in (
        ("collection-title", "series"),
        ("edition", "edition"),
        ("volume", "volume"),
    ):
        if item.get(variable):
            fields.append((field, escape(item[variable])))
    if item.get("issue"):
        fields.append(("number", escape(item["issue"])))
    elif item.get("number"):
        fields.append(("number", escape(item["number"])))
    if item.get("page"):
        fields.append(("pages", escape(str(item["page"]).replace("-", "--"))))
    publisher = item.get("publisher")
    if publisher:
        field = {"techreport": "institution", "phdthesis": "school"}.get(entry, "publisher")
        fields.append((field, escape(publisher)))
    if item.get("genre") and entry in ("techreport", "phdthesis"):
        fields.append(("type", escape(item["genre"])))
    if item.get("publisher-place"):
        fields.append(("location", escape(item["publisher-place"])))
    if item.get("issued"):
        fields.append(("date", str(item["issued"])))
        fields.append(("year", str(item["issued"])[:4]))
    for variable, field in (("DOI", "doi"), ("ISBN", "isbn"), ("ISSN", "issn"), ("URL", "url")):
        if item.get(variable):
            fields.append((field, str(item[variable])))
    if item.get("accessed"):
        fields.append(("urldate", str(item["accessed"])))
    if item.get("language"):
        fields.append(("language", escape(item["language"])))
    if kind in ("article-magazine", "article-newspaper"):
        fields.append(("entrysubtype", kind.removeprefix("article-")))
    elif TYPES.get(entry) != kind and kind in CSL_TYPES:
        fields.append(("entrysubtype", kind))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{entry}{{{item.get('id')},\n{body}}}\n"


def write(items: list[Item]) -> str:
    """The items as a UTF-8 BibLaTeX file."""
    return "\n".join(to_entry(item) for item in items)

"""RIS, read and written with rispy (the tags Zotero, EndNote and databases use)."""

from __future__ import annotations

from scopekit.exchange.model import Item, Reading, display, ordered, text
from scopekit.metadata.model import iso_date, person

#: RIS reference types and the CSL type of each.
TYPES = {
    "JOUR": "article-journal",
    "EJOUR": "article-journal",
    "JFULL": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "BOOK": "book",
    "EBOOK": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "RPRT": "report",
    "GOVDOC": "report",
    "THES": "thesis",
    "ELEC": "webpage",
    "WEB": "webpage",
    "BLOG": "post-weblog",
    "DATA": "dataset",
    "VIDEO": "video",
    "COMP": "software",
    "UNPB": "manuscript",
    "GEN": "document",
}
#: CSL types and the RIS type written for each.
RIS_TYPE = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "book": "BOOK",
    "chapter": "CHAP",
    "paper-conference": "CONF",
    "report": "RPRT",
    "thesis": "THES",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "video": "VIDEO",
    "software": "COMP",
    "manuscript": "UNPB",
}
_TEXT = {
    "publisher": "publisher",
    "place_published": "publisher-place",
    "edition": "edition",
    "volume": "volume",
    "doi": "DOI",
    "language": "language",
}


def _day(value: object) -> str | None:
    """An RIS date (`2023/01/15/`, `2023///`, `2023`) as ISO text."""
    if not isinstance(value, str):
        return None
    parts = [p for p in value.strip().split("/") if p.strip()]
    return iso_date("-".join(p.strip() for p in parts[:3])) if parts else None


def _names(values: object) -> list[dict[str, str]]:
    """`Family, Given` as a person; a name without a comma is an organisation's."""
    names = []
    for value in values if isinstance(values, list) else []:
        name = text(value)
        if not name:
            continue
        names.append(person(name) if "," in name else {"literal": name})
    return [n for n in names if n]


def from_record(record: dict) -> Item:
    """One RIS record as a sources.yaml entry."""
    kind = str(record.get("type_of_reference") or "GEN").upper()
    item: Item = {"type": TYPES.get(kind, "document")}
    if text(record.get("id")):
        item["id"] = text(record.get("id"))
    title = record.get("title") or record.get("primary_title")
    if text(title):
        item["title"] = text(title)
    authors = _names(record.get("authors")) or _names(record.get("first_authors"))
    if authors:
        item["author"] = authors
    editors = _names(record.get("secondary_authors")) if kind in ("CHAP", "ECHAP") else []
    if editors:
        item["editor"] = editors
    container = next(
        (
            record.get(k)
            for k in ("secondary_title", "journal_name", "alternate_title3")
            if text(record.get(k))
        ),
        None,
    )
    if container:
        item["container-title"] = text(container)
    for key, variable in _TEXT.items():
        if text(record.get(key)):
            item[variable] = text(record.get(key))
    if text(record.get("number")):
        variable = "issue" if item["type"].startswith("article") else "number"
        item[variable] = text(record.get("number"))
    start, end = text(record.get("start_page")), text(record.get("end_page"))
    if start:
        item["page"] = f"{start}-{end}" if end else start
    issued = _day(record.get("date")) or _day(record.get("year") or record.get("publication_year"))
    if issued:
        item["issued"] = issued
    accessed = _day(record.get("access_date"))
    if accessed:
        item["accessed"] = accessed
    urls = record.get("urls")
    if isinstance(urls, list) and urls and text(urls[0]):
        item["URL"] = text(urls[0])
    issn = text(record.get("issn"))
    if issn:
        item["ISBN" if item["type"] in ("book", "chapter") else "ISSN"] = issn
    return ordered(item)


def read(body: str) -> Reading:
    """Every record of an RIS file."""
    import rispy

    try:
        records = rispy.loads(body.lstrip("\ufeff"))
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not RIS: {exc}") from None
    return Reading([from_record(record) for record in records])


def _ris_day(value: object) -> str:
    parts = str(value).split("-")
    return "/".join(parts + [""] * (3 - len(parts))) + "/"


def to_record(item: Item) -> dict:
    """One sources.yaml entry as an RIS record (rispy's keys)."""
    kind = str(item.get("type") or "document")
    record: dict[str, object] = {"type_of_reference": RIS_TYPE.get(kind, "GEN")}
    if item.get("id"):
        record["id"] = str(item["id"])
    if item.get("title"):
        record["title"] = str(item["title"])
    for role, key in (("author", "authors"), ("editor", "secondary_authors")):
        names = item.get(role)
        if isinstance(names, list) and names:
            record[key] = [display(n) for n in names if isinstance(n, dict)]
    if item.get("container-title"):
        record["secondary_title"] = str(item["container-title"])
    for key, variable in _TEXT.items():
        if item.get(variable):
            record[key] = str(item[variable])
    number = item.get("issue") or item.get("number")
    if number:
        record["number"] = str(number)
    if item.get("page"):
        start, _, end = str(item["page"]).partition("-")
        record["start_page"] = start
        if end:
            record["end_page"] = end
    if item.get("issued"):
        record["year"] = str(item["issued"])[:4]
        record["date"] = _ris_day(item["issued"])
    if item.get("accessed"):
        record["access_date"] = _ris_day(item["accessed"])
    if item.get("URL"):
        record["urls"] = [str(item["URL"])]
    code = item.get("ISBN") or item.get("ISSN")
    if code:
        record["issn"] = str(code)
    return record


def write(items: list[Item]) -> str:
    """The items as an RIS file."""
    import rispy

    class Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # no "1." before each record: not RIS, and Zotero reads it as junk

    return rispy.dumps([to_record(item) for item in items], implementation=Writer)

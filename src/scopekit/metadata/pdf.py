"""A PDF's own metadata: its XMP packet and document information, read with pypdf.

The first page's text is a last resort, for the title only, and is reported as a guess.
pypdf is imported only when a PDF is read.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import datetime

from scopekit.metadata.model import (
    Fields,
    Found,
    clean_text,
    clean_title,
    iso_date,
    names,
    person,
    put,
)

#: Titles that word processors and printers write for you: not the document's title.
_MADE_UP = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel) - .*|untitled.*|document\d*|slide \d+|"
    r"powerpoint presentation|.*\.(?:docx?|pptx?|xlsx?|pdf|indd|qxd|odt))$",
    re.I,
)
MAX_PAGES_TEXT = 1


class PdfUnreadable(Exception):
    """A body that claims to be a PDF and cannot be read as one."""


def _title(value: object) -> str | None:
    title = clean_title(value)
    return None if title is None or _MADE_UP.match(title) else title


def _day(value: object) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, str) and value.startswith("D:"):
        return iso_date(f"{value[2:6]}-{value[6:8] or '01'}-{value[8:10] or '01'}")
    return iso_date(value) if isinstance(value, str) else None


def _people(value: object) -> list[dict[str, str]]:
    text = clean_text(value) if isinstance(value, str) else None
    if not text:
        return []
    parts = re.split(r"\s*(?:;|\band\b|&)\s*", text)
    return names(person(part) for part in parts if part)


def read(body: bytes) -> tuple[Fields, bool]:
    """The CSL variables of a PDF, and whether the title is a guess from page 1's text."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its warnings about damaged files: one message here
    try:
        return _read(body)
    except Exception as exc:  # a hostile or damaged PDF may fail anywhere inside pypdf
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise PdfUnreadable(reason) from None
    finally:
        logger.setLevel(level)


def _read(body: bytes) -> tuple[Fields, bool]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(body))
    info = reader.metadata or {}
    try:
        xmp = reader.xmp_metadata
    except Exception:  # an XMP packet that is not XML: the document information remains
        xmp = None
    fields: Fields = {"type": Found("report", "a PDF document")}
    if xmp is not None:
        _read_xmp(xmp, fields)
    _read_info(info, fields)
    guessed = False
    if "title" not in fields:
        line = _first_line(reader)
        if line:
            put(fields, "title", line, "the first page's text")
            guessed = True
    return fields, guessed


def _read_xmp(xmp: object, fields: Fields) -> None:
    title = getattr(xmp, "dc_title", None) or {}
    if isinstance(title, dict):
        put(
            fields,
            "title",
            _title(title.get("x-default") or next(iter(title.values()), None)),
            "XMP dc:title",
        )
    creators = getattr(xmp, "dc_creator", None) or []
    put(
        fields, "author", names(person(c) for c in creators if isinstance(c, str)), "XMP dc:creator"
    )
    publishers = getattr(xmp, "dc_publisher", None) or []
    put(fields, "publisher", clean_text(publishers[0]) if publishers else None, "XMP dc:publisher")
    dates = getattr(xmp, "dc_date", None) or []
    put(fields, "issued", _day(dates[0]) if dates else None, "XMP dc:date")
    put(fields, "issued", _day(getattr(xmp, "xmp_create_date", None)), "XMP xmp:CreateDate")


def _read_info(info: object, fields: Fields) -> None:
    get = info.get if hasattr(info, "get") else (lambda key: None)
    put(fields, "title", _title(get("/Title")), "PDF document information /Title")
    put(fields, "author", _people(get("/Author")), "PDF document information /Author")
    put(fields, "issued", _day(get("/CreationDate")), "PDF document information /CreationDate")


def _first_line(reader: object) -> str | None:
    """The first line of page 1 that reads as a title (three or more letters)."""
    pages = getattr(reader, "pages", [])
    if not len(pages):
        return None
    text = pages[0].extract_text() or ""
    for line in text.splitlines():
        cleaned = clean_title(line)
        if cleaned and sum(ch.isalpha() for ch in cleaned) >= 3:
            return cleaned
    return None

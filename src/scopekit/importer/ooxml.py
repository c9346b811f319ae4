"""The parts of a DOCX package, read with lxml: document, notes, styles, numbering, links,
the body's images (for `import`), and (for `merge`) comments and custom XML.

Only what the importer needs is read. The parser resolves no entities and fetches nothing,
and a part larger than MAX_PART is refused, so a hostile file cannot exhaust memory.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from scopekit.errors import DocumentUnreadable
from scopekit.ooxml import REL_NS, w

MAX_PART = 200 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
#: What each command does with the DOCX once it is one: the end of the hint.
_THEN = {
    "import": "then import that file",
    "merge": "then merge that file",
    "changes-since": "then give that file to --changes-since",
}
#: What scopekit builds: what `merge` and `--changes-since` want instead of another file.
_BUILT = "the .docx that scopekit build wrote (a colleague may have edited it in Word)"


def _seems(magic: bytes, path: Path) -> str:
    """What a file that is not a zip archive seems to be, from its first bytes."""
    start = magic.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if magic.startswith(_OLE_MAGIC):
        return "a Word 97-2003 .doc or a password-protected document"
    if magic.startswith(b"PK"):
        return "a damaged zip archive"
    if start.startswith(b"%pdf"):
        return "a PDF"
    if start.startswith((b"<!doctype html", b"<html")) or path.suffix.lower() in (".html", ".htm"):
        return "a web page (HTML)"
    if start.startswith(b"{\\rtf"):
        return "an RTF document"
    if path.suffix.lower() in (".md", ".txt") or _is_text(magic):
        return "a text file"
    return "not a DOCX file (a DOCX is a zip archive)"


def _is_text(magic: bytes) -> bool:
    """Whether the first bytes of a file read as UTF-8 text (a character cut at the end
    allowed)."""
    if not magic or b"\0" in magic:
        return False
    try:
        magic.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(magic) - 3
    return True


def _hint(what: str, use: str) -> str:
    """What to do with a file that seems to be `what`, for the command `use`."""
    then = _THEN.get(use, _THEN["import"])
    if use != "import" and what in ("a PDF", "a web page (HTML)", "a text file"):
        command = "--changes-since" if use == "changes-since" else use
        return f"{command} reads a Word document: give it {_BUILT}, not {what}"
    if what in ("a PDF", "a web page (HTML)"):
        return f"open the Word document it was made from and save it as a .docx, {then}"
    if what == "a text file":
        return f"import reads a Word document: save the text as a .docx (Word Document), {then}"
    return f"save it from Word as a .docx (Word Document), {then}"


def _folder_hint(folder: Path) -> str:
    """What to give instead of a folder: a Word document in it (or in its build/)."""
    found = sorted(folder.glob("*.docx")) or sorted(folder.glob("build/*.docx"))
    found = [p for p in found if not p.name.startswith("~$")]  # Word's lock files
    if found:
        more = f" (or another of its {len(found)} .docx files)" if len(found) > 1 else ""
        return f"give the Word document itself, e.g. {found[0]}{more}"
    if (folder / "review.yaml").is_file():
        return "that is a review folder: give the Word document (.docx) first, then the folder"
    return "give the path of the Word document (.docx), not of its folder"


def wval(element: etree._Element | None, attr: str = "val") -> str | None:
    """A w: attribute of an element (None when the element or attribute is missing)."""
    return None if element is None else element.get(w(attr))


_LOCAL_NAMES: dict[object, str] = {}


def local(tag: object) -> str:
    """An element's name without its namespace ('' for comments and processing instructions)."""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
    return name


@dataclass
class Part:
    """One XML part and the targets of its hyperlink relationships (id → URL)."""

    root: etree._Element
    links: dict[str, str] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)  # relationship id → image part


@dataclass
class Package:
    """The parts of a DOCX the importer reads; notes, styles and numbering may be absent."""

    document: Part
    footnotes: Part | None
    endnotes: Part | None
    styles: etree._Element | None
    numbering: etree._Element | None
    core: dict[str, str]
    comments: etree._Element | None = None
    comments_extended: etree._Element | None = None
    custom_xml: list[etree._Element] = field(default_factory=list)  # customXml items
    media: dict[str, bytes] = field(default_factory=dict)  # image part → its bytes


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class _Zip:
    """The archive, with its errors turned into DocumentUnreadable."""

    def __init__(self, path: Path, use: str = "import") -> None:
        self.name = path.name
        self.hint = _hint("not a DOCX file", use)
        try:
            with path.open("rb") as handle:
                magic = handle.read(512)
            self.archive = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise DocumentUnreadable(f"{path}: no such file", "check the path") from None
        except IsADirectoryError:
            raise DocumentUnreadable(
                f"{path} is a folder, not a .docx file", _folder_hint(path)
            ) from None
        except OSError as exc:
            raise DocumentUnreadable(f"cannot read {path}: {exc.strerror}") from None
        except zipfile.BadZipFile:
            what = _seems(magic, path)
            shown = what if what.startswith("not ") else f"{what}, not a DOCX"
            raise DocumentUnreadable(f"{path} is {shown}", _hint(what, use)) from None
        self.names = set(self.archive.namelist())

    def data(self, name: str) -> bytes | None:
        """A binary part's bytes, or None when it is missing, too large or unreadable."""
        if name not in self.names:
            return None
        try:
            if self.archive.getinfo(name).file_size > MAX_PART:
                return None
            return self.archive.read(name)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError):
            return None

    def xml(self, name: str) -> etree._Element | None:
        """A part parsed, or None when the package has no such part."""
        if name not in self.names:
            return None
        try:
            if self.archive.getinfo(name).file_size > MAX_PART:
                raise DocumentUnreadable(f"{self.name}: {name} is too large to import")
            return etree.fromstring(self.archive.read(name), _PARSER)
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise DocumentUnreadable(f"{self.name}: {name} is damaged ({exc})", self.hint) from None
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise DocumentUnreadable(
                f"{self.name}: cannot read {name} ({exc})", self.hint
            ) from None

    def relationships(self, part: str) -> list[tuple[str, str, str, bool]]:
        """(id, type, target, external) of a part's relationships; internal targets resolved."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{base}.rels"))
        if root is None:
            return []
        found = []
        for rel in root.iterfind(f"{{{REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                joined = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                target = posixpath.normpath(joined)
            found.append((rel.get("Id", ""), rel.get("Type", ""), target, external))
        return found

    def part(self, name: str) -> Part | None:
        """An XML part with its hyperlink targets."""
        root = self.xml(name)
        if root is None:
            return None
        links = {
            rid: target
            for rid, kind, target, _external in self.relationships(name)
            if kind.endswith("/hyperlink")
        }
        images = {
            rid: target
            for rid, kind, target, external in self.relationships(name)
            if kind.endswith("/image") and not external
        }
        return Part(root, links, images)


def read_package(path: Path, use: str = "import") -> Package:
    """Open a DOCX and read the parts the importer needs (DocumentUnreadable if it cannot);
    `use` ("import", "merge", "changes-since") is what the hints say to do next."""
    archive = _Zip(path, use)
    main = next(
        (t for _, kind, t, ext in archive.relationships("") if kind.endswith("/officeDocument")),
        "word/document.xml",
    )
    document = archive.part(main)
    if document is None or document.root.find(w("body")) is None:
        raise DocumentUnreadable(f"{path} has no Word document inside", archive.hint)
    relationships = archive.relationships(main)
    related = {kind.rsplit("/", 1)[-1]: t for _, kind, t, _ in relationships}
    custom = [archive.xml(t) for _, kind, t, _ in relationships if kind.endswith("/customXml")]
    core = archive.xml(
        next(
            (t for _, kind, t, _ in archive.relationships("") if kind.endswith("/core-properties")),
            "docProps/core.xml",
        )
    )
    return Package(
        document=document,
        footnotes=archive.part(related["footnotes"]) if "footnotes" in related else None,
        endnotes=archive.part(related["endnotes"]) if "endnotes" in related else None,
        styles=archive.xml(related["styles"]) if "styles" in related else None,
        numbering=archive.xml(related["numbering"]) if "numbering" in related else None,
        core={local(el.tag): (el.text or "").strip() for el in core} if core is not None else {},
        comments=archive.xml(related["comments"]) if "comments" in related else None,
        comments_extended=(
            archive.xml(related["commentsExtended"]) if "commentsExtended" in related else None
        ),
        custom_xml=[root for root in custom if root is not None],
        media={
            name: data
            for name in dict.fromkeys(document.images.values() if use == "import" else ())
            if (data := archive.data(name)) is not None
        },
    )

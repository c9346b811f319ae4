"""The house-styled Word template, made once per house style and kept in the user's cache.

Restyling python-docx's template (`styles.setup_styles`: dozens of styles, the 130 table
styles dropped) costs more than writing the briefing itself, and gives the same styles for
every review of one house style. So the styled, empty document is saved once, under a key of
everything the restyling reads (colours, fonts, language) and of the code that does it (this
package's styling modules, python-docx's version), and every build opens that file. A build
that cannot use the cache (unwritable folder, damaged file) styles the template in memory:
the same bytes either way, since the document always comes from the template's saved bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from pathlib import Path
from typing import TYPE_CHECKING

from scopekit.ooxml import w
from scopekit.paths import cache_dir
from scopekit.render.docx import styles

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

    from scopekit.render import Document
    from scopekit.theme import Theme


def _drop_thumbnail(word: WordDocument) -> None:
    """python-docx's template carries a thumbnail of an empty page: remove it."""
    package = word.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rid]


def styled_bytes(doc: Document) -> bytes:
    """python-docx's template, emptied and restyled to `doc`'s house style, as DOCX bytes."""
    import docx

    word = docx.Document()
    _drop_thumbnail(word)
    body = word.element.body
    for paragraph in list(body.iterchildren(w("p"))):
        body.remove(paragraph)
    styles.setup_styles(word, doc)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def template_key(doc: Document) -> str:
    """What the styled template depends on: the house style's colours and fonts, the
    language, the styling code and python-docx's version."""
    return _key(doc.theme, doc.language)


def _key(theme: Theme, language: str) -> str:
    import docx

    digest = hashlib.sha256()
    for part in (
        repr(theme.colours),
        repr(theme.fonts),
        language,
        str(getattr(docx, "__version__", "")),
    ):
        digest.update(part.encode() + b"\0")
    for module in (styles.__file__, __file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:32]


def template_path(doc: Document) -> Path:
    """Where the styled template for `doc` is kept."""
    return _path(template_key(doc))


def _path(key: str) -> Path:
    return cache_dir() / "docx" / f"template-{key}.docx"


# Templates opened ahead (`open_ahead`), by key, each for the next `styled_template` to take.
_opened: dict[str, WordDocument] = {}


def open_ahead(theme: Theme, language: str) -> None:
    """Open the cached styled template for `theme` and `language` now, for the next
    `styled_template` of such a Document to take (a DOCX worker does it while the review is
    cited). Nothing happens where none is cached yet: `styled_template` makes it."""
    key = _key(theme, language)
    opened = _open_cached(key)
    if opened is not None:
        _opened[key] = opened


def styled_template(doc: Document) -> WordDocument:
    """A new Word document opened from the styled template (made and cached if need be)."""
    import docx

    key = template_key(doc)
    opened = _opened.pop(key, None) or _open_cached(key)
    if opened is not None:
        return opened
    data = styled_bytes(doc)
    with contextlib.suppress(OSError):
        _keep(_path(key), data)
    return docx.Document(io.BytesIO(data))


def _open_cached(key: str) -> WordDocument | None:
    """A new Word document opened from the cached template `key`; None if there is none yet,
    or a damaged one (it is made again)."""
    import docx

    try:
        return docx.Document(io.BytesIO(_path(key).read_bytes()))
    except Exception:
        return None


def _keep(path: Path, data: bytes) -> None:
    """Write the template into the cache atomically (a parallel build may be writing too)."""
    import tempfile  # here: only a new house style's template is written

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)

"""The Office Open XML names that the DOCX writer and the DOCX importer share.

The namespaces of WordprocessingML, relationships and the XML namespace, and `w()` for
qualified WordprocessingML tag and attribute names. `render/docx/` and `importer/` both
import them from here, so neither layer depends on the other. Plain strings only: importing
this module loads neither lxml nor python-docx.
"""

from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def w(tag: str) -> str:
    """A qualified WordprocessingML name (`{W_NS}tag`), for tags and attributes alike."""
    return f"{{{W_NS}}}{tag}"

"""`scopekit import`: read a Word briefing (DOCX) into a review folder in format v1."""

from scopekit.importer.folder import import_docx
from scopekit.importer.model import ImportReport

__all__ = ["ImportReport", "import_docx"]

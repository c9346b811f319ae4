"""The review folder: its typed model and the loader that builds it."""

from scopekit.review.load import load_review
from scopekit.review.model import Review, Search, Section, Source

__all__ = ["Review", "Search", "Section", "Source", "load_review"]

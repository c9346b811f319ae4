"""The review folder: its typed model and the loader that builds it.

The loader (and markdown-it with it) is imported when `load_review` is first asked for, so
that the field table in `review.model` stays light to import (`scopekit import` writes
review.yaml from it without parsing any Markdown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scopekit.review.model import Review, Search, Section, Source

if TYPE_CHECKING:
    from scopekit.review.load import load_review

__all__ = ["Review", "Search", "Section", "Source", "load_review"]


def __getattr__(name: str) -> object:
    if name == "load_review":
        from scopekit.review.load import load_review

        return load_review
    raise AttributeError(f"module 'scopekit.review' has no attribute '{name}'")

"""Link text that says nothing of its target ("here", "click here", "available here"…).

Shared by `check` (the vague-link-text warning) and `import` (never a title from such text);
kept free of imports so that either can use it cheaply.
"""

from __future__ import annotations

_PUNCT = " \t\n.,;:!?()[]{}\"'“”‘’…–—-"

VAGUE_LINK_TEXTS = (
    "here",
    "click here",
    "clicking here",
    "this link",
    "clicking this link",
    "link",
    "available here",
    "available via this link",
    "read more",
    "more",
    "this page",
    "this website",
)


def vague(text: str) -> bool:
    """Whether link text says nothing of its target (is, or starts with, a vague phrase)."""
    words = " ".join(text.lower().strip(_PUNCT).split())
    return any(words == phrase or words.startswith(phrase + " ") for phrase in VAGUE_LINK_TEXTS)

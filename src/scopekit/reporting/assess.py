"""The assessor: one rule per reporting item (`catalogue.ITEMS` names them), each looking
at the review's fields and giving a status and where the item is reported.

Fields decide `ok`; a prose pattern in the sections can only give `partial`, for patterns
misfire ("discussions between" is not a search of contacts). `none` in an "if done" field
is `declared`; an item only a person can judge is `manual`; one that cannot apply to this
review (no database was searched) is `n/a`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from scopekit.reporting.flow import flow_of
from scopekit.review import Review, Search
from scopekit.review.model import REVIEW_FILE, SEARCHES_FILE


class Status(str, Enum):
    """How well the review reports an item."""

    OK = "ok"
    MISSING = "missing"
    PARTIAL = "partial"
    DECLARED = "declared"
    MANUAL = "manual"
    NA = "n/a"


@dataclass(frozen=True)
class Verdict:
    """What a rule found: the status, where (file and line), and a short note."""

    status: Status
    file: str | None = None
    line: int | None = None
    note: str = ""


NONE_WORDS = frozenset({"none", "no", "not done", "n/a", "none.", "no."})


def is_none(text: str | None) -> bool:
    """Whether a field's text says the thing was not done (`none`)."""
    return text is not None and text.strip().lower() in NONE_WORDS


class Assessor:
    """The review, and the lookups the rules share."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.meta = review.meta
        self.searches = review.searches
        self.flow = flow_of(review)

    def field(self, name: str, note: str = "", status: Status = Status.OK) -> Verdict:
        """A verdict at review.yaml's line of `name`; an `ok` one with no note says what the
        field holds (its text, shortened)."""
        if not note and status is Status.OK:
            value = getattr(self.meta, name, None)
            note = short(value) if isinstance(value, str) and value.strip() else f"'{name}'"
        return Verdict(status, REVIEW_FILE, self.meta.line_of(name), note)

    def text_field(self, name: str, pattern: str | None, missing: str) -> Verdict:
        """An "if done" text field: ok, `none` declared, else prose partial, else missing."""
        value = getattr(self.meta, name)
        if is_none(value):
            return self.field(name, "none", Status.DECLARED)
        if value:
            return self.field(name)
        return self.prose(pattern, missing) if pattern else Verdict(Status.MISSING, note=missing)

    def prose(self, pattern: str, missing: str, *, otherwise: Status = Status.MISSING) -> Verdict:
        """`partial` at the first line of the sections matching `pattern`, else `otherwise`."""
        regex = re.compile(pattern, re.I)
        for section in self.review.sections:
            for text in section.markdown.texts:
                if regex.search(text.text):
                    return Verdict(Status.PARTIAL, section.file, text.line, "said in the text only")
        return Verdict(otherwise, note=missing)

    def section(self, words: tuple[str, ...], what: str) -> Verdict:
        """`manual` at a section whose title holds one of `words` (a person judges it)."""
        for section in self.review.sections:
            if any(word in section.title.lower() for word in words):
                return Verdict(Status.MANUAL, section.file, section.markdown.title_line or 1, what)
        return Verdict(Status.MANUAL, note=what)

    def searches_where(self, test: Callable[[Search], bool], need: str) -> Verdict:
        """ok when every search passes `test`, partial when some do, missing when none
        (`need` says what a passing search has: "a 'run' date")."""
        if not self.searches:
            return Verdict(Status.MISSING, note="no searches in searches.yaml")
        passing = [s for s in self.searches if test(s)]
        where = (passing or self.searches)[0].line
        if len(passing) == len(self.searches):
            every = "the search has" if len(passing) == 1 else f"all {len(passing)} searches have"
            return Verdict(Status.OK, SEARCHES_FILE, where, f"{every} {need}")
        if passing:
            return Verdict(
                Status.PARTIAL,
                SEARCHES_FILE,
                self.searches[[test(s) for s in self.searches].index(False)].line,
                f"{len(self.searches) - len(passing)} of {len(self.searches)} searches lack {need}",
            )
        return Verdict(Status.MISSING, SEARCHES_FILE, where, f"no search has {need}")

    def of_kind(self, *kinds: str) -> list[Search]:
        """The searches of any of these kinds."""
        return [s for s in self.searches if s.kind in kinds]

    def unkinded(self) -> list[Search]:
        """The searches with no `kind`: what they were cannot be told."""
        return [s for s in self.searches if s.kind is None]

    def kind_item(
        self, kinds: tuple[str, ...], what: str, untold: Status = Status.MANUAL
    ) -> Verdict:
        """An item about searches of some kinds: ok when there are some (listed), n/a when
        every search has a kind and none is of these, `untold` when some have no kind."""
        found = self.of_kind(*kinds)
        if found:
            names = dict.fromkeys(s.where for s in found if s.where)
            return Verdict(Status.OK, SEARCHES_FILE, found[0].line, ", ".join(names))
        unkinded = self.unkinded()
        if unkinded:
            return Verdict(
                untold,
                SEARCHES_FILE,
                unkinded[0].line,
                f"{_searches(len(unkinded))} no 'kind': {what} cannot be told",
            )
        return Verdict(Status.NA, note=f"no {what}")


def short(text: str, limit: int = 60) -> str:
    """A field's text on one line, cut to about `limit` characters at a word (`…`)."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _searches(count: int) -> str:
    """`1 search has`, `3 searches have`."""
    return "1 search has" if count == 1 else f"{count} searches have"


Rule = Callable[[Assessor], Verdict]
RULES: dict[str, Rule] = {}


def rule(function: Rule) -> Rule:
    """Register a rule under its function's name (the catalogue's `rule`)."""
    RULES[function.__name__] = function
    return function

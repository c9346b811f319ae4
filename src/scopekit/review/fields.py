"""The kinds of field a review file holds, and `Record`, an entry typed by its fields
(the fields holding a mapping are in `review/mappings.py`).

A field is declared once, as a class attribute of the record it belongs to (the tables are
in `review/model.py`): its YAML name, its kind, its default and its help together, as mkdocs
declares its config options. Everything else reads that declaration:

- the loader: `Record(raw)` reads every field of a YAML mapping, leniently: a value that is
  missing or of the wrong kind becomes the field's default, and `check` reports it;
- `check`: `Record.names()` are the known keys (`unknown-field` hints at the closest),
  `Field.required` and `Field.unfit` give `missing-field`, each with the field's help;
- `scopekit new` and `scopekit import`: the defaults, and the order of the review.yaml they
  write (`review/yamltext.py`);
- `check --reporting` (`scopekit.reporting`): whether the reporting fields are given;
- tests/test_docs.py: every field is named in docs/review-format.md.

Adding a field is one line in its record's class.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar, overload

from scopekit.isodates import DateError, PartialDate, describe, parse_iso
from scopekit.review import langtag
from scopekit.review.yaml_reader import YamlList, YamlMap

T = TypeVar("T")
F = TypeVar("F", bound="Field[Any]")
R = TypeVar("R", bound="Record")


def text_or_none(value: object) -> str | None:
    """A scalar as text (numbers too), or None for missing values, lists and mappings."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def date_or_none(value: object) -> PartialDate | None:
    """A valid ISO date, or None when missing or invalid (`check` reports invalid ones)."""
    try:
        return parse_iso(value) if value is not None else None
    except DateError:
        return None


class Unfit(NamedTuple):
    """Why a value does not fit its field, and a hint when the kind has one of its own."""

    message: str
    hint: str | None = None


class Field(Generic[T]):
    """One field of a review file: `name` in the YAML, `attribute` on the record, its `kind`,
    `default` (the value when the field is missing or unreadable), `help` (shown in the
    hints of `check`) and whether it is `required`."""

    kind: str = "text"
    #: What a value of this kind looks like, for the hint when a value is of another kind.
    looks_like: str = "text on one line (in quotes if it holds a colon)"
    #: Values of a required field that count as not given.
    blank: ClassVar[tuple[object, ...]] = ("", [])

    def __init__(self, help: str, default: T, required: bool = False, name: str = "") -> None:
        self.help = help
        self.default = default
        self.required = required
        self.name = name
        self.attribute = name

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute
        self.name = self.name or attribute

    @overload
    def __get__(self: F, record: None, owner: type | None = None) -> F: ...

    @overload
    def __get__(self, record: Record, owner: type | None = None) -> T: ...

    def __get__(self, record: Record | None, owner: type | None = None) -> Any:
        # Only reached through the class, or for a record made without this field: a record
        # keeps each value in its own __dict__, which Python looks in first.
        return self if record is None else self.default

    def read(self, data: YamlMap) -> T:
        """The field's value in `data`, or its default."""
        value = self.convert(data.get(self.name))
        return self.default if value is None else value

    def convert(self, value: object) -> T | None:
        """`value` as this kind, or None when it is of another kind."""
        raise NotImplementedError

    def unfit(self, value: object) -> Unfit | None:
        """Why `value` (present, not null) does not fit the field, or None when it does."""
        return None

    def missing(self, what: str, present: bool) -> tuple[str, str]:
        """The message and hint for a required field that is absent (or present but blank)."""
        if present:
            return (
                f"{what}: '{self.name}' is empty",
                f"write the value after '{self.name}:' ({self.help})",
            )
        return f"{what} has no '{self.name}'", f"add '{self.name}:' ({self.help})"


class Text(Field[T]):
    """Text on one line (a number is read as text)."""

    @overload
    def __init__(
        self: Text[str | None], help: str, *, required: bool = False, name: str = ""
    ) -> None: ...

    @overload
    def __init__(self: Text[str], help: str, *, default: str, name: str = "") -> None: ...

    def __init__(
        self, help: str, *, default: Any = None, required: bool = False, name: str = ""
    ) -> None:
        super().__init__(help, default, required, name)

    def convert(self, value: object) -> Any:
        return text_or_none(value)

    def unfit(self, value: object) -> Unfit | None:
        if isinstance(value, (dict, list)):
            return Unfit(f"'{self.name}' must be text, not {describe(value)}")
        return None


class Key(Field[str]):
    """The text an entry is known by; the loader refuses an entry without it."""

    def __init__(self, help: str) -> None:
        super().__init__(help, "", required=True)

    def convert(self, value: object) -> str | None:
        return text_or_none(value)

    def unfit(self, value: object) -> Unfit | None:
        if isinstance(value, (dict, list)):
            return Unfit(f"'{self.name}' must be text, not {describe(value)}")
        text = text_or_none(value) or ""
        if any(c.isspace() for c in text):
            joined = "-".join(text.split())
            return Unfit(
                f"'{self.name}' must have no spaces, not {text!r}: a citation [@{text}] ends "
                "at the space",
                f"write '{self.name}: {joined}' (and cite it as [@{joined}])",
            )
        return None


class Url(Text[str | None]):
    """A web address (judged by the link rules of `check`, not as a field)."""

    kind = "url"
    looks_like = "a web address such as https://www.example.org/page"


class Language(Text[str]):
    """A BCP 47 language tag (`en-GB`), checked by `review/langtag.py`."""

    kind = "language tag"
    looks_like = f"a BCP 47 language tag such as {langtag.EXAMPLES}"

    def convert(self, value: object) -> Any:
        text = text_or_none(value)
        return text if text is not None and langtag.problem(text) is None else None

    def unfit(self, value: object) -> Unfit | None:
        wrong = super().unfit(value)
        text = text_or_none(value)
        if wrong or text is None:
            return wrong
        problem = langtag.problem(text)
        if problem is None:
            return None
        message = f"'{self.name}' must be a BCP 47 language tag, not {describe(value)}"
        return Unfit(f"{message}: {problem.why}", problem.hint)


class Integer(Field[int | None]):
    """A whole number."""

    kind = "integer"
    looks_like = "a whole number such as 120"

    def __init__(self, help: str) -> None:
        super().__init__(help, None)

    def convert(self, value: object) -> int | None:
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def unfit(self, value: object) -> Unfit | None:
        if self.convert(value) is None:
            return Unfit(f"'{self.name}' must be a whole number, not {describe(value)}")
        return None


#: A count written the way a search engine shows it: `4,200`, `~86`, `about 800`, `c. 1,200`.
_WRITTEN_COUNT = re.compile(
    r"(?P<about>(?:~|≈|about|around|approx\.?|approximately|c\.|ca\.|circa)\s*)?"
    r"(?P<number>\d{1,3}(?:[,\s]\d{3})+|\d+)(?:\s+(?:results|hits|items|records|pages))?",
    re.I,
)


class Count(Integer):
    """A whole number of hits that may be approximate (`approximate: true` says so): a count
    typed as shown (`~86`, `about 800`, `4,200`) gets the number to write as its hint."""

    def __init__(self, help: str, *, approximate: str) -> None:
        super().__init__(help)
        self.approximate = approximate

    def unfit(self, value: object) -> Unfit | None:
        wrong = super().unfit(value)
        if wrong is None and isinstance(value, int) and value < 0:
            return Unfit(f"'{self.name}' must be 0 or more, not {value}", "write the count of hits")
        match = _WRITTEN_COUNT.fullmatch(str(value).strip()) if wrong else None
        if wrong is None or match is None:
            return wrong
        number = int(re.sub(r"[,\s]", "", match["number"]))
        if str(value).strip().isdigit():  # `results: '86'`, quoted
            hint = f"write '{self.name}: {number}', without quotes"
        elif match["about"]:
            hint = (
                f"write '{self.name}: {number}' and '{self.approximate}: true' "
                f"(printed ~{number:,})"
            )
        elif "," in match["number"]:
            hint = f"write '{self.name}: {number}', without commas"
        else:
            hint = f"write '{self.name}: {number}', the number alone"
        return Unfit(wrong.message, hint)


class Flag(Field[bool]):
    """true or false (anything but `true` is false)."""

    kind = "boolean"
    looks_like = "true or false"

    def __init__(self, help: str) -> None:
        super().__init__(help, False)

    def convert(self, value: object) -> bool | None:
        return value is True

    def unfit(self, value: object) -> Unfit | None:
        if not isinstance(value, bool):
            return Unfit(f"'{self.name}' must be true or false, not {describe(value)}")
        return None


class Date(Field[PartialDate | None]):
    """An ISO date, `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (judged by the date rules of `check`)."""

    kind = "date"
    blank = ("",)

    def __init__(self, help: str, *, required: bool = False, name: str = "") -> None:
        super().__init__(help, None, required, name)

    def convert(self, value: object) -> PartialDate | None:
        return date_or_none(value)

    def missing(self, what: str, present: bool) -> tuple[str, str]:
        return f"{what} has no '{self.name}' date", f"add '{self.name}: YYYY-MM' (or YYYY-MM-DD)"


class _List(Field[list[T]]):
    """A list; a single value counts as a list of one."""

    def __init__(self, help: str, *, required: bool = False) -> None:
        super().__init__(help, [], required)

    def read(self, data: YamlMap) -> list[T]:
        return self.items(data) or []  # a new list for each record

    def items(self, data: YamlMap) -> list[T]:
        """The items of the list that can be read."""
        raise NotImplementedError

    def unfit(self, value: object) -> Unfit | None:
        if not isinstance(value, (list, str)):
            return Unfit(f"'{self.name}' must be a {self.kind}, not {describe(value)}")
        return None


class TextList(_List[str]):
    """A list of text; items that are not text are left out."""

    kind = "list of text"
    looks_like = "a list, one '- item' per line"

    def items(self, data: YamlMap) -> list[str]:
        value = data.get(self.name)
        items = value if isinstance(value, list) else [value]
        return [text for text in map(text_or_none, items) if text]

    def unfit(self, value: object) -> Unfit | None:
        wrong = super().unfit(value)
        if wrong is None and isinstance(value, list) and any(_not_text(item) for item in value):
            return Unfit(f"every item of '{self.name}' must be text")
        return wrong


def _not_text(item: object) -> bool:
    return isinstance(item, (dict, list)) or item is None


class Entries(_List[R]):
    """A list of records (authors): each item a mapping of their fields, or a plain text
    that is read as the record's `text` field (`- Dr Jack Birch` for `- name: …`)."""

    def __init__(self, record: type[R], noun: str, help: str, *, text: str, required: bool = False):
        super().__init__(help, required=required)
        self.record = record
        self.text = text
        self.kind = self.looks_like = f"list of {noun}"

    def items(self, data: YamlMap) -> list[R]:
        value = data.get(self.name)
        items = list(value) if isinstance(value, YamlList) else [value] if value is not None else []
        lines: list[int | None] = (
            list(value.lines) if isinstance(value, YamlList) else [data.lines.get(self.name)]
        )
        entries = []
        for item, line in zip(items, lines):
            if isinstance(item, YamlMap):
                entries.append(self.record(item, item.line))
            elif text_or_none(item):
                entry = self.record(line=line)
                setattr(entry, self.record.field(self.text).attribute, text_or_none(item))
                entries.append(entry)
        return entries


class Files(_List[T]):
    """A list of file names, each kept with its line (`make(name, line)`)."""

    kind = "list of files"
    looks_like = "list of files"

    def __init__(self, make: Callable[[str, int | None], T], help: str, *, required: bool = False):
        super().__init__(help, required=required)
        self.make = make

    def items(self, data: YamlMap) -> list[T]:
        value = data.get(self.name)
        if isinstance(value, YamlList):
            return [
                self.make(str(item), value.lines[i])
                for i, item in enumerate(value)
                if text_or_none(item)
            ]
        if text_or_none(value):
            return [self.make(str(value), data.lines.get(self.name))]
        return []


class Choice(Text[str | None]):
    """Text that must be one of `choices` (`kind: database`); another value reads as None."""

    def __init__(self, help: str, choices: tuple[str, ...], *, name: str = "") -> None:
        super().__init__(help, name=name)
        self.choices = choices
        self.kind = "one of " + ", ".join(choices)
        self.looks_like = self.kind

    def convert(self, value: object) -> Any:
        text = text_or_none(value)
        return text if text in self.choices else None

    def unfit(self, value: object) -> Unfit | None:
        wrong = super().unfit(value)
        if wrong or text_or_none(value) in self.choices:
            return wrong
        return Unfit(f"'{self.name}' must be one of {', '.join(self.choices)}, not {value!r}")


class Record:
    """An entry of a review file (review.yaml itself, an author, a search, a source), read
    from its YAML mapping by the fields its class declares. `raw` keeps the mapping, `line`
    the line the entry starts on (None for a whole file)."""

    _fields: ClassVar[tuple[Field[Any], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: dict[str, Field[Any]] = {}
        for klass in reversed(cls.__mro__):
            declared.update((k, v) for k, v in vars(klass).items() if isinstance(v, Field))
        cls._fields = tuple(declared.values())

    def __init__(self, raw: YamlMap | None = None, line: int | None = None) -> None:
        self.raw = YamlMap() if raw is None else raw
        self.line = line
        for spec in self._fields:
            self.__dict__[spec.attribute] = spec.read(self.raw)

    @classmethod
    def fields(cls) -> tuple[Field[Any], ...]:
        """The fields, in the order they are declared (the order review.yaml is written in)."""
        return cls._fields

    @classmethod
    def names(cls) -> list[str]:
        """The YAML names of the fields, in order."""
        return [spec.name for spec in cls._fields]

    @classmethod
    def field(cls, name: str) -> Field[Any]:
        """The field called `name` in the YAML (KeyError if there is none)."""
        for spec in cls._fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def line_of(self, key: str) -> int | None:
        """The line of one of the entry's keys, else of the entry (None when neither is known)."""
        return self.raw.lines.get(key, self.line)

    def __repr__(self) -> str:
        values = ", ".join(
            f"{s.attribute}={self.__dict__.get(s.attribute)!r}" for s in self._fields
        )
        return f"{type(self).__name__}({values}, line={self.line!r})"

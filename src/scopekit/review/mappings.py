"""The fields whose value is a mapping: counts by reason (`Tally`), cells by column
(`Cells`), and another record's fields below a key (`Group`)."""

from __future__ import annotations

from typing import Any

from scopekit.isodates import describe
from scopekit.review.fields import Field, R, Unfit, text_or_none
from scopekit.review.yaml_reader import YamlMap


class Tally(Field[dict[str, int]]):
    """A mapping of text to whole numbers (`reason: 12`), in the order written."""

    kind = "mapping of text to whole numbers"
    looks_like = "one 'reason: number' line per reason, indented"

    def __init__(self, help: str) -> None:
        super().__init__(help, {})

    def read(self, data: YamlMap) -> dict[str, int]:
        value = data.get(self.name)
        if not isinstance(value, dict):
            return {}
        return {
            str(key): number
            for key, number in value.items()
            if isinstance(number, int) and not isinstance(number, bool)
        }

    def convert(self, value: object) -> dict[str, int] | None:
        return None  # read() does the work

    def unfit(self, value: object) -> Unfit | None:
        if not isinstance(value, dict):
            return Unfit(
                f"'{self.name}' must be a mapping of reasons to numbers, not {describe(value)}"
            )
        for key, number in value.items():
            if not isinstance(number, int) or isinstance(number, bool):
                return Unfit(
                    f"'{self.name}': '{key}' must be a whole number, not {describe(number)}"
                )
        return None


class Cells(Field[dict[str, str]]):
    """A mapping of names to text (a source's `charting:` cells, by column), in the order
    written; values that are not text are left out."""

    kind = "mapping of names to text"
    looks_like = "one 'name: text' line per name, indented"

    def __init__(self, help: str) -> None:
        super().__init__(help, {})

    def read(self, data: YamlMap) -> dict[str, str]:
        value = data.get(self.name)
        if not isinstance(value, dict):
            return {}
        cells = {str(key): text_or_none(text) for key, text in value.items()}
        return {key: text for key, text in cells.items() if text}

    def convert(self, value: object) -> dict[str, str] | None:
        return None  # read() does the work

    def unfit(self, value: object) -> Unfit | None:
        if not isinstance(value, dict):
            return Unfit(f"'{self.name}' must be a mapping of names to text, not {describe(value)}")
        for key, text in value.items():
            if isinstance(text, (dict, list)):
                return Unfit(f"'{self.name}': '{key}' must be text, not {describe(text)}")
        return None


class Group(Field[Any]):
    """A mapping of another record's fields (`eligibility:` with `include:` below it), or
    None when absent. With `text`, a plain text is read as that one field
    (`charting: One reviewer charted…` is `process`)."""

    def __init__(self, record: type[R], help: str, *, text: str | None = None) -> None:
        super().__init__(help, None)
        self.record = record
        self.text = text
        self.kind = "mapping of " + ", ".join(record.names())

    def __set_name__(self, owner: type, attribute: str) -> None:
        super().__set_name__(owner, attribute)
        first = self.record.names()[0]
        self.looks_like = f"'{self.name}:' with indented lines below it such as '  {first}: …'"

    def read(self, data: YamlMap) -> Any:
        value = data.get(self.name)
        if isinstance(value, YamlMap):
            return self.record(value, data.lines.get(self.name))
        if self.text and text_or_none(value):
            entry = self.record(line=data.lines.get(self.name))
            setattr(entry, self.record.field(self.text).attribute, text_or_none(value))
            return entry
        return None

    def convert(self, value: object) -> Any:
        return None  # read() does the work

    def unfit(self, value: object) -> Unfit | None:
        if isinstance(value, YamlMap) or (self.text and text_or_none(value)):
            return None
        return Unfit(
            f"'{self.name}' must be a mapping of {', '.join(self.record.names())}, "
            f"not {describe(value)}"
        )

"""The values `yaml_reader` gives: mappings and lists that remember their lines, and the
error for a YAML file that cannot be read. No PyYAML here (see yaml_reader)."""

from __future__ import annotations


class YamlMap(dict):
    """A mapping from a YAML file; `line` is where it starts, `lines[key]` where each key is."""

    line: int | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[str, int] = {}

    def line_of(self, key: str) -> int | None:
        """The line of `key` if present, else of the mapping itself."""
        return self.lines.get(key, self.line)


class YamlList(list):
    """A list from a YAML file; `line` is where it starts, `lines[i]` where item i is."""

    line: int | None = None

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.lines: list[int] = []


class YamlError(ValueError):
    """A YAML file that cannot be read, with the 1-based line (and column) of the fault and a
    hint saying how to fix it. With no column, the message already says where (if anywhere)."""

    def __init__(
        self,
        message: str,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint

"""Change single values of a YAML file in place, leaving every other byte as it was.

The text is edited, never re-dumped: a value is replaced on its key's line (keeping its
quotes and any trailing comment), a new `key: value` line is inserted below another key
with the same indentation, or new items are appended to the file's top-level list. Before
anything is written the new text is parsed again and must equal the old data with exactly
the intended changes; otherwise nothing is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from scopekit.atomic import write_atomic
from scopekit.review.yaml_reader import YamlError, YamlList, YamlMap, load_yaml

_BOM = "\ufeff"
# One line and its ending, the way YAML counts lines.
_LINE = re.compile(r"[^\n\r\x85\u2028\u2029]*(?:\r\n|[\n\r\x85\u2028\u2029]|\Z)")
_BREAK = re.compile(r"(?:\r\n|[\n\r\x85\u2028\u2029])\Z")
_QUOTED = r"'(?:[^']|'')*'|\"(?:[^\"\\]|\\.)*\""
_BLOCK_VALUE = re.compile(rf"[ \t]*(?P<value>{_QUOTED}|[^\s#][^\n]*?)?(?=[ \t]+#|[ \t]*$)")
_FLOW_VALUE = re.compile(
    rf"[ \t]*(?P<value>{_QUOTED}|[^\s#,{{}}\[\]][^,{{}}\[\]\n]*?)?(?=[ \t]*[#,}}\]]|[ \t]*$)"
)


def _key(key: str) -> re.Pattern[str]:
    return re.compile(rf"(?:^|(?<=[\s{{,]))(?:-[ \t]+)?(?P<key>{re.escape(key)})[ \t]*:(?=[ \t]|$)")


def scalar(value: str) -> str:
    """`value` as a plain YAML scalar when it reads back as the same text, else single-quoted."""
    try:
        if load_yaml(value) == value and "\n" not in value:
            return value
    except YamlError:
        pass
    return "'" + value.replace("'", "''") + "'"


def _requote(old: str, value: str) -> str:
    """`value` written in the quoting style of the value it replaces."""
    if old.startswith("'"):
        return "'" + value.replace("'", "''") + "'"
    if old.startswith('"'):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return scalar(value)


class YamlEditor:
    """A YAML file's text, its data (parsed with lines), and the edits made to it so far."""

    def __init__(self, path: Path, text: str | None = None) -> None:
        """Read `path` (or take `text` as its content, for a file not written yet)."""
        self.path = path
        text = path.read_bytes().decode("utf-8") if text is None else text
        self.bom = _BOM if text.startswith(_BOM) else ""
        self.lines = [line for line in _LINE.findall(text[len(self.bom) :]) if line]
        self.data = load_yaml(text[len(self.bom) :])
        self.inserted: dict[int, list[str]] = {}
        self.anchors: dict[tuple[int, str], int] = {}
        self.appended: list[str] = []
        self.changed = False

    def _split(self, index: int) -> tuple[str, str]:
        line = self.lines[index]
        match = _BREAK.search(line)
        return (line[: match.start()], match.group(0)) if match else (line, "")

    def replace(self, mapping: YamlMap, key: str, value: str, unmark: tuple[str, ...] = ()) -> bool:
        """Replace the value of `mapping[key]` on its line; False when it cannot be found there
        (a value on the next line, a quoted key, a key from an anchor). A trailing comment
        that is one of `unmark` (scopekit's own `# made from the URL`) goes with the value it
        described; any other comment stays."""
        line_no = mapping.lines.get(key)
        if line_no is None or not 0 < line_no <= len(self.lines):
            return False
        body, end = self._split(line_no - 1)
        key_match = _key(key).search(body)
        if key_match is None:
            return False
        flow = "{" in body[: key_match.start()]
        found = (_FLOW_VALUE if flow else _BLOCK_VALUE).match(body, key_match.end())
        if found is None:
            return False
        old = found.group("value")
        if old is None:
            start = key_match.end()
            new_body = f"{body[:start]} {scalar(value)}{body[start:]}"
        else:
            start, stop = found.span("value")
            new_body = body[:start] + _requote(old, value) + body[stop:]
        for mark in unmark:
            new_body = re.sub(rf"[ \t]+#[ \t]*{re.escape(mark)}[ \t]*$", "", new_body)
        self.lines[line_no - 1] = new_body + end
        mapping[key] = value
        self.changed = True
        return True

    def insert(self, mapping: YamlMap, key: str, value: str, after: tuple[str, ...]) -> bool:
        """Add `key: value` below the first key of `after` that `mapping` has, indented like
        it; False when none of those keys can be found on its line. A commented-out
        placeholder for the key just below (`# updated: YYYY-MM-DD`, as `scopekit new`
        writes) is replaced rather than left above a second `updated:`."""
        for anchor in after:
            line_no = self.anchors.get((id(mapping), anchor)) or mapping.lines.get(anchor)
            if line_no is None or not 0 < line_no <= len(self.lines):
                continue
            body, _ = self._split(line_no - 1)
            key_match = _key(anchor).search(body)
            if key_match is None:
                continue
            indent = " " * key_match.start("key")
            new = f"{indent}{key}: {scalar(value)}"
            if line_no < len(self.lines) and line_no - 1 not in self.inserted:
                below, end = self._split(line_no)
                if re.fullmatch(rf"{indent}#[ \t]*{re.escape(key)}[ \t]*:.*", below):
                    self.lines[line_no] = new + end
                    self.anchors[(id(mapping), key)] = line_no + 1
                    mapping[key] = value
                    self.changed = True
                    return True
            self.inserted.setdefault(line_no - 1, []).append(new)
            self.anchors[(id(mapping), key)] = line_no
            mapping[key] = value
            self.changed = True
            return True
        return False

    def set(
        self,
        mapping: YamlMap,
        key: str,
        value: str,
        after: tuple[str, ...],
        unmark: tuple[str, ...] = (),
    ) -> bool:
        """Set `mapping[key]` to `value`: in place when the key is there (see `replace` for
        `unmark`), else as a new line."""
        if key in mapping:
            return self.replace(mapping, key, value, unmark)
        return self.insert(mapping, key, value, after)

    def line_text(self, mapping: YamlMap, key: str) -> str:
        """The text of the line `mapping[key]` is on ("" when unknown)."""
        line_no = mapping.lines.get(key)
        if line_no is None or not 0 < line_no <= len(self.lines):
            return ""
        return self._split(line_no - 1)[0]

    def list_indent(self) -> str:
        """The indentation of the top-level list's first `-` (none for a new list)."""
        if isinstance(self.data, YamlList) and self.data.lines:
            body, _ = self._split(self.data.lines[0] - 1)
            return body[: len(body) - len(body.lstrip(" "))]
        return ""

    def append(self, lines: list[str]) -> None:
        """Add the lines of new items (`- id: …`, blank lines between them) at the end of
        the file's top-level list, which must be a block list or nothing (only comments); a
        blank line already ending the file is not doubled. Checked when saving, as every
        edit is."""
        items = load_yaml("\n".join(lines) + "\n")
        if not isinstance(items, list):
            raise ValueError("not YAML list items")
        if self.data is None:
            self.data = []
        if not isinstance(self.data, list):
            raise ValueError("the file is not a list")
        self.data.extend(items)
        self.appended += lines
        self.changed = True

    def valid(self) -> bool:
        """Whether the edited text parses to exactly the intended data (as `save` checks)."""
        try:
            return load_yaml(self.text()) == self.data
        except YamlError:
            return False

    def text(self) -> str:
        """The edited text (without the byte-order mark)."""
        endings = (self._split(index)[1] for index in range(len(self.lines)))
        newline = next((end for end in endings if end), "\n")
        out: list[str] = []
        for index, line in enumerate(self.lines):
            extra = self.inserted.get(index)
            if not extra:
                out.append(line)
                continue
            body, end = self._split(index)
            out.append(body + (end or newline))
            out.extend(added + newline for added in extra[:-1])
            out.append(extra[-1] + end)
        if self.appended:
            if out and not _BREAK.search(out[-1]):
                out[-1] += newline
            lines = self.appended
            if (not out or not out[-1].strip()) and not lines[0].strip():
                lines = lines[1:]  # the file ends with a blank line (or is empty) already
            out.extend(line + newline for line in lines)
        return "".join(out)

    def save(self) -> bool:
        """Write the edits if the new text parses to exactly the intended data; False (and
        nothing written) otherwise."""
        if not self.changed:
            return True
        text = self.text()
        try:
            if load_yaml(text) != self.data:
                return False
        except YamlError:
            return False
        write_atomic(self.path, (self.bom + text).encode("utf-8"))
        return True

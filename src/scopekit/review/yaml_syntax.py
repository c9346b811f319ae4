"""PyYAML's side of `yaml_reader`: the loader, the builder of line-aware values, and the
syntax errors placed on the line to fix, with a hint."""

from __future__ import annotations

import re

import yaml

from scopekit.review.yaml_values import YamlError, YamlList, YamlMap

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_CORE = "tag:yaml.org,2002:"
_MERGE = _CORE + "merge"
MAX_VALUES = 200_000


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver: `2024-02-30` is text, checked later."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def parse(text: str) -> object:
    """Parse YAML text into plain values (YamlMap, YamlList, scalars); raise YamlError."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return _Builder().build(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        raise syntax_error(text, exc) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(
            f"not readable as YAML: {exc.reason} (U+{char:04X})",
            line,
            hint="delete the character, or retype the text around it",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"not readable as YAML: {exc}".splitlines()[0]) from None
    except RecursionError:
        raise YamlError("YAML nested too deeply") from None
    finally:
        loader.dispose()


class _Builder:
    """Turns composed YAML nodes into plain values, with a budget against alias bombs."""

    def __init__(self) -> None:
        self.count = 0
        self.constructor = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node) -> object:
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlError("YAML too large: more than 200,000 values (aliases included)")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            items = YamlList(self.build(child) for child in node.value)
            items.lines = [child.start_mark.line + 1 for child in node.value]
            items.line = node.start_mark.line + 1
            return items
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode) -> YamlMap:
        result = YamlMap()
        result.line = node.start_mark.line + 1
        merged: list[YamlMap] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                sources = (
                    value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                )
                for source in sources:
                    value = self.build(source)
                    if not isinstance(value, YamlMap):
                        raise _fault(source, "a merge key (<<) must name a mapping")
                    merged.append(value)
                continue
            key = self.build(key_node)
            if isinstance(key, (dict, list)):
                raise _fault(key_node, "mapping keys must be plain text")
            key = "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)
            if key in result.lines:
                raise _fault(
                    key_node,
                    f"'{key}' is given twice (first on line {result.lines[key]})",
                    "keep one of them: YAML would silently use only the last",
                )
            result[key] = self.build(value_node)
            result.lines[key] = key_node.start_mark.line + 1
        for extra in merged:
            for key, value in extra.items():
                if key not in result:
                    result[key] = value
                    result.lines[key] = extra.lines.get(key, extra.line)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> object:
        tag = node.tag
        if not tag.startswith(_CORE):
            raise _fault(node, f"YAML tag {tag} is not allowed", "use plain values")
        kind = tag[len(_CORE) :]
        try:
            if kind in ("str", "timestamp"):
                return node.value
            if kind == "null":
                return None
            if kind == "bool":
                return self.constructor.construct_yaml_bool(node)
            if kind == "int":
                return self.constructor.construct_yaml_int(node)
            if kind == "float":
                return self.constructor.construct_yaml_float(node)
        except (ValueError, yaml.YAMLError):
            raise _fault(node, f"'{node.value}' is not a valid !!{kind}") from None
        raise _fault(node, f"YAML tag !!{kind} is not allowed", "use plain values")


def _fault(node: yaml.Node, message: str, hint: str | None = None) -> YamlError:
    return YamlError(message, node.start_mark.line + 1, node.start_mark.column + 1, hint)


TAB_HINT = "YAML does not allow tabs for indentation: use spaces"
GENERIC_HINT = "check the indentation and quotes near this line"
CURLY_HINT = (
    "the value is in curly quotes (“ ”), which YAML reads as text, not as quotes: "
    'write straight quotes, "…", around it'
)
# `title: “Physical activity: applying …”`: curly quotes, as a word processor types them.
_CURLY_QUOTED = re.compile(r"^\s*(- )?[\w-]+:\s+[“‘]")
INDENT_HINT = "check this line's indentation: the keys of one mapping start in the same column"
ESCAPE_HINT = (
    'inside "double quotes" a backslash starts an escape: write \\\\ for a backslash, '
    "or use 'single quotes'"
)
NO_SPACE_HINT = "put a space after the colon: 'key: value'"
# `key: value with: a colon` on one line: the second ': ' starts a field PyYAML cannot take.
_VALUE_WITH_COLON = re.compile(r"^\s*(- )?[\w-]+:\s+[^'\"\s].*:(\s|$)")
# A line that looks like a YAML key or list item, swallowed by a quote left open.
_LOOKS_LIKE_YAML = re.compile(r"^\s*(- |[\w-]+:(\s|$))")


def syntax_error(text: str, exc: yaml.MarkedYAMLError) -> YamlError:
    """A YamlError for a PyYAML syntax error, at the line to fix, with a hint.

    PyYAML reports where it noticed the problem, which for a quote or bracket left open is
    often lines later; then the error is placed on the line where it opens.
    """
    mark = exc.problem_mark or exc.context_mark
    reason = exc.problem or exc.context or "syntax error"
    count = max(1, len(text.splitlines()))
    line, column = (min(mark.line + 1, count), mark.column + 1) if mark else (None, None)
    context = exc.context or ""
    opened = exc.context_mark.line + 1 if exc.context_mark is not None else None
    if "escape" in reason:
        return YamlError(f"YAML syntax error: {reason}", line, column, ESCAPE_HINT)
    quote_line = _open_quote(text, exc)
    if quote_line is not None and line is not None:
        noticed = f"YAML noticed at line {line}, column {column}: {reason}"
        return YamlError(
            f"YAML syntax error: the quote that opens on line {quote_line} is not closed on "
            f"that line ({noticed})",
            quote_line,
            None,
            f"close the quote that opens on line {quote_line}",
        )
    if opened is not None and "flow" in context:
        bracket = "[ ]" if "sequence" in context else "{ }"
        return YamlError(
            f"YAML syntax error: {reason} ({context})",
            opened,
            None,
            f"close the {bracket} that opens on line {opened}",
        )
    if opened is not None and "simple key" in context and "':'" in reason:
        return YamlError(f"YAML syntax error: {reason}", opened, None, NO_SPACE_HINT)
    return YamlError(f"YAML syntax error: {reason}", line, column, _syntax_hint(text, exc))


def _syntax_hint(text: str, exc: yaml.MarkedYAMLError) -> str:
    reason = (exc.problem or "").lower()
    mark = exc.problem_mark
    lines = text.splitlines()
    here = lines[mark.line] if mark is not None and mark.line < len(lines) else ""
    if "tab" in reason or "\t" in here[: len(here) - len(here.lstrip())]:
        return TAB_HINT
    if "mapping values are not allowed" in reason:
        if _CURLY_QUOTED.match(here):
            return CURLY_HINT
        return _colon_hint(here) if _VALUE_WITH_COLON.match(here) else INDENT_HINT
    return GENERIC_HINT


def _colon_hint(line: str) -> str:
    """Quote this line's value: the line itself, quoted, as the example."""
    key, _, value = line.strip().removeprefix("- ").partition(": ")
    quoted = value.strip().replace('"', '\\"')
    return f"put the value in quotes: ': ' inside a value starts a new field: {key}: \"{quoted}\""


def _open_quote(text: str, exc: yaml.MarkedYAMLError) -> int | None:
    """The line of a quote left open that explains the error, if there is one.

    Either the file reached the error through a quoted value that runs over several lines
    swallowing lines that look like keys or list items (a quote closed only by the next
    quote, lines later), or PyYAML says so ("while scanning a quoted scalar").
    """
    context = exc.context or ""
    said = exc.context_mark.line + 1 if "quoted scalar" in context and exc.context_mark else None
    problem = exc.problem_mark
    if problem is None:
        return said
    found = None
    lines = text.splitlines()
    loader = _Loader(text)
    try:
        while loader.check_token():
            token = loader.get_token()
            if (token.start_mark.line, token.start_mark.column) >= (problem.line, problem.column):
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ("'", '"')
                and token.end_mark.line > token.start_mark.line
                and any(
                    _LOOKS_LIKE_YAML.match(swallowed)
                    for swallowed in lines[token.start_mark.line + 1 : token.end_mark.line + 1]
                )
            ):
                found = token.start_mark.line + 1
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return found or said  # an earlier quote left open explains the one PyYAML names

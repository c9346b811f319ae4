"""Safe, line-aware YAML: plain values that remember the line each key and item came from.

Only YAML's core scalar types are built (text, numbers, booleans, null); dates stay text so
that a bad date is a problem to report, never a crash; any other tag is refused.

The values and the error are in `yaml_values`; PyYAML and the reading are in `yaml_syntax`,
imported on the first `load_yaml`, so that a process given values already read (a build's
DOCX worker, sent the loaded review) never imports PyYAML (~10 ms).
"""

from __future__ import annotations

from scopekit.review.yaml_values import YamlError, YamlList, YamlMap

__all__ = ["YamlError", "YamlList", "YamlMap", "load_yaml"]


def load_yaml(text: str) -> object:
    """Parse YAML text into plain values (YamlMap, YamlList, scalars); raise YamlError."""
    from scopekit.review.yaml_syntax import parse

    return parse(text)

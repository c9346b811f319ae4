"""The layers of scopekit go one way, and no module imports itself round a circle.

Every module under src/scopekit is parsed with `ast` (nothing is imported) and every import
counts: at module top, under `if TYPE_CHECKING:`, and inside functions. A static import is
an edge from the importing module to the module it names: `from scopekit.checks import
Report` is an edge to the package `scopekit.checks` (its `__init__`), `from scopekit import
markdown` one to the module `scopekit.review.markdown`. Importing `a.b.c` is not counted as an
edge to the packages `a` and `a.b`, although Python runs their `__init__` first: a package
that gathers its own submodules (`review/__init__.py` re-exporting `review.load`) would
otherwise be a circle by construction.

The layers, lowest first. A module may import modules of its own layer or of a lower one,
never of a higher one; within a layer any direction is allowed, so long as there is no
circle. A package's modules share the layer of the package (`scopekit.render.html` is
"render"); a new top-level module or package must be given a layer here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = "scopekit"

LAYERS: list[tuple[str, tuple[str, ...]]] = [
    # The version, the exception tree and the problem/report currency that errors carry.
    ("errors and problems", ("scopekit", "scopekit.errors", "scopekit.problems")),
    # Helpers that know nothing of a review: paths, URLs, ISO dates, atomic writes, link
    # wording, image types, the CSL schema, the citation syntax, OOXML names and a Word
    # paragraph's text, formats, a new folder's files written (refusing a folder that is not
    # empty), the metadata readers of fetched pages, CSL-JSON/BibTeX/RIS conversion, and
    # worker processes forked early (given the function they run).
    (
        "helpers",
        (
            "scopekit.paths",
            "scopekit.urls",
            "scopekit.linktext",
            "scopekit.images",
            "scopekit.isodates",
            "scopekit.schema",
            "scopekit.atomic",
            "scopekit.citation_syntax",
            "scopekit.ooxml",
            "scopekit.formats",
            "scopekit.folder_writer",
            "scopekit.wordtext",
            "scopekit.metadata",
            "scopekit.exchange",
            "scopekit.early",
        ),
    ),
    # The review model: the folder's files read (YAML with lines, Markdown) and written,
    # the field table and dataclasses, and the house style it names.
    ("review model", ("scopekit.review", "scopekit.theme")),
    # What is worked out from a loaded review: problems, notes, link results, the
    # fingerprint of its inputs.
    (
        "checks and cite",
        (
            "scopekit.checks",
            "scopekit.fingerprint",
            "scopekit.cite",
            "scopekit.citeproc_patches",
            "scopekit.notes",
            "scopekit.links",
            "scopekit.reporting",
        ),
    ),
    # One Document, one writer per format, the library page.
    ("render", ("scopekit.render",)),
    # Whole jobs on a folder: build (and a library of reviews), new, import, merge, the
    # live preview of `serve` (rebuilt in memory, served on 127.0.0.1), add and sources.
    (
        "build",
        (
            "scopekit.build",
            "scopekit.starter",
            "scopekit.importer",
            "scopekit.merging",
            "scopekit.preview",
            "scopekit.reading",
            "scopekit.adding",
            "scopekit.filling",
            "scopekit.exchanging",
        ),
    ),
    # One module per command: options in, library calls, everything printed.
    ("commands", ("scopekit.commands",)),
    # The typer app and the console-script entry point (which may fork the PDF's worker
    # before the app is imported).
    ("cli", ("scopekit.cli", "scopekit.console", "scopekit.__main__")),
]


def _modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name)."""
    found = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The scopekit modules that module `name` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from ..y import z
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                named.add(submodule if submodule in MODULES else source)
    return {module for module in named if module in MODULES and module != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def layer_of(module: str) -> int | None:
    """The index in LAYERS of `module`: its own entry, else that of its nearest package."""
    candidates = [
        (len(prefix), index)
        for index, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or (prefix != PACKAGE and module.startswith(f"{prefix}."))
    ]
    return max(candidates)[1] if candidates else None


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _a_circle(component: list[str]) -> list[str]:
    """One circle through the first module of a component, as the modules in import order."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(GRAPH[node] & members):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    return component


def test_the_package_is_found() -> None:
    assert {"scopekit.cli", "scopekit.checks", "scopekit.render.html"} <= set(MODULES)
    assert "scopekit.checks" in GRAPH["scopekit.commands.check"]


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(name for name in MODULES if layer_of(name) is None)
    assert not unplaced, f"give these modules a layer in LAYERS (tests/test_layers.py): {unplaced}"


def test_no_import_circle() -> None:
    circles = [
        f"{len(component)} modules ({', '.join(component)}), e.g. "
        + " → ".join(_a_circle(component))
        for component in _cycles(GRAPH)
    ]
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_imports_go_down_the_layers() -> None:
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, targets in sorted(GRAPH.items())
        for target in sorted(targets)
        if layer_of(module) is not None
        and layer_of(target) is not None
        and layer_of(target) > layer_of(module)
    ]
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


@pytest.mark.parametrize(
    ("source", "edges"),
    [
        ("from scopekit.checks import Report", {"scopekit.checks"}),
        ("from scopekit.review import markdown", {"scopekit.review.markdown"}),
        ("import scopekit.render.html", {"scopekit.render.html"}),
        ("def f():\n    from scopekit.build import build_review", {"scopekit.build"}),
        (
            "import typing\nif typing.TYPE_CHECKING:\n    from scopekit.cite import Notes",
            {"scopekit.cite"},
        ),
        ("from .writers import WRITERS", {"scopekit.render.writers"}),
        ("from .. import errors", {"scopekit.errors"}),
        ("import json\nfrom pathlib import Path", set()),
    ],
)
def test_every_kind_of_import_is_an_edge(tmp_path: Path, source: str, edges: set[str]) -> None:
    """The parser's own check: top-level, in-function, TYPE_CHECKING and relative imports."""
    path = tmp_path / "library.py"  # read as scopekit.render.library
    path.write_text(source + "\n", encoding="utf-8")
    assert _imports("scopekit.render.library", path) == edges


def test_a_circle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]

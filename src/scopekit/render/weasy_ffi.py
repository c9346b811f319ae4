"""WeasyPrint's C declarations (Pango, HarfBuzz, fontconfig) read from a cache, not parsed
at every import.

WeasyPrint 70's `weasyprint/text/ffi.py` parses some 450 lines of C declarations with cffi
and binds seven libraries to them each time it is imported: about 0.25 s, half of
WeasyPrint's import. `preload()` compiles those declarations once into cffi's out-of-line
ABI form (a small Python module of packed type tables that cffi's C backend reads in a few
milliseconds), kept in the user's cache folder under a key made of the declarations and
cffi's version, then runs the rest of WeasyPrint's `ffi.py` unchanged (its library look-up,
`g_type_init`, constants) on that FFI object, as the module `weasyprint.text.ffi`. The same
C functions of the same libraries are called, so the PDF bytes are the same.

Anything unexpected (another shape of `ffi.py`, no cache folder, a cffi that cannot emit)
and nothing is preloaded: WeasyPrint then imports as it always does.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib.util
import os
import sys
import tempfile
import types
from pathlib import Path

from scopekit.paths import cache_dir

MODULE = "weasyprint.text.ffi"
COMPILED = "_scopekit_weasyprint_ffi"


def preload() -> bool:
    """Install `weasyprint.text.ffi` from the cached declarations, before WeasyPrint is
    imported; whether it was installed (False: WeasyPrint will import it itself)."""
    if MODULE in sys.modules:
        return False
    try:
        import cffi

        source = _source()
        cdef, rest = split(source.read_text(encoding="utf-8"))
        ffi = _compiled(cdef, cffi.__version__).ffi
    except Exception:  # no WeasyPrint or cffi, an unknown ffi.py, an unwritable cache
        return False
    module = types.ModuleType(MODULE)
    module.__file__ = str(source)
    module.ffi = ffi
    sys.modules[MODULE] = module
    try:
        exec(compile(rest, str(source), "exec"), module.__dict__)
    except Exception:
        del sys.modules[MODULE]
        return False
    return True


def _source() -> Path:
    """WeasyPrint's ffi.py, found without importing WeasyPrint."""
    spec = importlib.util.find_spec("weasyprint")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("weasyprint")
    return Path(next(iter(spec.submodule_search_locations))) / "text" / "ffi.py"


def split(source: str) -> tuple[str, ast.Module]:
    """The declarations given to `ffi.cdef` in WeasyPrint's ffi.py, and the module without
    the two statements that make the FFI (`ffi = cffi.FFI()`, `ffi.cdef(...)`)."""
    tree = ast.parse(source)
    cdef = None
    made = False
    body = []
    for node in tree.body:
        call = getattr(node, "value", None)
        name = ast.unparse(call.func) if isinstance(call, ast.Call) else ""
        if isinstance(node, ast.Assign) and name == "cffi.FFI" and not made:
            made = True
        elif isinstance(node, ast.Expr) and name == "ffi.cdef" and cdef is None:
            argument = call.args[0] if len(call.args) == 1 else None
            if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
                raise ValueError("ffi.cdef is not given one string")
            cdef = argument.value
        else:
            body.append(node)
    if cdef is None or not made:
        raise ValueError("no ffi = cffi.FFI() and ffi.cdef('...') in ffi.py")
    return cdef, ast.Module(body=body, type_ignores=[])


def _compiled(cdef: str, version: str) -> types.ModuleType:
    """The out-of-line module for `cdef`, emitted into the cache once."""
    key = hashlib.sha256(f"{version}\n{cdef}".encode()).hexdigest()[:16]
    target = cache_dir() / "cffi" / f"weasyprint-ffi-{key}.py"
    if not target.is_file():
        _emit(cdef, target)
    spec = importlib.util.spec_from_file_location(COMPILED, target)
    if spec is None or spec.loader is None:
        raise ImportError(str(target))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _emit(cdef: str, target: Path) -> None:
    """Write cffi's out-of-line ABI module for `cdef` at `target` (atomically)."""
    import cffi
    from cffi.recompiler import make_py_source

    builder = cffi.FFI()
    builder.cdef(cdef)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        make_py_source(builder, COMPILED, tmp)  # quietly, where emit_python_code prints
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)

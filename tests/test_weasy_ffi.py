"""WeasyPrint's C declarations from the cache (render/weasy_ffi.py): the same PDF bytes as
WeasyPrint's own import, the cache written once, and an unknown ffi.py left to WeasyPrint."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW

from scopekit.render import weasy_ffi

# Renders CLEAN_REVIEW's PDF into argv[2]; argv[1] "plain" imports WeasyPrint first (its own
# ffi.py parses the declarations), "cached" preloads them; prints how ffi.py was loaded.
SCRIPT = """
import sys
from pathlib import Path
if sys.argv[1] == "plain":
    import weasyprint
from scopekit.render import weasy_ffi
installed = weasy_ffi.preload()
from scopekit.render import build_document
from scopekit.render.pdf import render_pdf
from scopekit.review import load_review
import weasyprint.text.ffi as ffi
data, _ = render_pdf(build_document(load_review(Path(sys.argv[3]))))
Path(sys.argv[2]).write_bytes(data)
print(installed, type(ffi.ffi).__module__)
"""


def _render(how: str, out: Path, cache: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, how, str(out), str(CLEAN_REVIEW)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_the_cached_declarations_make_the_same_pdf(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _render("plain", tmp_path / "plain.pdf", cache) == "False cffi.api"
    assert not (cache / "scopekit" / "cffi").exists()
    assert _render("cached", tmp_path / "first.pdf", cache) == "True _cffi_backend"
    [compiled] = (cache / "scopekit" / "cffi").iterdir()
    made = compiled.stat().st_mtime_ns
    assert _render("cached", tmp_path / "again.pdf", cache) == "True _cffi_backend"
    assert compiled.stat().st_mtime_ns == made  # read, not written again
    plain = (tmp_path / "plain.pdf").read_bytes()
    assert (tmp_path / "first.pdf").read_bytes() == plain
    assert (tmp_path / "again.pdf").read_bytes() == plain


def test_split_takes_out_the_ffi_and_its_declarations() -> None:
    cdef, rest = weasy_ffi.split(
        "import cffi\nffi = cffi.FFI()\nffi.cdef('int abs(int);')\nsize = ffi.sizeof('int')\n"
    )
    assert cdef == "int abs(int);"
    assert ast.unparse(rest) == "import cffi\nsize = ffi.sizeof('int')"


@pytest.mark.parametrize(
    "source",
    [
        "import cffi\nffi = cffi.FFI()\nffi.cdef(DECLARATIONS)\n",
        "import cffi\nffi = cffi.FFI()\n",
        "ffi.cdef('int abs(int);')\n",
    ],
)
def test_another_shape_of_ffi_py_is_refused(source: str) -> None:
    with pytest.raises(ValueError):
        weasy_ffi.split(source)


def test_nothing_is_preloaded_once_weasyprint_is_imported() -> None:
    import weasyprint  # noqa: F401

    assert not weasy_ffi.preload()

"""The package as a user installs it: a wheel that carries the templates, a working CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("scopekit-*.whl"))


def test_wheel_ships_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {
        n.removeprefix("scopekit/templates/") for n in names if n.startswith("scopekit/templates/")
    }
    in_tree = {
        p.relative_to(ROOT / "templates").as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_file()
    }
    assert in_tree and in_tree <= shipped
    assert "scopekit/cli/__init__.py" in names


def test_non_editable_install_runs_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    """pip install of the wheel into a fresh venv: the CLI works outside the source tree.

    The venv sees the dependencies of the environment running the tests (a .pth file naming
    its site-packages), never the system Python's: a test that passed only where typer had
    been installed into the system Python hid a failing README command on a clean machine.
    """
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / ("Scripts" if os.name == "nt" else "bin") / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    outer = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "outer-env.pth").write_text("\n".join(sorted(outer)) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--force-reinstall",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import scopekit, scopekit.paths as p; print(scopekit.__file__); print(p.templates_dir())"
    )
    out = subprocess.run(
        [str(python), "-c", code], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout.split("\n")
    assert str(env_dir) in out[0], "scopekit must be imported from the venv, not the source tree"
    templates = Path(out[1])
    assert templates.is_relative_to(env_dir)
    assert (templates / "coventry-hdrc" / "theme.yaml").is_file()
    result = subprocess.run(
        [str(python), "-m", "scopekit", "check", str(ROOT / "reviews" / "social-value")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "SCOPEKIT_TODAY": TODAY},
    )
    assert result.returncode == 0, result.stderr
    assert "social-value: 0 errors" in result.stdout


def test_every_third_party_import_is_a_declared_dependency(wheel: Path) -> None:
    """A fresh install gets every library the code imports (the wheel's Requires-Dist)."""
    import ast
    import re
    from importlib.metadata import packages_distributions

    metadata = (
        zipfile.ZipFile(wheel)
        .read(
            next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".dist-info/METADATA"))
        )
        .decode()
    )
    declared = {
        re.split(r"[\s;<>=!~\[]", line.split(":", 1)[1].strip())[0].lower().replace("_", "-")
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    modules: set[str] = set()
    for path in (ROOT / "src" / "scopekit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    owners = packages_distributions()
    missing = {}
    for module in sorted(modules - set(sys.stdlib_module_names) - {"scopekit"}):
        dists = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported but not declared in pyproject dependencies: {missing}"


def test_version_from_console_script_and_module() -> None:
    from scopekit import __version__

    script = str(Path(sys.executable).parent / "scopekit")
    for command in ([script, "--version"], [sys.executable, "-m", "scopekit", "--version"]):
        result = subprocess.run(command, capture_output=True, text=True)
        assert result.returncode == 0
        assert result.stdout.strip() == f"scopekit {__version__}"


def test_cli_import_stays_light() -> None:
    """`import scopekit.cli` loads no renderer or network library (they cost seconds)."""
    code = (
        "import sys, scopekit.cli, scopekit.commands.check, scopekit.checks; "
        "print(sorted({m.split('.')[0] for m in sys.modules}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    for heavy in ("weasyprint", "docx", "aiohttp", "citeproc", "jinja2", "rich"):
        assert f"'{heavy}'" not in loaded


def test_a_docx_worker_imports_no_yaml_and_forking_no_multiprocessing() -> None:
    """A build's DOCX worker is sent a review already read: what it imports to render one
    (the writer's modules and the Document's classes) leaves PyYAML out; and forking it
    imports nothing of multiprocessing, before which nothing else of the build can start."""
    code = (
        "import sys, scopekit.early; "
        "channel, child = scopekit.early.fork('scopekit.render.ahead:work', 'html'); "
        "channel.close(); child.join(10); "
        "before = {m.split('.')[0] for m in sys.modules}; "
        "import importlib, scopekit.render.ahead as ahead; "
        "[importlib.import_module(m) for m in ahead.PRELOAD['docx']]; "
        "print(sorted(before), sorted({m.split('.')[0] for m in sys.modules}))"
    )
    before, after = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("] [")
    assert "'multiprocessing'" not in before
    assert "'yaml'" not in after
    assert "'docx'" in after  # the writer did import what it renders with

"""Faults while building: a killed build, permission errors, a full disk, a blocked path."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, ENV, copy_review
from typer.testing import CliRunner

from scopekit.atomic import TMP_SUFFIX
from scopekit.build import build_review
from scopekit.cli import app


def test_killed_build_leaves_previous_outputs_and_no_stray_files(tmp_path: Path) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    build_review(review, ["html", "pdf"])
    outputs = {p.name: p.read_bytes() for p in (review / "build").iterdir()}
    (review / "findings.md").write_text((review / "findings.md").read_text() + "\nMore.\n")
    cited = review / ".scopekit" / "references.json"
    cited.unlink()  # written again once the build has cited, before it writes any output
    process = subprocess.Popen(
        [sys.executable, "-m", "scopekit", "build", str(review), "-f", "pdf", "-f", "html"],
        env={**os.environ, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not cited.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)  # mid-build: cited, the PDF's worker laying it out
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    after = {
        p.name: p.read_bytes()
        for p in (review / "build").iterdir()
        if not p.name.endswith(TMP_SUFFIX)
    }
    assert after == outputs, "a killed build must leave the previous outputs whole"
    # the next run cleans up whatever the killed one left, and builds
    (review / "build" / f".clean.pdf.abc{TMP_SUFFIX}").write_bytes(b"half a PDF")
    result = CliRunner().invoke(app, ["build", str(review), "-f", "pdf", "-f", "html"], env=ENV)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (review / "build").iterdir())
    assert names == ["clean.html", "clean.pdf"]
    assert (review / "build" / "clean.html").read_bytes() != outputs["clean.html"]


@pytest.mark.parametrize(
    ("code", "hint"),
    [
        (errno.EACCES, "permissions"),
        (errno.ENOSPC, "free some disk space"),
        (errno.EROFS, "read-only"),
    ],
)
def test_os_errors_while_writing_are_one_clear_error(tmp_path, monkeypatch, code, hint) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    result = CliRunner().invoke(app, ["build", str(review), "-f", "html"], env=ENV)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-2].startswith("scopekit: error: cannot write ")
    assert os.strerror(code) in lines[-2]
    assert hint in lines[-1]
    assert "Traceback" not in result.output


def test_permission_error_creating_the_output_folder(tmp_path, monkeypatch) -> None:
    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")

    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    result = CliRunner().invoke(app, ["build", str(review), "-f", "html"], env=ENV)
    assert result.exit_code == 2
    assert "cannot create the folder" in result.output and "Permission denied" in result.output

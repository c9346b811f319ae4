"""The console script's start: only the command that runs is made into a click command
(cli/app.py's `only`), and the behaviour is that of the whole app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from scopekit.cli import app
from scopekit.cli.app import only


def _console(run: str, *argv: str, before: str = "") -> subprocess.CompletedProcess:
    """The console script in a fresh Python, `scopekit.cli.main` replaced by a function whose
    body is `run`, `before` run first, on the command line `argv`."""
    body = "".join(f"    {line}\n" for line in run.splitlines())
    code = (
        f"import sys\nimport scopekit.cli\n{before}def run():\n{body}"
        "scopekit.cli.main = run\nfrom scopekit.console import main\n"
        f"sys.argv = ['scopekit', *{list(argv)!r}]\nmain()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_only_the_command_named_is_kept() -> None:
    narrowed = only(app, "check-links")
    assert [c.callback.__name__ for c in narrowed.registered_commands] == ["check_links"]
    assert not narrowed.registered_groups
    assert len(app.registered_commands) > 1 and app.registered_groups  # app unchanged


def test_a_group_help_or_typo_gets_the_whole_app() -> None:
    for name in ("sources", "--help", "--version", "bild", ""):
        assert only(app, name) is app


def test_a_narrowed_app_shows_the_same_command_help() -> None:
    runner = CliRunner()
    whole = runner.invoke(app, ["build", "--help"], prog_name="scopekit")
    narrowed = runner.invoke(only(app, "build"), ["build", "--help"], prog_name="scopekit")
    assert whole.exit_code == narrowed.exit_code == 0
    assert narrowed.output == whole.output


def test_the_console_script_still_knows_every_command() -> None:
    script = str(Path(sys.executable).parent / "scopekit")
    done = subprocess.run([script, "bild"], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Did you mean 'build'?" in done.stderr


def test_the_command_runs_with_the_garbage_collector_on_and_exit_skips_it() -> None:
    """The console script collects no garbage while importing the command line, but the
    command itself (`serve`, `check-links` run for long) runs with the collector on, what
    the imports made frozen (never scanned); at exit what is alive is frozen, so Python's
    last full collection scans nothing."""
    code = (
        "import gc, sys\n"
        "import scopekit.cli\n"
        "seen = []\n"
        "scopekit.cli.main = lambda: seen.append(gc.isenabled() and gc.get_freeze_count() > 0)\n"
        "from scopekit.console import main\n"
        "sys.argv = ['scopekit', 'check', '.']\n"
        "main()\n"
        "print(seen, gc.get_freeze_count() > 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["[True]", "True"], done.stdout + done.stderr


_INTERRUPTED = """
import sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == "scopekit.cli":
            raise KeyboardInterrupt
sys.meta_path.insert(0, Interrupt())
sys.argv = ["scopekit", "check", "."]
from scopekit.console import main
main()
"""


def test_ctrl_c_while_the_command_line_is_imported_prints_no_traceback() -> None:
    done = subprocess.run([sys.executable, "-c", _INTERRUPTED], capture_output=True, text=True)
    assert done.returncode == 130
    assert done.stderr == "scopekit: interrupted\n"


def test_after_a_build_the_process_ends_without_teardown_and_loses_no_output() -> None:
    """A build leaves at once (`console.leave`): what it printed is flushed, its exit
    status is kept, and Python's teardown (here an atexit handler) is skipped."""
    run = "print('docx  built', end='')\nsys.stderr.write('1 warning')\nsys.exit(1)"
    before = "import atexit\natexit.register(lambda: print('teardown'))\n"
    done = _console(run, "build", "no-such-folder", before=before)
    assert (done.returncode, done.stdout, done.stderr) == (1, "docx  built", "1 warning")
    done = _console(run, "check", "no-such-folder", before=before)
    assert (done.returncode, done.stdout) == (1, "docx  builtteardown\n")


def test_a_real_build_exits_with_its_status_and_all_its_lines(tmp_path: Path) -> None:
    from conftest import CLEAN_REVIEW, copy_review

    review = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    script = str(Path(sys.executable).parent / "scopekit")
    done = subprocess.run(
        [script, "build", str(review), "--format", "docx"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("docx  ") and done.stdout.endswith("s)\n")
    assert (review / "build" / "clean.docx").is_file()


class _InterruptedImport:
    """A meta path finder: Ctrl-C pressed while `name` is imported."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.name:
            raise KeyboardInterrupt
        return None


def test_ctrl_c_while_a_command_module_is_imported_is_said(monkeypatch, tmp_path: Path) -> None:
    """typer ends a Ctrl-C outside the command's own handler with status 130 and no word;
    each command imports its module inside the handler, so the user is told."""
    import scopekit.commands

    monkeypatch.delitem(sys.modules, "scopekit.commands.build", raising=False)
    monkeypatch.delattr(scopekit.commands, "build", raising=False)
    monkeypatch.setattr(
        sys, "meta_path", [_InterruptedImport("scopekit.commands.build"), *sys.meta_path]
    )
    result = CliRunner().invoke(app, ["build", str(tmp_path)])
    assert result.exit_code == 130
    assert "scopekit: interrupted" in result.output


def test_ctrl_c_before_the_command_line_handles_it_is_said_not_a_traceback() -> None:
    done = _console("raise KeyboardInterrupt", "check", ".")
    assert (done.returncode, done.stderr) == (130, "scopekit: interrupted\n")


_PRELOADS = """
import sys
import scopekit.cli
import scopekit.render.ahead as ahead
from scopekit import early
early.start = lambda target, name: None
early.started = lambda name: object()
ahead.preload = lambda name, folder: print("preloaded", name, folder)
scopekit.cli.main = lambda: None
from scopekit.console import main
sys.argv = ["scopekit", *sys.argv[1:]]
main()
"""


def test_a_docx_build_is_preloaded_unless_it_shows_changes_since(tmp_path: Path) -> None:
    from conftest import CLEAN_REVIEW, copy_review

    review = str(copy_review(CLEAN_REVIEW, tmp_path / "clean"))

    def run(*words: str) -> str:
        command = [sys.executable, "-c", _PRELOADS, "build", review, "-f", "docx", *words]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    assert run() == f"preloaded docx {review}\n"
    assert run("--changes-since", "old.docx") == ""
    assert run("--changes-since=old.docx") == ""


def test_ctrl_c_while_typer_parses_the_command_line_is_said(monkeypatch) -> None:
    """typer turns a Ctrl-C in its own parsing into status 130 without a word; the CLI's
    entry point says it."""
    import typer.core

    from scopekit.cli.app import main as cli_main

    def interrupted(self, ctx, args):
        raise KeyboardInterrupt

    monkeypatch.setattr(typer.core.TyperGroup, "parse_args", interrupted)
    monkeypatch.setattr(sys, "argv", ["scopekit", "check", "."])
    messages: list[str] = []
    entry = sys.modules["scopekit.cli.app"]
    monkeypatch.setattr(entry, "say_interrupted", lambda: messages.append("said"))
    try:
        cli_main()
    except SystemExit as stop:
        assert stop.code == 130
    assert messages == ["said"]


def test_ctrl_c_python_wraps_in_a_runtime_error_is_said_too() -> None:
    """Python 3.11 wraps a KeyboardInterrupt raised while a class is made (`__set_name__`)
    in a RuntimeError: it is still Ctrl-C, not an internal error."""
    run = (
        "try:\n    raise KeyboardInterrupt\nexcept KeyboardInterrupt as stop:\n"
        "    raise RuntimeError('Error calling __set_name__') from stop"
    )
    done = _console(run, "check", ".")
    assert (done.returncode, done.stderr) == (130, "scopekit: interrupted\n")


def test_leaving_after_a_build_ends_the_workers_no_build_took() -> None:
    before = "from scopekit import early\nearly.stop = lambda: print('workers stopped', end='')\n"
    done = _console("sys.exit(2)", "build", "no-such-folder", "--bogus", before=before)
    assert (done.returncode, done.stdout) == (2, "workers stopped")

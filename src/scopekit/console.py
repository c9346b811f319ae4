"""The console script `scopekit`: a build forks the worker of the format it renders ahead
(the PDF's, or else the DOCX's: formats.ahead_format) first, before the command line's
modules (typer, the checks) are imported, so that the writer's import in the worker
(WeasyPrint, python-docx) overlaps theirs; for the DOCX's, the review folder is loaded
here at once and sent to the worker (render/ahead.py `preload`), which renders it while
the command line is imported and the build checks that same review; then
`scopekit.cli.main` runs as ever.

Three costs of a short-lived process are left out: collecting garbage while the command
line is imported (it makes next to none, ~10 ms), the full collection Python makes at exit
over every object still alive (~20-40 ms after a build), which frees nothing the operating
system does not free anyway: the objects are frozen (`gc.freeze`) before it; and, after a
build, Python's teardown of every module and object (`leave`)."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

# Options of `scopekit build` that take a value (formats.py's names come after --format).
_VALUED = {"--out", "--changes-since"}
_FORMAT = {"--format"}
_SHORT_VALUED = "fo"  # -f FORMAT, -o DIR


def main() -> None:
    """Console-script entry point."""
    gc.disable()  # the command line's imports make next to no garbage worth collecting
    try:
        worker = renders_ahead(sys.argv[1:])
        if worker is not None:
            from scopekit import early

            early.start("scopekit.render.ahead:work", worker)
            if early.started(worker) is not None and not _compares(sys.argv[1:]):
                from scopekit.render.ahead import preload

                preload(worker, _build_words(sys.argv[1:])[0])
        from scopekit.cli import main as run
    except (KeyboardInterrupt, RuntimeError) as error:  # while the CLI (or review) is read
        _interrupted(error)
    gc.freeze()  # what the imports (and a preloaded review) made lives to the end
    gc.enable()
    try:
        run()
    except SystemExit as stop:
        if sys.argv[1:2] == ["build"]:
            leave(stop.code)
        raise
    except (KeyboardInterrupt, RuntimeError) as error:  # before the CLI's own handler
        _interrupted(error)
    finally:
        gc.freeze()  # at exit, Python's last collection would free only what the OS frees


def _interrupted(error: BaseException) -> NoReturn:
    """Ctrl-C: one line and status 130. Python 3.11 wraps one that lands in a class's
    creation in a RuntimeError; any other error is raised again."""
    if isinstance(error, RuntimeError) and not isinstance(error.__cause__, KeyboardInterrupt):
        raise error
    sys.stderr.write("scopekit: interrupted\n")
    sys.exit(130)


def leave(code: object) -> NoReturn:
    """End the process with `code` as `sys.exit` would, once the output is flushed, without
    Python's teardown: after a build it frees every object and module one by one (~5 ms),
    memory the operating system takes back anyway. Only after `build`, whose files are
    written and closed and whose workers have ended before it returns."""
    from scopekit import early

    early.stop()  # a worker no build took (a usage error): Python would have ended it
    if code is not None and not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to flush to
            stream.flush()
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def renders_ahead(args: Sequence[str]) -> str | None:
    """The format a build of one review folder asked for by `args` renders ahead, if any (a
    guess from the words alone: the build itself decides, and stops an unneeded worker)."""
    if not args or args[0] != "build" or "--help" in args:
        return None
    folder, formats = _build_words(args)
    if not os.path.isfile(os.path.join(folder, "review.yaml")):
        return None  # a library's workers render their formats in-process
    from scopekit.formats import FORMATS, ahead_format

    return ahead_format(formats or list(FORMATS))


def _compares(args: Sequence[str]) -> bool:
    """Whether a `build` command line asks for the changes since an earlier DOCX: its
    worker is then sent the review and that DOCX, not preloaded (its render would be lost)."""
    return any(word == "--changes-since" or word.startswith("--changes-since=") for word in args)


def _build_words(args: Sequence[str]) -> tuple[str, list[str]]:
    """The folder (default ".") and the formats a `build` command line names."""
    folder, formats = None, []
    words = iter(args[1:])
    for word in words:
        if word in _FORMAT:
            formats.append(next(words, ""))
        elif word.startswith("--format="):
            formats.append(word.partition("=")[2])
        elif word in _VALUED:
            next(words, None)
        elif word.startswith("-") and not word.startswith("--") and len(word) > 1:
            letters = word[1:]  # short options, as click reads them: `-vo DIR`, `-fdocx`
            at = next((i for i, letter in enumerate(letters) if letter in _SHORT_VALUED), None)
            if at is not None:
                value = letters[at + 1 :] or next(words, "")
                if letters[at] == "f":
                    formats.append(value)
        elif not word.startswith("-") and folder is None:
            folder = word
    return folder or ".", formats

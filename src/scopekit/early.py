"""Worker processes forked as early as possible, and handed to whoever needs them later.

`fork("module:function", name)` forks a process that imports `module` and runs
`function(name, connection)`; the parent keeps its end of the pipe. The console script
(scopekit/console.py) forks the worker of the format a build renders ahead this way before
the command line's modules are imported (`start`); `started(name)` gives it to whoever
sends it work early, and `adopt(name)` hands it to the build (render/ahead.py), which forks
its own when there is none. Nothing of scopekit is imported here, so forking costs only
Python's start-up and multiprocessing's import.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import signal
import sys
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import multiprocessing.process
    from multiprocessing.connection import Connection

    Worker = tuple[Connection, multiprocessing.process.BaseProcess]

_started: dict[str, Worker] = {}


def can_fork() -> bool:
    """Whether a worker may be forked here: a POSIX system other than macOS, one thread, and
    no worker itself (a library's pool worker builds its reviews' PDFs in-process)."""
    import multiprocessing

    return (
        sys.platform != "darwin"
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def fork(target: str, name: str) -> Worker | None:
    """A worker running `target` ("module:function") for `name`, and the parent's end of its
    pipe; None where no worker may run."""
    if not can_fork():
        return None
    for stream in (sys.stdout, sys.stderr):  # buffered text must not be written twice
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    import multiprocessing

    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(target=_run, args=(target, name, child, parent), daemon=True)
    # Ctrl-C is the parent's: the worker is born ignoring it (set before the fork, so no
    # interrupt reaches it while it starts), and the parent ends it.
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    except (OSError, AssertionError):  # AssertionError: inside a daemonic process
        return None
    finally:
        signal.signal(signal.SIGINT, interrupt)
    child.close()
    return parent, process


def start(target: str, name: str) -> None:
    """Fork `name`'s worker now, for `adopt` to hand over."""
    if name not in _started:
        worker = fork(target, name)
        if worker is not None:
            _started[name] = worker


def started(name: str) -> Worker | None:
    """The worker `start` forked for `name`, still to be adopted; None if there is none."""
    return _started.get(name)


def adopt(name: str) -> Worker | None:
    """The worker `start` forked for `name`, once; None if there is none."""
    return _started.pop(name, None)


def stop() -> None:
    """End every worker `start` forked that nothing adopted (the command stopped before its
    build began: a usage error, Ctrl-C), for a process that exits without Python's clean-up
    of its children (console.leave)."""
    while _started:
        conn, process = _started.popitem()[1]
        with contextlib.suppress(OSError):
            conn.close()
        with contextlib.suppress(OSError, ValueError):
            process.terminate()


def _run(target: str, name: str, conn: Connection, parents: Connection) -> None:
    parents.close()  # else the pipe never ends here when the parent dies: no orphans
    gc.disable()  # the target's imports make no garbage worth collecting; it enables it
    module, _, function = target.partition(":")
    getattr(importlib.import_module(module), function)(name, conn)

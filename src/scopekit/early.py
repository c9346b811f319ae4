"""Worker processes forked as early as possible, and handed to whoever needs them later.

`fork("module:function", name)` forks a process that imports `module` and runs
`function(name, channel)`; the parent keeps its end of the worker's pipes (a `Channel`) and
the `Child`. The console script (scopekit/console.py) forks the worker of the format a build
renders ahead this way before the command line's modules are imported (`start`);
`started(name)` gives it to whoever sends it work early, and `adopt(name)` hands it to the
build (render/ahead.py), which forks its own when there is none.

Nothing of scopekit is imported here, nor multiprocessing: `os.fork` and two pipes carry
pickled objects as multiprocessing's Connection does, so forking costs only Python's
start-up and pickle's import (multiprocessing's own import, ~10 ms, came before the fork
and so before everything else a build does). A library's pool (build.py) still uses
multiprocessing, imported there.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pickle
import signal
import sys
import threading
import time

# Linux lets a pipe hold up to /proc/sys/fs/pipe-max-size (1 MiB by default): a Document
# sent before the worker reads it then does not hold up the sender.
_PIPE_SIZE = 1 << 20


class Channel:
    """One end of a worker's two pipes: each object pickled, sent as its length and bytes."""

    def __init__(self, read_fd: int, write_fd: int) -> None:
        self._reader = os.fdopen(read_fd, "rb")
        self._writer = os.fdopen(write_fd, "wb")

    def send(self, obj: object) -> None:
        """Send `obj` (OSError if the other end is gone)."""
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        self._writer.write(len(data).to_bytes(8, "big"))
        self._writer.write(data)
        self._writer.flush()

    def recv(self) -> object:
        """The next object sent; EOFError once the other end is closed."""
        header = self._reader.read(8)
        size = int.from_bytes(header, "big") if len(header) == 8 else -1
        data = self._reader.read(size) if size >= 0 else b""
        if size < 0 or len(data) < size:
            raise EOFError("the other end of the channel is closed")
        return pickle.loads(data)

    def close(self) -> None:
        for stream in (self._writer, self._reader):
            with contextlib.suppress(OSError):
                stream.close()


class Child:
    """A forked worker process: wait for it, ask whether it runs, stop it."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._ended = False

    def is_alive(self) -> bool:
        return not self._reap(os.WNOHANG)

    def join(self, timeout: float | None = None) -> None:
        """Wait until the process has ended, for at most `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.0001
        while not self._reap(os.WNOHANG):
            if deadline is not None and time.monotonic() >= deadline:
                return
            time.sleep(pause)
            pause = min(pause * 2, 0.01)

    def terminate(self) -> None:
        """Stop the process (SIGTERM), if it still runs."""
        if not self._ended:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)

    def _reap(self, options: int) -> bool:
        """Whether the process has ended (collecting its exit status once)."""
        if not self._ended:
            try:
                pid, _ = os.waitpid(self.pid, options)
            except ChildProcessError:  # collected already
                pid = self.pid
            if pid == self.pid:
                self._ended = True
                _children.discard(self)
        return self._ended


Worker = tuple[Channel, Child]

_started: dict[str, Worker] = {}
_children: set[Child] = set()


def can_fork() -> bool:
    """Whether a worker may be forked here: a POSIX system other than macOS, one thread, and
    no worker itself (a library's pool worker builds its reviews' PDFs in-process)."""
    pool = sys.modules.get("multiprocessing")
    return (
        hasattr(os, "fork")
        and sys.platform != "darwin"
        and threading.active_count() == 1
        and not (pool is not None and pool.current_process().daemon)
    )


def children() -> list[Child]:
    """The workers forked here that still run."""
    return [child for child in list(_children) if child.is_alive()]


def fork(target: str, name: str) -> Worker | None:
    """A worker running `target` ("module:function") for `name`, and the parent's end of its
    pipes; None where no worker may run."""
    if not can_fork():
        return None
    for stream in (sys.stdout, sys.stderr):  # buffered text must not be written twice
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    down, up = _pipe(), _pipe()  # parent -> worker, worker -> parent
    # Ctrl-C is the parent's: the worker is born ignoring it (set before the fork, so no
    # interrupt reaches it while it starts), and the parent ends it.
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:  # the worker: never returns into the parent's code
        os.close(down[1])  # else the pipe never ends here when the parent dies: no orphans
        os.close(up[0])
        _run(target, name, Channel(down[0], up[1]))
    signal.signal(signal.SIGINT, interrupt)
    if pid < 0:
        for fd in (*down, *up):
            os.close(fd)
        return None
    os.close(down[0])
    os.close(up[1])
    child = Child(pid)
    _children.add(child)
    return Channel(up[0], down[1]), child


def _pipe() -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    if sys.platform.startswith("linux"):
        import fcntl

        with contextlib.suppress(OSError):
            fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    return read_fd, write_fd


def _run(target: str, name: str, channel: Channel) -> None:
    """The worker's life: run `target`, then end the process without running anything of
    the parent's (its exit handlers, its buffered output)."""
    gc.disable()  # the target's imports make no garbage worth collecting; it enables it
    status = 0
    try:
        module, _, function = target.partition(":")
        getattr(importlib.import_module(module), function)(name, channel)
    except BaseException:  # the parent renders in-process and reports what went wrong
        status = 1
    finally:
        with contextlib.suppress(BaseException):
            channel.close()
        os._exit(status)


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
        channel, child = _started.popitem()[1]
        channel.close()
        child.terminate()

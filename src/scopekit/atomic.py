"""Writing outputs safely: atomically, and never over a file someone edited by hand.

Each output is written to a temporary file beside its target, then renamed over it, so an
interrupted build leaves the previous file whole. The hash of what scopekit wrote is kept in
`DIR/.scopekit/build.json`; a file whose bytes differ from it was changed since (a colleague's
edits in Word) and is only overwritten with `force`.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from scopekit.errors import OutputError

TMP_SUFFIX = ".scopekit-tmp"


_HINTS = {
    errno.EACCES: "check the folder's permissions, or choose another with --out",
    errno.EPERM: "check the folder's permissions, or choose another with --out",
    errno.ENOSPC: "free some disk space and build again",
    errno.EROFS: "the disk is read-only: choose another folder with --out",
    errno.ENOTDIR: "a file stands where a folder is needed: move it, or use --out",
    errno.EEXIST: "a file stands where a folder is needed: move it, or use --out",
}


def os_error(action: str, path: Path, exc: OSError) -> OutputError:
    """One clear error for an OSError while writing."""
    reason = exc.strerror or str(exc)
    return OutputError(f"cannot {action} {path}: {reason}", _HINTS.get(exc.errno or 0))


def sha256(data: bytes) -> str:
    """Hex SHA-256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


class Manifest:
    """What scopekit last wrote: output path → SHA-256, in `DIR/.scopekit/build.json`.

    Outputs are keyed by their path relative to the review folder, so a review (or a
    library) that is copied or moved, with its build/ and .scopekit/, still knows them.
    """

    def __init__(self, review_root: Path) -> None:
        self.root = review_root.resolve()
        self.path = review_root / ".scopekit" / "build.json"
        self.hashes: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict):
            for name, table in (("outputs", self.hashes), ("inputs", self.inputs)):
                if isinstance(data.get(name), dict):
                    table.update({str(k): str(v) for k, v in data[name].items()})

    def key(self, path: Path) -> str:
        """The manifest key of an output: its path relative to the review folder, with /
        (`build/x.pdf`; `../build/x.pdf` for a library's build folder beside the review),
        so outputs are still known after the review or the library is copied or moved.
        Absolute only when no relative path exists (another drive)."""
        resolved = path.resolve()
        try:
            return Path(os.path.relpath(resolved, self.root)).as_posix()
        except ValueError:
            return str(resolved)

    def changed_by_hand(self, path: Path) -> bool:
        """Whether `path` exists with bytes scopekit did not write.

        A file with no record of its own (outputs written before a move, under an older
        manifest's absolute keys) counts as scopekit's when its bytes are those scopekit
        recorded for a file of the same name.
        """
        try:
            current = sha256(path.read_bytes())
        except (FileNotFoundError, NotADirectoryError):
            return False
        except OSError:
            return True
        key = self.key(path)
        if key in self.hashes:
            return self.hashes[key] != current
        return not any(
            recorded == current and Path(other).name == path.name
            for other, recorded in self.hashes.items()
        )

    def up_to_date(self, path: Path, inputs: str) -> bool:
        """Whether `path` is as scopekit wrote it from the same inputs (so can be reused)."""
        key = self.key(path)
        return self.inputs.get(key) == inputs and not self.changed_by_hand(path) and path.exists()

    def record(self, path: Path, data: bytes, inputs: str | None = None) -> None:
        """Remember the hash of what was written to `path`, and of the inputs it came from."""
        key = self.key(path)
        for table in (self.hashes, self.inputs):  # an older manifest's absolute key
            table.pop(str(path.resolve()), None)
        self.hashes[key] = sha256(data)
        if inputs is None:
            self.inputs.pop(key, None)
        else:
            self.inputs[key] = inputs

    def save(self) -> None:
        """Write the manifest (atomically, like every output), forgetting outputs outside the
        review folder that are no longer there (such as an older manifest's absolute keys
        after the review was moved)."""
        for key in [k for k in self.hashes if Path(k).is_absolute() and not Path(k).exists()]:
            self.hashes.pop(key)
            self.inputs.pop(key, None)
        data = {
            "outputs": dict(sorted(self.hashes.items())),
            "inputs": dict(sorted(self.inputs.items())),
        }
        text = json.dumps(data, indent=2) + "\n"
        write_atomic(self.path, text.encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`."""
    import tempfile  # here: a build's DOCX worker reads, and never writes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise os_error("create the folder", path.parent, exc) from None
    if not path.parent.is_dir():
        raise OutputError(
            f"cannot create the folder {path.parent}: a file is in the way", _HINTS[errno.ENOTDIR]
        )
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TMP_SUFFIX, dir=path.parent)
        os.chmod(tmp_name, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise os_error("write", path, exc) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def remove_stray_temporaries(folder: Path, names: Iterable[str] = ("",)) -> None:
    """Delete temporary files a killed build left behind in `folder`: those of the files
    `names` only (another build may be writing into the same folder), by default all."""
    if not folder.is_dir():
        return
    strays = {stray for name in names for stray in folder.glob(f".{name}*{TMP_SUFFIX}")}
    for stray in sorted(strays):
        with contextlib.suppress(OSError):
            stray.unlink()


@contextlib.contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold a Ctrl-C back until the block is done, then raise it: for writes that belong
    together (an output, its build record and the manifest that knows its hash; interrupted
    between them, the next build took scopekit's own DOCX for one edited by hand). Only in
    the main thread, where Python handles signals; elsewhere the block runs as it is."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt

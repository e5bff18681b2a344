"""One run per output file: a lock file next to it, `<output>.lock`, holding the runner's pid.

Two runs appending to one JSONL file would both top it up to the target and
write each other's duplicates. The lock is an `fcntl.flock` on the lock file,
so the kernel drops it when its process dies however it dies; a lock file left
by a dead process is therefore simply taken over (with a warning naming the
pid). The file is removed when the run ends.
"""
import fcntl
import logging
import os
from pathlib import Path
from typing import Optional

logger = logging.getLogger(__name__)


class OutputLocked(RuntimeError):
    """Another live process is writing the same output file."""


def lock_path_for(output_path: Path) -> Path:
    return output_path.with_name(output_path.name + ".lock")


def _pid_in(fd: int) -> Optional[int]:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 64).decode("ascii", errors="replace").strip()
    return int(text) if text.isdigit() else None


def _pid_is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class OutputLock:
    """`with OutputLock(output_path):` holds `<output>.lock` or raises OutputLocked."""

    def __init__(self, output_path: Path):
        self.output_path = Path(output_path)
        self.path = lock_path_for(self.output_path)
        self._fd: Optional[int] = None

    def acquire(self) -> None:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _pid_in(fd)
                os.close(fd)
                raise OutputLocked(self._locked_message(holder)) from None
            if self._still_at_path(fd):
                break
            os.close(fd)  # the holder removed the file between our open and flock: take the new one
        self._fd = fd
        self._warn_if_stale(_pid_in(fd))
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        os.close(self._fd)
        self._fd = None

    def _still_at_path(self, fd: int) -> bool:
        try:
            return os.stat(self.path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            return False

    def _warn_if_stale(self, previous: Optional[int]) -> None:
        if previous is not None and previous != os.getpid():
            state = "still running but not holding the lock" if _pid_is_running(previous) else "no longer running"
            logger.warning("took over the lock %s left by pid %d (%s)", self.path, previous, state)

    def _locked_message(self, holder: Optional[int]) -> str:
        who = f"pid {holder}" if holder is not None else "another process"
        return (
            f"{self.output_path} is being written by another generate-llm run ({who}, lock {self.path}); "
            "wait for it to finish or stop it, then run again. Two runs on one file would write duplicates."
        )

    def __enter__(self) -> "OutputLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

"""How a run stops: on SIGTERM as on Ctrl-C (no more requests, report written, records kept).

By default SIGTERM (what `kill`, `timeout`, a scheduler or a container stop
send) ends Python at once, without `finally` blocks, so the run's report was
never written. For the duration of a run `StopOnSignals` replaces the handler
with one that only records the signal; the run loop sees it, stops
submitting, abandons the requests in flight and raises `GenerationInterrupted`,
so the report is saved; the previous handler is restored afterwards.
`outcome_recorded` turns however a run ends into the report's status.
"""
import logging
import signal
import threading
from contextlib import contextmanager
from types import FrameType
from typing import Any, Dict, Iterator, Optional, Sequence

from .report import GenerationReport

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM,)


class GenerationStopped(RuntimeError):
    """A run stopped before its target; the message says why."""


class GenerationInterrupted(GenerationStopped):
    """A run stopped by a signal (SIGTERM); `signal_number` says which."""

    def __init__(self, message: str, signal_number: int):
        super().__init__(message)
        self.signal_number = signal_number


@contextmanager
def outcome_recorded(report: GenerationReport) -> Iterator[None]:
    """Set the report's status and stop message from how the run ends, then let the error through."""
    try:
        yield
    except KeyboardInterrupt:
        report.status = "interrupted"
        report.stop_message = (
            f"interrupted with {report.in_file} of {report.target} records; run the command again to resume"
        )
        raise
    except GenerationInterrupted as err:
        report.status = "interrupted"
        report.stop_message = str(err)
        raise
    except GenerationStopped as err:
        report.status = "stopped"
        report.stop_message = str(err)
        raise
    except Exception as err:
        report.status = "failed"
        report.stop_message = f"failed: {type(err).__name__}: {err}"
        raise


class StopOnSignals:
    """`with StopOnSignals() as stop:` makes `stop.signal_number` the first signal received, or None.

    Handlers can only be installed from the main thread; elsewhere the scope
    installs nothing and signals keep their usual effect.
    """

    def __init__(self, signals: Sequence[int] = STOP_SIGNALS):
        self.signals = tuple(signals)
        self.signal_number: Optional[int] = None
        self.received = threading.Event()
        self._previous: Dict[int, Any] = {}

    @property
    def requested(self) -> bool:
        return self.received.is_set()

    def _handle(self, signal_number: int, _frame: Optional[FrameType]) -> None:
        if self.signal_number is None:
            self.signal_number = signal_number
        self.received.set()

    def __enter__(self) -> "StopOnSignals":
        if threading.current_thread() is not threading.main_thread():
            logger.debug("not in the main thread: SIGTERM keeps its default effect during this run")
            return self
        for number in self.signals:
            self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, signal.SIG_DFL if previous is None else previous)
        self._previous.clear()

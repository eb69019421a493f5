"""The forecast step forks statsforecast's worker pool from inside a Dagster step."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def worker_friendly_sigterm() -> Iterator[None]:
    """Default SIGTERM handling while statsforecast forks its worker pool. Dagster's handler,
    inherited by the workers, turns the pool's normal shutdown into tracebacks."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)

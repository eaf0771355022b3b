"""The wall clock for the live server (the simulator uses ``core.clock.VirtualClock``)."""

from __future__ import annotations

import threading
import time

from ..core.clock import Millis


class WallClock:
    """UTC milliseconds since the epoch that never go backwards within a process.

    An NTP step back would otherwise hand the engine a ``now`` earlier than an
    event it has already logged, and the log's timestamps would stop following
    its order.
    """

    __slots__ = ("_last", "_lock")

    def __init__(self) -> None:
        self._last: Millis = 0
        self._lock = threading.Lock()

    def now(self) -> Millis:
        t = time.time_ns() // 1_000_000
        with self._lock:
            if t < self._last:
                t = self._last
            self._last = t
        return t

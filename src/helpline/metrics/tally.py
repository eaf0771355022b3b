"""The counters one queue keeps for one interval; everything else adds them up.

Queue totals, the center total and the interval series are all sums of these
tallies, so the intervals of a day always add up to the day.
"""

from __future__ import annotations

COUNTS = (
    "offered", "answered", "answered_in_sl", "abandoned", "short_abandoned", "timed_out",
    "callback_chosen", "ended_other", "waiting_at_end", "callbacks", "overflowed_out",
    "overflowed_in", "transfers", "handled", "wait_answered_ms", "talk_ms", "hold_ms", "wrap_ms",
)  # fmt: skip


class Tally:
    """Counts and sums of milliseconds for the queue segments that started in one slot.

    ``waits`` holds the wait of every answered or abandoned segment (ms), for the
    mean and the 90th percentile; ``max_wait_ms`` covers every outcome.
    """

    __slots__ = (*COUNTS, "max_wait_ms", "waits")

    def __init__(self) -> None:
        self.offered = 0
        self.answered = 0
        self.answered_in_sl = 0
        self.abandoned = 0
        self.short_abandoned = 0
        self.timed_out = 0
        self.callback_chosen = 0
        self.ended_other = 0
        self.waiting_at_end = 0
        self.callbacks = 0
        self.overflowed_out = 0
        self.overflowed_in = 0
        self.transfers = 0
        self.handled = 0
        self.wait_answered_ms = 0
        self.talk_ms = 0
        self.hold_ms = 0
        self.wrap_ms = 0
        self.max_wait_ms: int | None = None
        self.waits: list[int] = []

    def add(self, other: Tally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waits.extend(other.waits)
        self.note_wait(other.max_wait_ms)

    def note_wait(self, wait_ms: int | None) -> None:
        if wait_ms is not None and (self.max_wait_ms is None or wait_ms > self.max_wait_ms):
            self.max_wait_ms = wait_ms


def total(tallies: list[Tally]) -> Tally:
    out = Tally()
    for t in tallies:
        out.add(t)
    return out

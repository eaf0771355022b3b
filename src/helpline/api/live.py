"""The running center: one engine, one log, one writer, and the timer thread.

Every request runs ``engine.handle(request, now)`` and appends what it emitted
to the log *before* anyone hears about it, all under one lock, so the order of
the log is the order of the decisions and an acknowledged event is durable. If
the append fails the engine has already moved on in memory, so it is rebuilt
from the log: memory never holds a decision the log does not. Only one ``Live``
writes a given log at a time (the writer lease of ``helpline.store.lease``).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterator

from ..core import events as ev
from ..core.center import Center
from ..core.clock import Clock
from ..core.errors import InputError, Problem
from ..engine import inputs as inp
from ..engine.acd import Engine, Output
from ..engine.commands import Command
from ..store.eventlog import EventLog
from ..store.lease import WriterLease

log_ = logging.getLogger("helpline.api")

_IDLE_WAIT_S = 1.0  # the timer thread re-checks at least this often (also for shutdown)
FEED_SIZE = 10_000  # commands kept for GET /commands


class Issued:
    """A command with its number in the feed and when it was issued."""

    __slots__ = ("command", "n", "ts")

    def __init__(self, n: int, ts: int, command: Command) -> None:
        self.n, self.ts, self.command = n, ts, command


class StoreUnavailable(RuntimeError):
    """The log refused an append; the request had no effect."""


class Live:
    def __init__(self, center: Center, log: EventLog, clock: Clock) -> None:
        self.center = center
        self.log = log
        self.clock = clock
        self.lock = threading.RLock()
        self._wake = threading.Condition(self.lock)
        self._stop = False
        self._thread: threading.Thread | None = None
        self.last_seq = 0
        self.last_ts = 0
        self.stale = False  # memory may hold a decision the log refused; replay before use
        # Commands are not events: timers issue them too (a ring when wrap-up ends), and
        # telephony follows this feed to hear them. Kept in memory only.
        self.feed: deque[Issued] = deque(maxlen=FEED_SIZE)
        self.issued = 0
        self._lease = WriterLease.acquire(log)
        try:
            self._engine = self._replay()
        except BaseException:
            self._lease.release()
            raise

    @property
    def engine(self) -> Engine:
        """The engine, replayed first if an append failed; StoreUnavailable if it cannot be."""
        with self.lock:
            if self.stale:
                self._recover()
            if self.stale:
                raise StoreUnavailable("the event log cannot be read to recover the engine")
            return self._engine

    # --- start-up ------------------------------------------------------------------

    def _replay(self) -> Engine:
        last: list[ev.Event] = []

        def tracked() -> Iterator[ev.Event]:
            for e in self.log.read():
                last[:] = [e]
                yield e

        try:
            engine = Engine.replay(self.center, tracked())
        except (KeyError, ValueError, AttributeError) as exc:
            # A log written for another center: refuse to serve rather than guess.
            seen = last[0] if last else None
            raise InputError(
                "db",
                [Problem(
                    f"seq {seen.seq if seen else 0}",
                    f"the event log does not fit this center ({type(exc).__name__}: {exc})",
                    seen.TYPE if seen else None,
                )],
            ) from None  # fmt: skip
        if last:
            self.last_seq, self.last_ts = last[0].seq, last[0].ts
        return engine

    # --- the single writer -------------------------------------------------------------

    def now(self) -> int:
        # Never before the newest logged event, whatever the wall clock did while we were down.
        return max(self.clock.now(), self.last_ts)

    def submit(self, request: inp.Input) -> Output:
        """Decide, log durably, then return; InputError leaves everything unchanged."""
        with self.lock:
            now = self.now()
            engine = self.engine
            try:
                out = engine.handle(request, now)
            except InputError:
                raise  # refused before any change, by the engine's contract
            except Exception:
                # A fault half-way through a decision: forget it, replay the log.
                log_.exception("engine failed on %r; replaying the log", request)
                self.stale = True
                raise
            self._append(out.events)
            for command in out.commands:
                self.issued += 1
                self.feed.append(Issued(self.issued, now, command))
            self._wake.notify_all()
            return out

    def _append(self, events: list[ev.Event]) -> None:
        if not events:
            return
        try:
            self.log.append(events)
        except Exception as exc:  # any store failure: the decision must not stay in memory
            log_.error("event log append failed, rebuilding the engine from the log: %s", exc)
            self.stale = True
            self._recover()
            raise StoreUnavailable(str(exc)) from exc
        self.last_seq, self.last_ts = events[-1].seq, events[-1].ts

    def _recover(self) -> None:
        try:
            self._engine = self._replay()
        except Exception as exc:  # still down: stay stale, try again on the next use
            log_.error("cannot replay the event log: %s", exc)
            return
        self.stale = False

    # --- timers ----------------------------------------------------------------------

    def tick_if_due(self) -> float:
        """Fire due timers; return how long (s) the timer thread may sleep."""
        with self.lock:
            due = self.engine.next_wakeup()
            now = self.now()
            if due is not None and due <= now:
                self.submit(inp.Tick())
                return 0.0
            if due is None:
                return _IDLE_WAIT_S
            return min((due - now) / 1000, _IDLE_WAIT_S)

    def start(self) -> None:
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="helpline-timers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self.lock:
            self._stop = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._lease.release()

    def _run(self) -> None:
        # One lock hold from computing the wait to waiting: a request that adds an
        # earlier timer cannot slip in between and go unnoticed.
        with self.lock:
            while not self._stop:
                try:
                    wait = self.tick_if_due()
                except Exception:  # keep the timers running; the failure is logged
                    log_.exception("timer tick failed")
                    wait = _IDLE_WAIT_S
                if wait > 0 and not self._stop:
                    self._wake.wait(timeout=wait)

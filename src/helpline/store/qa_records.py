"""QA records in the event log: samples, evaluations, acknowledgements, disputes.

No tables of its own: every QA record is an event in the append-only log, and
the :class:`~helpline.qa.ledger.Ledger` is folded from those events on open.
This module only reads and appends; the rules live in ``helpline.qa``.
Commands check against the ledger as read and then append; an append is refused
when another writer added QA records in between. The check and the append are
not one transaction, so QA commands for one tenant should still go through one
writer at a time (the CLI, or the API's request lock); the log itself never
loses or reorders what was appended.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from ..core import events as ev
from ..core.errors import InputError, Problem
from ..qa.ledger import QA_TYPES, Ledger
from ..qa.sampling import Plan, PoolCall, pool_from_events
from .eventlog import EventLog

POOL_TYPES = ("CallArrived", "CallAnswered", "CallEnded", "CaseOpened", "SurveyAnswered")
EVALUATION_TYPES = ("EvaluationSigned", "EvaluationAcknowledged", "DisputeFiled", "DisputeDecided")


class QaRecords:
    def __init__(self, log: EventLog) -> None:
        self.log = log
        self.ledger = Ledger()
        self.seen = 0  # last seq folded into the ledger
        for e in log.read(types=QA_TYPES):
            self.ledger.apply(e)
            self.seen = e.seq

    def append(self, batch: Sequence[ev.Event]) -> list[int]:
        """Append durably, then fold into the in-memory ledger.

        Refuses when another writer added QA records since this ledger was read,
        since the command was checked against an outdated ledger.
        """
        newer = next(iter(self.log.read(after_seq=self.seen, types=QA_TYPES, limit=1)), None)
        if newer is not None:
            problem = Problem("qa records", "changed since they were read; run again", newer.TYPE)
            raise InputError("helpline qa", [problem])
        seqs = self.log.append(batch)
        for e in batch:
            self.ledger.apply(e)
        self.seen = max(self.seen, *seqs)
        return seqs

    def pool(self, plan: Plan, auto_scores: Mapping[str, float] | None = None) -> list[PoolCall]:
        return pool_from_events(self.log.read(types=POOL_TYPES), plan, auto_scores)

    def history(self, evaluation_id: str) -> list[ev.Event]:
        """Every event about one evaluation, in log order: the agent's audit trail."""
        dispute_ids = set(self.ledger.evaluations[evaluation_id].disputes)
        out = []
        for e in self.log.read(types=EVALUATION_TYPES):
            if getattr(e, "evaluation_id", None) == evaluation_id or (
                getattr(e, "dispute_id", None) in dispute_ids
            ):
                out.append(e)
        return out


@contextmanager
def open_records(url: str) -> Iterator[QaRecords]:
    with EventLog.open(url) as log:
        yield QaRecords(log)

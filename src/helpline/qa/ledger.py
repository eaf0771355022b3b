"""The QA ledger: samples, evaluations, acknowledgements and disputes, folded from events.

Every change is a new event; nothing is ever deleted or rewritten. Commands
take the ledger as it is, check the rules that make inspection fair, and
return the events to append (the caller appends them, then folds them in):

- an evaluation scores a call of a locked sample, and a new version always
  keeps the same call: a disputed call can never be swapped for another;
- a new version needs a reason, and is chained to the previous one by hash;
- while a dispute is open the evaluation cannot be changed, and once a dispute
  has been filed no later version may lower the score;
- a dispute is decided by someone who is neither the agent nor an evaluator of
  that evaluation, may only change the disputed items, and only in the agent's
  favour.

Signing: ``content_hash`` is the SHA-256 of the version's canonical JSON
(payload without the hash, plus ``ts``), and includes ``prev_hash``. Changing
any stored version breaks its own hash and the chain after it, which
:meth:`Ledger.verify` reports. (A hash proves integrity, not identity: who
signed is the ``evaluator`` field, as authenticated by the API.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..core import events as ev
from ..core.errors import InputError, Problem
from . import sampling
from .scorecard import Scorecard, check_answers, item_scores, total

QA_EVENTS = (
    ev.SampleCommitted, ev.SampleRevealed, ev.SampleLocked, ev.EvaluationSigned,
    ev.EvaluationAcknowledged, ev.DisputeFiled, ev.DisputeDecided,
)  # fmt: skip
QA_TYPES = tuple(c.TYPE for c in QA_EVENTS)


def content_hash(e: ev.EvaluationSigned) -> str:
    body = e.payload()
    body.pop("content_hash")
    body["ts"] = e.ts
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class SampleState:
    committed: ev.SampleCommitted
    revealed: ev.SampleRevealed | None = None
    locked: ev.SampleLocked | None = None


@dataclass
class EvalState:
    versions: list[ev.EvaluationSigned] = field(default_factory=list)
    acks: list[ev.EvaluationAcknowledged] = field(default_factory=list)
    disputes: list[str] = field(default_factory=list)

    @property
    def latest(self) -> ev.EvaluationSigned:
        return self.versions[-1]


@dataclass
class DisputeState:
    filed: ev.DisputeFiled
    decided: ev.DisputeDecided | None = None


@dataclass
class Ledger:
    samples: dict[str, SampleState] = field(default_factory=dict)
    evaluations: dict[str, EvalState] = field(default_factory=dict)
    disputes: dict[str, DisputeState] = field(default_factory=dict)

    @classmethod
    def fold(cls, events: Iterable[ev.Event]) -> Ledger:
        led = cls()
        for e in events:
            led.apply(e)
        return led

    def apply(self, e: ev.Event) -> None:
        if isinstance(e, ev.SampleCommitted):
            self.samples[e.sample_id] = SampleState(e)
        elif isinstance(e, ev.SampleRevealed):
            self.samples[e.sample_id].revealed = e
        elif isinstance(e, ev.SampleLocked):
            self.samples[e.sample_id].locked = e
        elif isinstance(e, ev.EvaluationSigned):
            self.evaluations.setdefault(e.evaluation_id, EvalState()).versions.append(e)
        elif isinstance(e, ev.EvaluationAcknowledged):
            self.evaluations[e.evaluation_id].acks.append(e)
        elif isinstance(e, ev.DisputeFiled):
            self.disputes[e.dispute_id] = DisputeState(e)
            self.evaluations[e.evaluation_id].disputes.append(e.dispute_id)
        elif isinstance(e, ev.DisputeDecided):
            self.disputes[e.dispute_id].decided = e

    # --- reading ------------------------------------------------------------------

    def sampled(self, call_id: str) -> tuple[str, str] | None:
        """(sample_id, agent_id) of the locked sample holding this call, if any."""
        for sid, s in self.samples.items():
            if s.locked is None:
                continue
            if call_id in s.locked.calls:
                return sid, s.locked.calls[call_id]
            if call_id in s.locked.targeted:
                return sid, s.locked.targeted[call_id].split(" ", 1)[0]
        return None

    def open_dispute(self, evaluation_id: str) -> str | None:
        state = self.evaluations.get(evaluation_id)
        for d in state.disputes if state else ():
            if self.disputes[d].decided is None:
                return d
        return None

    def verify(self, evaluation_id: str) -> list[str]:
        """Problems with the stored versions' hashes and chain; empty when intact."""
        problems = []
        prev = ""
        for v in self.evaluation(evaluation_id).versions:
            if v.prev_hash != prev:
                problems.append(f"version {v.version}: prev_hash does not match version before")
            if content_hash(v) != v.content_hash:
                problems.append(f"version {v.version}: content does not match its hash")
            prev = v.content_hash
        return problems

    def evaluation(self, evaluation_id: str) -> EvalState:
        if evaluation_id not in self.evaluations:
            raise _err("evaluation", "no such evaluation", evaluation_id)
        return self.evaluations[evaluation_id]

    # --- sampling -----------------------------------------------------------------

    def commit_sample(
        self, sample_id: str, seed: str, plan: sampling.Plan, by: str, now: int
    ) -> ev.SampleCommitted:
        if sample_id in self.samples:
            raise _err("sample", "a sample with this id is already committed", sample_id)
        if now >= plan.start_ms:
            raise _err("sample", "commit before the period starts", now)
        return ev.SampleCommitted(
            ts=now,
            sample_id=sample_id,
            commitment=sampling.commitment(seed, plan),
            plan=plan.canonical(),
            committed_by=by,
        )

    def reveal_and_lock(
        self, sample_id: str, seed: str, pool: list[sampling.PoolCall], by: str, now: int
    ) -> list[ev.Event]:
        state = self.samples.get(sample_id)
        if state is None:
            raise _err("sample", "no committed sample with this id", sample_id)
        if state.locked is not None:
            raise _err("sample", "already drawn and locked; it cannot be drawn again", sample_id)
        plan = sampling.parse_plan(state.committed.plan, f"sample {sample_id} plan")
        if now < plan.end_ms:
            raise _err("sample", "the period has not ended; reveal after it", now)
        if sampling.commitment(seed, plan) != state.committed.commitment:
            raise _err("seed", "does not match the published commitment", seed)
        drawn = sampling.draw(seed, plan, pool)
        return [
            ev.SampleRevealed(ts=now, sample_id=sample_id, seed=seed, revealed_by=by),
            ev.SampleLocked(
                ts=now, sample_id=sample_id, calls=drawn.calls, targeted=drawn.targeted
            ),
        ]

    # --- evaluations --------------------------------------------------------------

    def sign(
        self,
        evaluation_id: str,
        card: Scorecard,
        call_id: str,
        evaluator: str,
        answers: Mapping[str, str],
        now: int,
        comments: Mapping[str, str] | None = None,
    ) -> ev.EvaluationSigned:
        if evaluation_id in self.evaluations:
            raise _err("evaluation", "already exists; change it with a new version", evaluation_id)
        where = self.sampled(call_id)
        if where is None:
            raise _err("call", "not in any locked sample; only sampled calls are scored", call_id)
        sample_id, agent_id = where
        for other_id, other in self.evaluations.items():
            v = other.versions[0]
            if v.call_id == call_id and v.sample_id == sample_id:
                raise _err("call", f"already evaluated as {other_id}", call_id)
        if evaluator == agent_id:
            raise _err("evaluator", "agents cannot evaluate their own calls", evaluator)
        return self._version(
            evaluation_id, card, call_id, agent_id, evaluator, answers, comments, now,
            version=1, reason="", sample_id=sample_id, prev_hash="",
        )  # fmt: skip

    def amend(
        self,
        evaluation_id: str,
        card: Scorecard,
        evaluator: str,
        answers: Mapping[str, str],
        reason: str,
        now: int,
        comments: Mapping[str, str] | None = None,
    ) -> ev.EvaluationSigned:
        state = self.evaluation(evaluation_id)
        last = state.latest
        if not reason.strip():
            raise _err("reason", "a new version needs a reason", reason)
        if (d := self.open_dispute(evaluation_id)) is not None:
            raise _err("evaluation", f"dispute {d} is open; it is changed by its decision", d)
        new = self._version(
            evaluation_id, card, last.call_id, last.agent_id, evaluator, answers, comments, now,
            version=last.version + 1, reason=reason, sample_id=last.sample_id,
            prev_hash=last.content_hash,
        )  # fmt: skip
        if state.disputes and new.score < last.score:
            raise _err(
                "answers", "after a dispute an evaluation can no longer be lowered", new.score
            )
        return new

    def _version(
        self,
        evaluation_id: str,
        card: Scorecard,
        call_id: str,
        agent_id: str,
        evaluator: str,
        answers: Mapping[str, str],
        comments: Mapping[str, str] | None,
        now: int,
        *,
        version: int,
        reason: str,
        sample_id: str,
        prev_hash: str,
    ) -> ev.EvaluationSigned:
        clean = check_answers(card, answers, f"evaluation {evaluation_id}")
        e = ev.EvaluationSigned(
            ts=now,
            evaluation_id=evaluation_id,
            call_id=call_id,
            agent_id=agent_id,
            evaluator=evaluator,
            score=total(card, clean),
            version=version,
            scorecard=card.id,
            scorecard_version=card.version,
            reason=reason,
            sample_id=sample_id,
            answers=clean,
            item_scores=item_scores(card, clean),
            comments=dict(comments or {}),
            prev_hash=prev_hash,
        )
        e.content_hash = content_hash(e)
        return e

    def acknowledge(
        self, evaluation_id: str, agent_id: str, now: int, note: str = ""
    ) -> ev.EvaluationAcknowledged:
        last = self.evaluation(evaluation_id).latest
        if agent_id != last.agent_id:
            raise _err("agent", f"only {last.agent_id} acknowledges this evaluation", agent_id)
        return ev.EvaluationAcknowledged(
            ts=now, evaluation_id=evaluation_id, agent_id=agent_id, version=last.version, note=note
        )

    # --- disputes -----------------------------------------------------------------

    def file_dispute(
        self,
        dispute_id: str,
        evaluation_id: str,
        agent_id: str,
        items: list[str],
        reason: str,
        now: int,
    ) -> ev.DisputeFiled:
        last = self.evaluation(evaluation_id).latest
        if dispute_id in self.disputes:
            raise _err("dispute", "a dispute with this id exists", dispute_id)
        if agent_id != last.agent_id:
            raise _err("agent", f"only {last.agent_id} can dispute this evaluation", agent_id)
        if not items:
            raise _err("items", "name at least one item", items)
        unknown = [i for i in items if i not in last.answers]
        if unknown:
            known = ", ".join(last.answers)
            raise _err("items", f"not items of this evaluation ({known})", unknown)
        if not reason.strip():
            raise _err("reason", "say why the items are wrong", reason)
        if (d := self.open_dispute(evaluation_id)) is not None:
            raise _err("evaluation", f"dispute {d} is still open", evaluation_id)
        return ev.DisputeFiled(
            ts=now, dispute_id=dispute_id, evaluation_id=evaluation_id, agent_id=agent_id,
            items=sorted(set(items)), reason=reason, version=last.version,
        )  # fmt: skip

    def decide_dispute(
        self,
        dispute_id: str,
        card: Scorecard,
        reviewer: str,
        changes: Mapping[str, str],
        now: int,
        note: str = "",
    ) -> list[ev.Event]:
        """The decision, and the new version when any item changes in the agent's favour."""
        if dispute_id not in self.disputes:
            raise _err("dispute", "no such dispute", dispute_id)
        d = self.disputes[dispute_id]
        if d.decided is not None:
            raise _err("dispute", "already decided", dispute_id)
        state = self.evaluation(d.filed.evaluation_id)
        last = state.latest
        if reviewer == last.agent_id or reviewer in {v.evaluator for v in state.versions}:
            raise _err("reviewer", "must be neither the agent nor an evaluator", reviewer)
        outside = sorted(set(changes) - set(d.filed.items))
        if outside:
            raise _err("answers", "only disputed items can change in a dispute", outside)
        answers = {**last.answers, **changes}
        new = self._version(
            last.evaluation_id, card, last.call_id, last.agent_id, reviewer, answers,
            last.comments, now, version=last.version + 1,
            reason=f"dispute {dispute_id}: {note}".strip(), sample_id=last.sample_id,
            prev_hash=last.content_hash,
        )  # fmt: skip
        lowered = [
            i
            for i in changes
            if new.item_scores.get(i, 0.0) < last.item_scores.get(i, 0.0)
            or (i in last.item_scores and i not in new.item_scores)
        ]
        if lowered or new.score < last.score:
            raise _err("answers", "a dispute can never lower a score", lowered or new.score)
        upheld = sorted(i for i in changes if new.answers[i] != last.answers[i])
        if not upheld:
            outcome = "rejected"
        elif set(upheld) == set(d.filed.items):
            outcome = "upheld"
        else:
            outcome = "partly_upheld"
        decision = ev.DisputeDecided(
            ts=now, dispute_id=dispute_id, reviewer=reviewer, outcome=outcome,
            score_change=round(new.score - last.score, 2) if upheld else 0.0, note=note,
            evaluation_id=last.evaluation_id, upheld=upheld,
            new_version=new.version if upheld else 0,
        )  # fmt: skip
        return [decision, new] if upheld else [decision]


def _err(path: str, message: str, value: object) -> InputError:
    return InputError("qa", [Problem(path, message, value)])

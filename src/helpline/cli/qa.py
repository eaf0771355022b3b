"""`helpline qa`: automatic checks, fair sampling, evaluations, calibration and reports.

Thin: reading files and the event log, progress bars and printing live here;
every rule is in ``helpline.qa``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..config import read_yaml
from ..core.errors import InputError, Problem
from ..qa.checks import Checker, queue_norms
from ..qa.rules import Rules, default_rules, parse_rules
from ..qa.transcript import Transcript, parse_line

app = typer.Typer(
    help="quality inspection (质检): checks, sampling, evaluations", no_args_is_help=True
)
out = Console()
if not out.is_terminal:
    out = Console(width=170)
err = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    )


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(str(path), [Problem("", "file not found", None, False)]) from None
    except OSError as exc:
        raise InputError(str(path), [Problem("", f"cannot read: {exc}", None, False)]) from None
    with handle:
        try:
            for i, raw in enumerate(handle, start=1):
                if raw.strip():
                    yield i, raw
        except UnicodeDecodeError as exc:
            problem = Problem("", f"not UTF-8 text: {exc}", None, False)
            raise InputError(str(path), [problem]) from None


def read_transcripts(path: Path) -> list[Transcript]:
    found = [parse_line(raw, str(path), i) for i, raw in _lines(path)]
    seen: dict[str, int] = {}
    for i, t in enumerate(found):
        if t.call_id in seen:
            raise InputError(
                str(path), [Problem(f"transcript {i + 1}: call_id", "appears twice", t.call_id)]
            )
        seen[t.call_id] = i
    return found


def load_rules(path: Path | None) -> Rules:
    return default_rules() if path is None else parse_rules(read_yaml(path), str(path))


@app.command("check")
def check(
    transcripts: Path = typer.Argument(..., help="transcripts, JSON Lines (- for stdin)"),
    rules_file: Path | None = typer.Option(None, "--rules", help="rules YAML (default: shipped)"),
    as_json: bool = typer.Option(False, "--json", help="one JSON line per call on stdout"),
    db: str | None = typer.Option(None, "--db", help="event log: fills agent, queue and holds"),
) -> None:
    """Automatic checks on every call: phrases, silences, holds, talk-over, sentiment."""
    rules = load_rules(rules_file)
    calls = read_transcripts(transcripts)
    if db is not None:
        from ..qa.link import LINK_TYPES, facts, link
        from ..store.eventlog import EventLog

        with EventLog.open(db) as log:
            known = facts(log.read(types=LINK_TYPES))
        calls = [link(t, known) for t in calls]
    checker = Checker(rules, queue_norms(calls, rules.handle_time.min_calls))
    results = []
    with _progress() as bar:
        task = bar.add_task("自动质检 checking", total=len(calls))
        for t in calls:
            r = checker.check(t)
            if as_json:
                sys.stdout.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
            else:
                results.append(r)
            bar.advance(task)
    if as_json:
        return
    table = Table(title=f"自动质检 automatic checks: {len(results)} calls")
    for col in (
        "通话 call",
        "坐席 agent",
        "得分 score",
        "情绪 sentiment start→end",
        "未通过 failed checks",
    ):
        table.add_column(col)
    for r in results:
        s = r.sentiment
        senti = f"{s.start:+.2f} → {s.end:+.2f}" if s else "-"
        failed = ", ".join(f"{f.check}({f.detail})" if f.detail else f.check for f in r.failed())
        table.add_row(r.call_id, r.agent_id or "-", f"{r.auto_score:g}", senti, failed or "-")
    out.print(table)


def _dump(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


# --- shared helpers -----------------------------------------------------------------

SOURCE = "helpline qa"


def _now(at: str | None) -> int:
    if at is None:
        from ..adapters.clock import WallClock

        return WallClock().now()
    return _moment("--now", at, "UTC")


def _moment(option: str, text: str, timezone: str) -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(SOURCE, [Problem("--tz", "not an IANA time zone", timezone)]) from None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(SOURCE, [Problem(option, "not an ISO 8601 date", text)]) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    return round(dt.timestamp() * 1000)


def _pairs(option: str, values: list[str] | None) -> dict[str, str]:
    out = {}
    for v in values or []:
        key, sep, val = v.partition("=")
        if not sep or not key.strip():
            raise InputError(SOURCE, [Problem(option, "write item=value", v)])
        out[key.strip()] = val.strip()
    return out


def load_scorecard(path: Path) -> Any:
    from ..qa.scorecard import parse_scorecard

    return parse_scorecard(read_yaml(path), str(path))


def _answers(file: Path | None, pairs: list[str] | None) -> dict[str, str]:
    base: dict[str, str] = {}
    if file is not None:
        data = read_yaml(file)
        if not isinstance(data, dict):
            raise InputError(str(file), [Problem("", "expected item: answer pairs", data)])
        base = {str(k): str(v) for k, v in data.items()}
    return {**base, **_pairs("--answer", pairs)}


def _auto_results(path: Path | None) -> dict[str, dict[str, Any]]:
    """Lines of ``helpline qa check --json`` by call id."""
    if path is None:
        return {}
    out = {}
    for i, raw in _lines(path):
        try:
            row = json.loads(raw)
            out[str(row["call_id"])] = row
        except (json.JSONDecodeError, KeyError, TypeError):
            problem = Problem(f"line {i}", "not a line of `helpline qa check --json`", raw[:80])
            raise InputError(str(path), [problem]) from None
    return out


DB = typer.Option(..., "--db", help="event log URL, e.g. sqlite:///helpline.sqlite")
NOW = typer.Option(None, "--now", hidden=True, help="act at this UTC time (tests, imports)")


# --- sampling -----------------------------------------------------------------------

sample_app = typer.Typer(
    help="fair sampling: commit a seed, draw and lock, verify", no_args_is_help=True
)
app.add_typer(sample_app, name="sample")


@sample_app.command("commit")
def sample_commit(
    db: str = DB,
    sample_id: str = typer.Option(..., "--id", help="name of the sample, e.g. 2026-11"),
    start: str = typer.Option(..., "--from", help="period start, ISO date (local, see --tz)"),
    end: str = typer.Option(..., "--to", help="period end (exclusive), ISO date"),
    per_agent: int = typer.Option(5, help="calls drawn at random per agent"),
    agents: str | None = typer.Option(None, help="comma-separated agents (default: all)"),
    max_targeted: int = typer.Option(2, help="extra targeted calls per agent"),
    tz: str = typer.Option("UTC", "--tz", help="time zone of --from/--to"),
    seed_file: Path = typer.Option(..., help="where to keep the secret seed until the reveal"),
    by: str = typer.Option("qa", help="who commits"),
    at: str | None = NOW,
) -> None:
    """Before the period: publish the hash of a secret seed and the sampling plan."""
    import secrets

    from pydantic import ValidationError

    from ..core.errors import from_validation_error
    from ..qa.sampling import Plan, Targeted
    from ..store.qa_records import open_records

    if per_agent < 1:
        raise InputError(SOURCE, [Problem("--per-agent", "must be at least 1", per_agent)])
    if seed_file.exists():
        raise InputError(
            SOURCE, [Problem("--seed-file", "exists; never reuse a seed", str(seed_file))]
        )
    try:
        plan = Plan(
            start_ms=_moment("--from", start, tz),
            end_ms=_moment("--to", end, tz),
            per_agent=per_agent,
            agents=[a.strip() for a in agents.split(",") if a.strip()] if agents else None,
            targeted=Targeted(max_targeted=max_targeted),
        )
    except ValidationError as exc:
        raise from_validation_error(exc, SOURCE) from None
    seed = secrets.token_hex(32)
    with open_records(db) as rec:
        event = rec.ledger.commit_sample(sample_id, seed, plan, by, _now(at))
        seed_file.write_text(seed + "\n", encoding="utf-8")
        seed_file.chmod(0o600)
        rec.append([event])
    out.print(
        f"抽样 sample [bold]{sample_id}[/] committed; 请公布承诺值 publish this commitment now:"
    )
    out.print(event.commitment, highlight=False)
    out.print(f"方案 plan: {event.plan}", highlight=False)
    err.print(
        f"周期结束前请保密 keep {seed_file} secret until the period ends, "
        "then: helpline qa sample draw"
    )


@sample_app.command("draw")
def sample_draw(
    db: str = DB,
    sample_id: str = typer.Option(..., "--id"),
    seed_file: Path = typer.Option(..., help="the seed kept since the commit"),
    checks: Path | None = typer.Option(None, help="`qa check --json` output, for targeting"),
    by: str = typer.Option("qa", help="who reveals"),
    as_json: bool = typer.Option(False, "--json"),
    at: str | None = NOW,
) -> None:
    """After the period: reveal the seed, draw the sample and lock it."""
    from ..store.qa_records import open_records

    try:
        seed = seed_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InputError(
            str(seed_file), [Problem("", f"cannot read: {exc}", None, False)]
        ) from None
    autos = {c: float(r["auto_score"]) for c, r in _auto_results(checks).items()}
    with open_records(db) as rec:
        state = rec.ledger.samples.get(sample_id)
        if state is None:
            raise InputError(SOURCE, [Problem("--id", "no committed sample", sample_id)])
        from ..qa.sampling import parse_plan

        plan = parse_plan(state.committed.plan, sample_id)
        events = rec.ledger.reveal_and_lock(sample_id, seed, rec.pool(plan, autos), by, _now(at))
        rec.append(events)
    locked = events[1]
    _print_sample(sample_id, locked, as_json)


def _print_sample(sample_id: str, locked: Any, as_json: bool) -> None:
    if as_json:
        _dump({"sample_id": sample_id, "calls": locked.calls, "targeted": locked.targeted})
        return
    table = Table(title=f"抽样已锁定 sample {sample_id}: locked")
    for col in ("坐席 agent", "随机抽取 random draws", "定向抽取 targeted (reason)"):
        table.add_column(col)
    agents = sorted(
        set(locked.calls.values()) | {v.split(" ")[0] for v in locked.targeted.values()}
    )
    for a in agents:
        drawn = sorted(c for c, who in locked.calls.items() if who == a)
        targeted = sorted(
            f"{c} ({r.split(' ', 1)[1]})"
            for c, r in locked.targeted.items()
            if r.split(" ")[0] == a
        )
        table.add_row(a, ", ".join(drawn), ", ".join(targeted) or "-")
    out.print(table)


@sample_app.command("verify")
def sample_verify(
    db: str = DB,
    sample_id: str = typer.Option(..., "--id"),
    checks: Path | None = typer.Option(None, help="the same `qa check --json` used at the draw"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Anyone: check the revealed seed against the commitment and re-draw the sample."""
    from ..qa.sampling import commitment, draw, parse_plan, same_sample
    from ..store.qa_records import open_records

    autos = {c: float(r["auto_score"]) for c, r in _auto_results(checks).items()}
    with open_records(db) as rec:
        state = rec.ledger.samples.get(sample_id)
        if state is None or state.revealed is None or state.locked is None:
            raise InputError(SOURCE, [Problem("--id", "no revealed and locked sample", sample_id)])
        plan = parse_plan(state.committed.plan, sample_id)
        pool = rec.pool(plan, autos)
        first_call_seq = min(
            (
                e.seq
                for e in rec.log.read(types=["CallAnswered"])
                if plan.start_ms <= e.ts < plan.end_ms
            ),
            default=None,
        )
    seed = state.revealed.seed
    result = {
        "sample_id": sample_id,
        "commitment_matches_seed": commitment(seed, plan) == state.committed.commitment,
        "committed_before_first_call": first_call_seq is None
        or state.committed.seq < first_call_seq,
        "redraw_matches_locked": same_sample(draw(seed, plan, pool), state.locked),
        "calls": len(state.locked.calls),
        "targeted": len(state.locked.targeted),
    }
    ok = all(
        result[k]
        for k in ("commitment_matches_seed", "committed_before_first_call", "redraw_matches_locked")
    )
    if as_json:
        _dump({**result, "ok": ok})
    else:
        for k, v in result.items():
            out.print(f"{k}: {v}")
        out.print(
            "[bold green]验证通过 verified[/]" if ok else "[bold red]验证失败 NOT verified[/]"
        )
    if not ok:
        raise typer.Exit(1)


# --- evaluations and disputes ------------------------------------------------------------


@app.command("evaluate")
def evaluate(
    db: str = DB,
    scorecard: Path = typer.Option(..., help="scorecard YAML"),
    call_id: str = typer.Option(..., "--call"),
    evaluator: str = typer.Option(...),
    answers_file: Path | None = typer.Option(None, "--answers", help="YAML of item: answer"),
    answer: list[str] | None = typer.Option(None, "--answer", help="item=yes|no|na|number"),
    comment: list[str] | None = typer.Option(None, "--comment", help="item=text"),
    checks: Path | None = typer.Option(
        None, help="`qa check --json` output to pre-fill auto items"
    ),
    evaluation_id: str | None = typer.Option(None, "--id"),
    as_json: bool = typer.Option(False, "--json"),
    at: str | None = NOW,
) -> None:
    """Score a sampled call and sign the evaluation (version 1)."""
    from ..store.qa_records import open_records

    card = load_scorecard(scorecard)
    answers = _answers(answers_file, answer)
    auto = _auto_results(checks).get(call_id)
    if auto is not None:
        answers = {**_prefill(card, auto), **answers}
    with open_records(db) as rec:
        where = rec.ledger.sampled(call_id)
        eid = evaluation_id or f"{where[0] if where else 'x'}/{call_id}"
        e = rec.ledger.sign(
            eid, card, call_id, evaluator, answers, _now(at), _pairs("--comment", comment)
        )
        rec.append([e])
    _print_version(e, as_json)


def _prefill(card: Any, auto: dict[str, Any]) -> dict[str, str]:
    statuses: dict[str, set[str]] = {}
    for f in auto.get("findings", []):
        statuses.setdefault(f["check"], set()).add(f["status"])
    outp = {}
    for item in card.items():
        s = statuses.get(item.auto or "")
        if item.type == "yes_no" and s:
            if "fail" in s:
                outp[item.id] = "no"
            elif s == {"pass"}:
                outp[item.id] = "yes"
    return outp


def _print_version(e: Any, as_json: bool) -> None:
    from ..core.events import to_record

    if as_json:
        _dump(to_record(e))
        return
    out.print(
        f"评估 evaluation [bold]{e.evaluation_id}[/] v{e.version}: call {e.call_id}, "
        f"agent {e.agent_id}, score [bold]{e.score:g}[/] by {e.evaluator}"
    )
    out.print(f"签名哈希 hash {e.content_hash}", highlight=False)


@app.command("amend")
def amend(
    db: str = DB,
    scorecard: Path = typer.Option(...),
    evaluation_id: str = typer.Option(..., "--evaluation"),
    evaluator: str = typer.Option(...),
    reason: str = typer.Option(..., help="why the evaluation changes (shown to the agent)"),
    answer: list[str] | None = typer.Option(None, "--answer", help="item=value to change"),
    as_json: bool = typer.Option(False, "--json"),
    at: str | None = NOW,
) -> None:
    """A new version of an evaluation, with a reason; the old one stays."""
    from ..store.qa_records import open_records

    card = load_scorecard(scorecard)
    with open_records(db) as rec:
        last = rec.ledger.evaluation(evaluation_id).latest
        answers = {**last.answers, **_pairs("--answer", answer)}
        e = rec.ledger.amend(evaluation_id, card, evaluator, answers, reason, _now(at))
        rec.append([e])
    _print_version(e, as_json)


@app.command("ack")
def ack(
    db: str = DB,
    evaluation_id: str = typer.Option(..., "--evaluation"),
    agent: str = typer.Option(...),
    note: str = typer.Option(""),
    at: str | None = NOW,
) -> None:
    """The agent acknowledges the latest version of their evaluation."""
    from ..store.qa_records import open_records

    with open_records(db) as rec:
        e = rec.ledger.acknowledge(evaluation_id, agent, _now(at), note)
        rec.append([e])
    out.print(f"已确认 {agent} acknowledged {evaluation_id} v{e.version}")


@app.command("dispute")
def dispute(
    db: str = DB,
    evaluation_id: str = typer.Option(..., "--evaluation"),
    agent: str = typer.Option(...),
    item: list[str] = typer.Option(..., "--item", help="a disputed item (repeat)"),
    reason: str = typer.Option(...),
    dispute_id: str | None = typer.Option(None, "--id"),
    at: str | None = NOW,
) -> None:
    """The agent disputes items of an evaluation, with a reason."""
    from ..store.qa_records import open_records

    with open_records(db) as rec:
        state = rec.ledger.evaluations.get(evaluation_id)
        did = dispute_id or f"{evaluation_id}#d{len(state.disputes) + 1 if state else 1}"
        e = rec.ledger.file_dispute(did, evaluation_id, agent, list(item), reason, _now(at))
        rec.append([e])
    out.print(f"申诉已提交 dispute [bold]{did}[/] filed on {', '.join(e.items)}")


@app.command("decide")
def decide(
    db: str = DB,
    scorecard: Path = typer.Option(...),
    dispute_id: str = typer.Option(..., "--dispute"),
    reviewer: str = typer.Option(...),
    answer: list[str] | None = typer.Option(None, "--answer", help="disputed item=new value"),
    note: str = typer.Option(""),
    as_json: bool = typer.Option(False, "--json"),
    at: str | None = NOW,
) -> None:
    """A reviewer other than the evaluator decides; only disputed items may go up."""
    from ..core.events import to_record
    from ..store.qa_records import open_records

    card = load_scorecard(scorecard)
    with open_records(db) as rec:
        events = rec.ledger.decide_dispute(
            dispute_id, card, reviewer, _pairs("--answer", answer), _now(at), note
        )
        rec.append(events)
    d = events[0]
    if as_json:
        _dump([to_record(e) for e in events])
        return
    out.print(
        f"申诉 dispute {dispute_id}: [bold]{d.outcome}[/] ({', '.join(d.upheld) or 'no change'}), "  # type: ignore[attr-defined]
        f"score change {d.score_change:+g}"  # type: ignore[attr-defined]
    )


@app.command("show")
def show(
    db: str = DB,
    evaluation_id: str = typer.Option(..., "--evaluation"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The full audit trail of an evaluation, as the agent sees it, with its hash check."""
    from ..core.clock import iso
    from ..core.events import to_record
    from ..store.qa_records import open_records

    with open_records(db) as rec:
        if evaluation_id not in rec.ledger.evaluations:
            raise InputError(SOURCE, [Problem("--evaluation", "no such evaluation", evaluation_id)])
        trail = rec.history(evaluation_id)
        problems = rec.ledger.verify(evaluation_id)
    if as_json:
        _dump({"evaluation_id": evaluation_id, "intact": not problems, "problems": problems,
               "trail": [to_record(e) for e in trail]})  # fmt: skip
        return
    table = Table(title=f"评估记录 evaluation {evaluation_id}: audit trail")
    for col in ("时间 time", "事件 event", "操作人 by", "详情 details"):
        table.add_column(col)
    for e in trail:
        table.add_row(iso(e.ts), e.TYPE, *_describe(e))
    out.print(table)
    out.print(
        "[bold green]哈希链完整 hash chain intact[/]"
        if not problems
        else f"[bold red]{problems}[/]"
    )


def _describe(e: Any) -> tuple[str, str]:
    t = e.TYPE
    if t == "EvaluationSigned":
        detail = f"v{e.version} score {e.score:g}" + (f", reason: {e.reason}" if e.reason else "")
        return e.evaluator, detail
    if t == "EvaluationAcknowledged":
        return e.agent_id, f"acknowledged v{e.version} {e.note}".strip()
    if t == "DisputeFiled":
        return e.agent_id, f"disputes {', '.join(e.items)} of v{e.version}: {e.reason}"
    return e.reviewer, f"{e.outcome} {', '.join(e.upheld)} ({e.score_change:+g}) {e.note}".strip()


# --- calibration and reports --------------------------------------------------------------


@app.command("calibrate")
def calibrate_cmd(
    ratings: Path = typer.Argument(..., help="JSON Lines: {call_id, evaluator, answers}"),
    scorecard: Path = typer.Option(...),
    tolerance: float = typer.Option(5.0, help="bias in points that flags an outlier evaluator"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Agreement between evaluators on the same calls, each one's bias, outliers."""
    from ..qa.calibration import ALPHA_RELIABLE, Rating, calibrate

    card = load_scorecard(scorecard)
    rows = []
    for i, raw in _lines(ratings):
        try:
            d = json.loads(raw)
            rows.append(Rating(str(d["call_id"]), str(d["evaluator"]), dict(d["answers"])))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            problem = Problem(
                f"line {i}", f"expected {{call_id, evaluator, answers}}: {exc}", raw[:80]
            )
            raise InputError(str(ratings), [problem]) from None
    cal = calibrate(card, rows, tolerance)
    if as_json:
        _dump(cal.to_dict())
        return
    a = cal.overall_alpha
    verdict = "reliable" if a is not None and a >= ALPHA_RELIABLE else "NOT reliable"
    shown = "n/a" if a is None else f"{a:.3f}"
    out.print(
        f"校准 {cal.calls} calls, {len(cal.evaluators)} evaluators; "
        f"总体一致性 overall alpha {shown} ({verdict})"
    )
    items = Table(title="各项一致性 agreement per item (Krippendorff's alpha)")
    items.add_column("项目 item")
    items.add_column("alpha")
    for k, v in cal.item_alpha.items():
        items.add_row(k, "n/a: everyone gave the same answer" if v is None else f"{v:.3f}")
    out.print(items)
    bias = Table(title="质检员偏差 evaluator bias against the others' median")
    for col in ("质检员 evaluator", "通话 calls", "偏差 bias", "95% CI", "离群 outlier"):
        bias.add_column(col)
    for b in cal.bias:
        ci = "-" if b.low is None else f"{b.low:+.1f} … {b.high or 0:+.1f}"
        bias.add_row(
            b.evaluator, str(b.calls), f"{b.mean:+.1f}", ci, "[red]yes[/]" if b.outlier else "no"
        )
    out.print(bias)


@app.command("report")
def report_cmd(
    db: str = DB,
    scorecard: list[Path] = typer.Option(
        ..., "--scorecard", help="scorecard YAML (repeat for versions)"
    ),
    month: str = typer.Option(..., help="YYYY-MM"),
    by: str = typer.Option("agent", help="agent or team"),
    center: Path | None = typer.Option(None, help="center YAML, for agents' teams"),
    tz: str = typer.Option("UTC", "--tz", help="time zone months are counted in"),
    plot: Path | None = typer.Option(None, help="save a PNG of the ranking with 95% intervals"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """QA score per agent or team for a month: trend, most-failed items, ranks with intervals."""
    import re
    from zoneinfo import ZoneInfo

    from ..core.clock import to_datetime
    from ..qa.reports import report, scored
    from ..store.qa_records import open_records

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise InputError(SOURCE, [Problem("--month", "write YYYY-MM", month)])
    if by not in ("agent", "team"):
        raise InputError(SOURCE, [Problem("--by", "agent or team", by)])
    _moment("--tz", "2026-01-01", tz)  # validates the zone
    zone = ZoneInfo(tz)
    cards = {(c.id, c.version): c for c in (load_scorecard(p) for p in scorecard)}
    teams: dict[str, str] = {}
    if center is not None:
        from .kpis import load_center

        teams = {a.id: a.team for a in load_center(center).all_agents()}
    with open_records(db) as rec:
        rows = scored(
            rec.ledger, cards, lambda a: teams.get(a, ""),
            lambda ms: to_datetime(ms).astimezone(zone).strftime("%Y-%m"),
        )  # fmt: skip
    lines = report(rows, month, by)
    if as_json:
        _dump({"month": month, "by": by, "lines": [x.to_dict() for x in lines]})
    else:
        table = Table(title=f"质检排名 QA {month} by {by}: ranks overlap where intervals do")
        who = "坐席 agent" if by == "agent" else "班组 team"
        for col in (
            "名次 rank", "可能名次 possible ranks", who, "班组 team", "样本 n", "均分 mean",
            "95% CI", "环比 trend", "常失分项 most failed",
        ):  # fmt: skip
            table.add_column(col)
        for x in lines:
            ci = "-" if x.low is None else f"{x.low:.1f} – {x.high or 0:.1f}"
            trend = "-" if x.trend is None else f"{x.trend:+.1f}"
            failed = ", ".join(f"{i}×{k}" for i, k in x.most_failed) or "-"
            lo, hi = x.rank_range
            table.add_row(str(x.rank), f"{lo}–{hi}" if lo != hi else str(lo), x.key, x.team or "-",
                          str(x.n), f"{x.mean:.1f}", ci, trend, failed)  # fmt: skip
        out.print(table)
    if plot is not None:
        _plot_ranking(lines, month, plot)


CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "SimHei",
             "Microsoft YaHei", "PingFang SC")  # fmt: skip


def _plot_ranking(lines: list[Any], month: str, path: Path) -> None:
    import warnings

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    # Chinese names need a CJK font; use one where installed (matplotlib falls back
    # glyph by glyph along the list), else labels show boxes: see docs/qa.md.
    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = [f for f in CJK_FONTS if f in installed] + ["DejaVu Sans"]
    with plt.rc_context({"font.family": fonts}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig, ax = plt.subplots(figsize=(7, max(2.5, 0.35 * len(lines) + 1)))
        ys = list(range(len(lines)))[::-1]
        means = [x.mean for x in lines]
        lows = [x.mean - (x.low if x.low is not None else x.mean) for x in lines]
        highs = [(x.high if x.high is not None else x.mean) - x.mean for x in lines]
        ax.errorbar(means, ys, xerr=[lows, highs], fmt="o", capsize=3)
        ax.set_yticks(ys, [f"{x.key} (n={x.n})" for x in lines])
        ax.set_xlabel("QA score, mean with 95% interval")
        ax.set_title(f"QA ranking {month}")
        fig.tight_layout()
        try:
            fig.savefig(path, dpi=110)
        except OSError as exc:
            problem = Problem("--plot", f"cannot write: {exc}", str(path))
            raise InputError(SOURCE, [problem]) from None
        finally:
            plt.close(fig)


@app.command("list")
def list_cmd(
    db: str = DB,
    agent: str | None = typer.Option(None, help="only this agent's evaluations"),
    sample_id: str | None = typer.Option(None, "--sample", help="only this sample"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Evaluations with their latest score, versions, acknowledgement and disputes."""
    from ..store.qa_records import open_records

    rows: list[dict[str, Any]] = []
    with open_records(db) as rec:
        led = rec.ledger
        for eid, state in sorted(led.evaluations.items()):
            v = state.latest
            if (agent and v.agent_id != agent) or (sample_id and v.sample_id != sample_id):
                continue
            acked = any(a.version == v.version for a in state.acks)
            disputes = [
                {
                    "dispute_id": d,
                    "outcome": o.decided.outcome if (o := led.disputes[d]).decided else "open",
                }
                for d in state.disputes
            ]
            rows.append({
                "evaluation_id": eid, "call_id": v.call_id, "agent_id": v.agent_id,
                "sample_id": v.sample_id, "score": v.score, "version": v.version,
                "evaluator": v.evaluator, "acknowledged": acked, "disputes": disputes,
                "intact": not led.verify(eid),
            })  # fmt: skip
    if as_json:
        _dump(rows)
        return
    table = Table(title="评估 evaluations")
    for col in (
        "评估 evaluation",
        "通话 call",
        "坐席 agent",
        "得分 score",
        "版本 version",
        "已确认 acknowledged",
        "申诉 disputes",
    ):
        table.add_column(col)
    for r in rows:
        ds = ", ".join(f"{d['dispute_id']} {d['outcome']}" for d in r["disputes"]) or "-"
        table.add_row(r["evaluation_id"], r["call_id"], r["agent_id"], f"{r['score']:g}",
                      str(r["version"]), "yes" if r["acknowledged"] else "no", ds)  # fmt: skip
    out.print(table)

"""The HTTP API: thin routes onto :class:`helpline.api.live.Live`.

Every POST is one engine request. Its answer lists the events it caused (with
their seqs, already durable) and the commands for telephony (ring this phone,
offer a callback, hang up). Bad input answers 422 with ``InputError.to_dict()``;
an unknown call or agent in a GET answers 404 in the same shape.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Body, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from ..core.center import Center
from ..core.clock import Clock
from ..core.errors import InputError, Problem, format_loc
from ..core.events import CATALOG
from ..engine import inputs as inp
from ..store.eventlog import EventLog
from . import bodies, views
from .live import Live, StoreUnavailable

Json = dict[str, Any]
MAX_EVENTS = 10_000


def create_app(center: Center, log: EventLog, clock: Clock) -> FastAPI:
    """The API over ``log``: replays it into a fresh engine, then serves."""
    live = Live(center, log, clock)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        live.start()
        try:
            yield
        finally:
            live.stop()

    app = FastAPI(title="helpline", summary=center.name, lifespan=lifespan)
    app.state.live = live
    _errors(app)
    _call_routes(app, live)
    _agent_routes(app, live)
    _read_routes(app, live)
    return app


def _errors(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def input_error(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(exc.to_dict(), status_code=422)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [_problem(err) for err in exc.errors()]
        return JSONResponse(InputError("request", problems).to_dict(), status_code=422)

    @app.exception_handler(StoreUnavailable)
    async def store_down(_: Request, exc: StoreUnavailable) -> JSONResponse:
        body = InputError("store", [Problem("", "the event log is unavailable; nothing was done")])
        return JSONResponse({**body.to_dict(), "detail": str(exc)}, status_code=503)


def _problem(err: Any) -> Problem:
    loc = list(err.get("loc", ()))
    if loc and loc[0] in ("body", "query", "path"):
        loc = loc[1:]  # the field name alone is what a client recognises
    missing = err.get("type") == "missing"
    value = None if missing else err.get("input")
    message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
    return Problem(format_loc(loc) or "body", message, value, not missing)


def _check_unused(live: Live, call_id: str) -> None:
    # The engine forgets ended calls; a reused id would merge two calls' histories in the log.
    row = live.log.call(call_id)
    if row is not None and row["state"] == "ended":
        raise InputError(
            "request", [Problem("call_id", "already used by a call that has ended", call_id)]
        )


def _post(live: Live, request: inp.Input) -> Json:
    return views.output(live.submit(request))


def _call_routes(app: FastAPI, live: Live) -> None:
    @app.post("/calls", status_code=201)
    def new_call(body: bodies.NewCall) -> Json:
        call_id = body.call_id or uuid.uuid4().hex
        _check_unused(live, call_id)
        out = _post(live, inp.NewCall(call_id, body.queue, body.tier, body.ani))
        return {"call_id": call_id, **out}

    @app.post("/calls/{call_id}/answer")
    def answer(call_id: str, body: bodies.AgentOnly) -> Json:
        return _post(live, inp.Answer(call_id, body.agent_id))

    @app.post("/calls/{call_id}/no-answer")
    def no_answer(call_id: str, body: bodies.AgentOnly) -> Json:
        return _post(live, inp.NoAnswer(call_id, body.agent_id))

    @app.post("/calls/{call_id}/hangup")
    def hangup(call_id: str) -> Json:
        return _post(live, inp.CallerHangup(call_id))

    @app.post("/calls/{call_id}/complete")
    def complete(call_id: str) -> Json:
        return _post(live, inp.Complete(call_id))

    @app.post("/calls/{call_id}/hold")
    def hold(call_id: str) -> Json:
        return _post(live, inp.Hold(call_id))

    @app.post("/calls/{call_id}/resume")
    def resume(call_id: str) -> Json:
        return _post(live, inp.Resume(call_id))

    @app.post("/calls/{call_id}/transfer")
    def transfer(call_id: str, body: bodies.Transfer) -> Json:
        return _post(live, inp.Transfer(call_id, body.to_queue, body.to_agent, body.mode))

    @app.post("/calls/{call_id}/callback")
    def callback(call_id: str, body: bodies.Callback) -> Json:
        return _post(live, inp.AcceptCallback(call_id, body.number))

    @app.post("/calls/{call_id}/route")
    def route(call_id: str, queue: Annotated[str, Body(embed=True)]) -> Json:
        return _post(live, inp.Route(call_id, queue))


def _agent_routes(app: FastAPI, live: Live) -> None:
    @app.post("/agents/{agent_id}/login")
    def login(agent_id: str) -> Json:
        return _post(live, inp.Login(agent_id))

    @app.post("/agents/{agent_id}/logout")
    def logout(agent_id: str) -> Json:
        return _post(live, inp.Logout(agent_id))

    @app.post("/agents/{agent_id}/state")
    def set_state(agent_id: str, body: bodies.SetState) -> Json:
        return _post(live, inp.SetState(agent_id, body.state, body.reason))


def _not_found(path: str, what: str, value: str) -> JSONResponse:
    error = InputError("request", [Problem(path, f"no such {what}", value)])
    return JSONResponse(error.to_dict(), status_code=404)


def _read_routes(app: FastAPI, live: Live) -> None:
    @app.get("/calls/{call_id}", response_model=None)
    def get_call(call_id: str) -> Json | JSONResponse:
        with live.lock:
            view = views.live_call(live.engine, call_id, live.now())
        if view is not None:
            return view
        row = live.log.call(call_id)
        return views.ended_call(row) if row else _not_found("call_id", "call", call_id)

    @app.get("/agents/{agent_id}", response_model=None)
    def get_agent(agent_id: str) -> Json | JSONResponse:
        with live.lock:
            view = views.agent(live.engine, agent_id)
        return view if view is not None else _not_found("agent_id", "agent", agent_id)

    @app.get("/queues")
    def get_queues() -> Json:
        with live.lock:
            return {"queues": views.queues(live.engine, live.now())}

    @app.get("/events")
    def get_events(
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_EVENTS)] = 1000,
        type: Annotated[list[str] | None, Query()] = None,
        call_id: str | None = None,
        agent_id: str | None = None,
    ) -> Json:
        unknown = [t for t in type or [] if t not in CATALOG]
        if unknown:
            raise InputError("request", [Problem("type", "unknown event type", t) for t in unknown])
        found = live.log.read(after, type, call_id, agent_id, limit)
        events = [views.event(e) for e in found]
        return {"events": events, "last_seq": live.last_seq}

    @app.get("/commands")
    def get_commands(after: Annotated[int, Query(ge=0)] = 0) -> Json:
        with live.lock:
            found = [i for i in live.feed if i.n > after]
            return {"commands": [views.issued(i) for i in found], "last": live.issued}

    @app.get("/snapshot")
    def snapshot() -> Json:
        with live.lock:
            return {"last_seq": live.last_seq, **live.engine.snapshot()}

    @app.get("/health")
    def health() -> Json:
        with live.lock:
            engine = live.engine
            return {
                "status": "ok", "center": live.center.name, "last_seq": live.last_seq,
                "db": live.log.engine.dialect.name, "active_calls": len(engine.calls),
                "logged_in": sum(a.logged_in for a in engine.agents.values()),
                "next_wakeup": engine.next_wakeup(),
            }  # fmt: skip

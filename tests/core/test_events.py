import json

import pytest

from helpline.core import events as ev
from helpline.core.errors import InputError


def _sample(cls: type[ev.Event]) -> ev.Event:
    """An instance of every catalog type with a value in every field."""
    import dataclasses

    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in ev.Event.ENVELOPE:
            continue
        t = str(f.type)
        if "list" in t:
            kwargs[f.name] = ["greeting", "closing"]
        elif t.startswith("int") or t == "int | None":
            kwargs[f.name] = 7
        elif t.startswith("float"):
            kwargs[f.name] = 2.5
        else:
            kwargs[f.name] = f"{f.name}-值"
    return cls(ts=1_700_000_000_123, seq=42, tenant="gd", site="gz", **kwargs)


@pytest.mark.parametrize("type_name", sorted(ev.CATALOG))
def test_every_event_round_trips_through_json(type_name: str) -> None:
    event = _sample(ev.CATALOG[type_name])
    text = json.dumps(ev.to_record(event), ensure_ascii=False)
    back = ev.from_record(json.loads(text))
    assert back == event
    assert ev.to_record(back)["type"] == type_name


def test_catalog_names_match_design() -> None:
    design = {
        "CallArrived", "IvrEntered", "IvrStep", "SelfServiceCompleted", "CallQueued",
        "CallOffered", "OfferRejected", "CallAnswered", "CallHeld", "CallResumed",
        "CallTransferred", "CallAbandoned", "CallEnded", "WrapUpEnded", "CallbackRequested",
        "CallbackAttempted", "CallbackCompleted", "SmsReplySent", "AgentLoggedIn",
        "AgentStateChanged", "AgentLoggedOut", "CaseOpened", "CaseAssigned", "CaseEscalated",
        "CaseResolved", "CaseReopened", "SurveyAnswered", "EvaluationSigned", "DisputeFiled",
        "DisputeDecided",
    }  # fmt: skip
    assert design <= set(ev.CATALOG)


def test_old_payload_is_upcast_on_read() -> None:
    @ev.dataclass(slots=True, kw_only=True)
    class Greeted(ev.Event):
        TYPE = "Greeted"
        VERSION = 2
        words: str
        language: str

    ev.CATALOG["Greeted"] = Greeted
    try:

        @ev.upcaster("Greeted", 1)
        def _v1_to_v2(p: ev.Payload) -> ev.Payload:
            return {**p, "language": "zh"}

        old = {"ts": 1, "type": "Greeted", "v": 1, "payload": {"words": "您好"}}
        assert ev.from_record(old) == Greeted(ts=1, words="您好", language="zh")
    finally:
        del ev.CATALOG["Greeted"]


def test_unknown_type_and_bad_payload_name_the_problem() -> None:
    with pytest.raises(InputError, match=r"unknown event type.*'Nope'"):
        ev.from_record({"ts": 1, "type": "Nope", "payload": {}})
    with pytest.raises(InputError, match=r"CallArrived.payload"):
        ev.from_record({"ts": 1, "type": "CallArrived", "payload": {"callid": "x"}})

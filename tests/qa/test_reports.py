"""Monthly QA report: per agent and team, trend, most-failed items, ranks with intervals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from helpline.qa.reports import Scored, report


def rows() -> list[Scored]:
    out = []
    scores = {
        "a1": [95, 92, 97, 94, 96, 93],  # clearly first
        "a2": [80, 84, 78, 82, 81, 79],
        "a3": [81, 83, 79, 80, 82, 84],  # a2 and a3 are too close to order
        "a4": [60],  # one evaluation: a wide interval
    }
    for agent, xs in scores.items():
        team = "t1" if agent in ("a1", "a2") else "t2"
        for i, x in enumerate(xs):
            failed = ("closing",) if x < 90 else ()
            failed += ("empathy",) if x < 81 else ()
            out.append(Scored(f"{agent}-{i}", agent, team, "2026-11", x, failed))
    out += [
        Scored("old1", "a1", "t1", "2026-10", 85, ()),
        Scored("old2", "a2", "t1", "2026-10", 90, ()),
    ]
    return out


def test_ranking_shows_sample_sizes_intervals_and_ties() -> None:
    lines = {x.key: x for x in report(rows(), "2026-11")}
    a1, a2, a3, a4 = (lines[k] for k in ("a1", "a2", "a3", "a4"))
    assert a1.rank == 1 and a1.rank_range == (1, 1) and a1.n == 6
    assert {a2.rank, a3.rank} == {2, 3}
    assert a2.rank_range == (2, 3) and a3.rank_range == (2, 3)  # not over-read
    assert a4.n == 1 and a4.low is not None and a4.high is not None
    assert a4.high - a4.low > 2 * (a1.high - a1.low)  # one call says little


def test_trend_and_most_failed_items() -> None:
    lines = {x.key: x for x in report(rows(), "2026-11")}
    assert lines["a1"].previous == 85 and lines["a1"].trend == 9.5
    assert lines["a3"].previous is None
    assert lines["a2"].most_failed == [("closing", 6), ("empathy", 3)]


def test_team_report() -> None:
    teams = {x.key: x for x in report(rows(), "2026-11", by="team")}
    assert teams["t1"].n == 12 and teams["t2"].n == 7
    assert teams["t1"].mean > teams["t2"].mean
    assert teams["t1"].previous == 87.5


def test_with_one_evaluation_each_no_rank_is_certain() -> None:
    one = [Scored(f"e{i}", f"a{i}", "t", "2026-11", 70 + 10 * i, ()) for i in range(3)]
    lines = report(one, "2026-11")
    assert [x.key for x in lines] == ["a2", "a1", "a0"]
    assert all(x.low is None and x.rank_range == (1, 3) for x in lines)


@given(
    scores=st.dictionaries(
        st.sampled_from([f"a{i}" for i in range(8)]),
        st.lists(st.floats(0, 100), min_size=1, max_size=6),
        min_size=1,
    )
)
def test_every_rank_lies_in_its_possible_range(scores: dict[str, list[float]]) -> None:
    rows = [
        Scored(f"{a}-{i}", a, "t", "2026-11", x, ())
        for a, xs in scores.items()
        for i, x in enumerate(xs)
    ]
    lines = report(rows, "2026-11")
    assert [x.rank for x in lines] == list(range(1, len(lines) + 1))
    for x in lines:
        lo, hi = x.rank_range
        assert 1 <= lo <= x.rank <= hi <= len(lines)

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from giamsat.rankings.league import (
    ON_TIME_GROUPS,
    Entry,
    Threshold,
    competition_ranks,
    compliance_groups,
    league_table,
)

D = Decimal


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks([D(80), D(95), D(80), None, D(60)]) == [2, 1, 2, None, 4]


def test_league_table_value_target_met_change_and_rank_change():
    rows = league_table([
        Entry("ha-noi", D(72), D(70), D(60)),
        Entry("hue", D(90), D(95), D(91)),
        Entry("son-la", None, D(50), D(95)),
    ])
    assert [r.agency for r in rows] == ["hue", "ha-noi", "son-la"]
    hue, ha_noi, son_la = rows
    assert (hue.rank, hue.met, hue.change, hue.rank_change) == (1, False, D(-1), 1)
    assert (ha_noi.rank, ha_noi.met, ha_noi.change, ha_noi.rank_change) == (2, True, D(12), 1)
    assert (son_la.rank, son_la.met, son_la.change, son_la.rank_change) == (None, None, None,
                                                                            None)


def test_lower_is_better_ranks_smallest_first():
    rows = league_table([Entry("a", D(3), D(5)), Entry("b", D(1))], higher_is_better=False)
    assert [(r.agency, r.rank, r.met) for r in rows] == [("b", 1, None), ("a", 2, True)]


def test_compliance_groups_by_on_time_share():
    groups = compliance_groups({"a": D(95), "b": D(90), "c": D("69.9"), "d": D(10),
                                "e": None})
    assert groups == {"I": ["a", "b"], "II": [], "III": ["c"], "IV": ["d"]}


def test_thresholds_are_data():
    thresholds = [Threshold("đạt", D(100)), Threshold("chưa đạt", D(0))]
    assert compliance_groups({"a": D(100), "b": D(99)}, thresholds) == {
        "đạt": ["a"], "chưa đạt": ["b"]}


values = st.lists(st.one_of(st.none(), st.decimals(0, 100, places=1)), max_size=30)


@given(values)
def test_ranks_agree_with_order(vals):
    ranks = competition_ranks(vals)
    for i, a in enumerate(vals):
        for j, b in enumerate(vals):
            if a is not None and b is not None:
                assert (ranks[i] < ranks[j]) == (a > b)
                assert (ranks[i] == ranks[j]) == (a == b)
    # rank = 1 + how many are strictly better
    for v, r in zip(vals, ranks, strict=True):
        if v is not None:
            assert r == 1 + sum(1 for w in vals if w is not None and w > v)


@given(st.dictionaries(st.text(max_size=3), st.decimals(0, 100, places=1)))
def test_every_scored_agency_is_in_exactly_one_group(scores):
    groups = compliance_groups(scores, ON_TIME_GROUPS)
    placed = [a for members in groups.values() for a in members]
    assert sorted(placed) == sorted(scores)

"""League tables and compliance groups read from a small database: the previous period's
rank change, mergers (a value belongs to the organisation valid on the period date; a
merged province's previous value comes from its predecessors' counts), values known by
the as-of date, thresholds from settings, and groups by tasks completed on time."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from giamsat.indicators.models import (
    Direction,
    Frequency,
    Indicator,
    Observation,
    Target,
    TargetSource,
    Unit,
)
from giamsat.lib.months import month_end
from giamsat.rankings.league import Threshold
from giamsat.rankings.tables import (
    league,
    on_time_groups,
    parse_thresholds,
    previous_period,
    ranked_periods,
    target_share,
)
from giamsat.tasks.models import Assignment, Role, Task
from giamsat.tasks.queries import summary_by_agency
from giamsat.tasks.status import TaskStatus

D = datetime.date
DEC = Decimal
MAY, JUNE, JULY = D(2025, 5, 1), D(2025, 6, 1), D(2025, 7, 1)
OLD = D(2025, 6, 30)  # the 63 provinces' last day
LATER = D(2025, 12, 31)


@pytest.fixture
def rate(db):
    return Indicator.objects.create(code="ty-le-thu", name="Tỷ lệ thử", unit=Unit.PERCENT)


def value(indicator, org, period, amount, numerator=None, denominator=None, observed_on=None):
    return Observation.objects.create(indicator=indicator, organisation=org, period=period,
                                      value=DEC(amount), observed_on=observed_on,
                                      numerator=numerator, denominator=denominator)


def target(indicator, org, period, amount):
    return Target.objects.create(indicator=indicator, organisation=org,
                                 period_end=month_end(period), minimum=DEC(amount),
                                 source=TargetSource.REGISTERED)


def by_slug(table):
    return {row.agency.slug: row for row in table.rows}


def test_rank_change_since_the_month_before_ministries_and_provinces_apart(rate, org):
    ha_giang, tuyen, cao = (org(n, OLD) for n in ("Hà Giang", "Tuyên Quang", "Cao Bằng"))
    police, health = org("Bộ Công an"), org("Bộ Y tế")
    for who, may, june in ((ha_giang, 10, 40), (tuyen, 30, 30), (cao, 20, 20),
                           (police, 50, 50), (health, 40, 50)):
        value(rate, who, MAY, may)
        value(rate, who, JUNE, june)
    target(rate, ha_giang, JUNE, 35)
    target(rate, tuyen, JUNE, 35)
    target(rate, cao, MAY, 10)  # May's target is not June's
    ranking = league(rate, JUNE, LATER)
    assert (ranking.period, ranking.previous) == (JUNE, MAY)
    provinces = ranking.bloc("provinces")
    assert [r.agency for r in provinces.rows] == [ha_giang, tuyen, cao]
    assert [(r.rank, r.previous_rank, r.rank_change) for r in provinces.rows] == [
        (1, 3, 2), (2, 1, -1), (3, 2, -1)]
    assert [(r.change, r.previous_value) for r in provinces.rows] == [
        (DEC(30), DEC(10)), (DEC(0), DEC(30)), (DEC(0), DEC(20))]
    assert [(r.target, r.met) for r in provinces.rows] == [
        (DEC(35), True), (DEC(35), False), (None, None)]
    # Value against target: 40/35 = 114,3% (group I), 30/35 = 85,7% (II); no target: none.
    assert [round(provinces.score(r), 1) if provinces.score(r) else None
            for r in provinces.rows] == [DEC("114.3"), DEC("85.7"), None]
    assert [provinces.group(r) for r in provinces.rows] == ["I", "II", None]
    assert provinces.groups == {"I": [ha_giang], "II": [tuyen], "III": [], "IV": []}
    # Equal values share a rank; the ministries are a table of their own.
    central = ranking.bloc("central")
    assert {r.agency.slug: (r.rank, r.rank_change) for r in central.rows} == {
        police.slug: (1, 0), health.slug: (1, 1)}
    assert {police, health}.isdisjoint(r.agency for r in provinces.rows)
    assert [r.agency for r in provinces.top(1)] == [ha_giang]
    assert [r.agency for r in provinces.bottom(2)] == [tuyen, cao]


def test_a_value_belongs_to_the_organisation_valid_on_the_period_date(rate, org):
    old_tuyen, ha_giang = org("Tuyên Quang", OLD), org("Hà Giang", OLD)
    new_tuyen = org("Tuyên Quang", JULY)
    assert old_tuyen != new_tuyen and not old_tuyen.is_valid_on(JULY)
    value(rate, old_tuyen, JUNE, 30, numerator=300, denominator=1000)
    value(rate, ha_giang, JUNE, 10, numerator=100, denominator=1000)
    value(rate, new_tuyen, JULY, 25, observed_on=D(2025, 7, 9))
    june = league(rate, JUNE, LATER).bloc("provinces")
    assert set(by_slug(june)) == {old_tuyen.slug, ha_giang.slug}  # 63 then, not 34
    july = league(rate, JULY, LATER).bloc("provinces")
    (row,) = july.rows
    assert row.agency == new_tuyen
    # June's rate of the two former provinces together, from their counts: 400/2000.
    assert (row.previous_value, row.change) == (DEC(20), DEC(5))
    assert set(july.previous_from[new_tuyen.pk]) == {old_tuyen, ha_giang}


def test_no_previous_value_when_the_parts_cannot_be_added_up(rate, org):
    old_tuyen, ha_giang = org("Tuyên Quang", OLD), org("Hà Giang", OLD)
    value(rate, old_tuyen, JUNE, 30, numerator=300, denominator=1000)
    value(rate, ha_giang, JUNE, 10)  # a rate without its counts is never averaged
    value(rate, org("Tuyên Quang", JULY), JULY, 25)
    (row,) = league(rate, JULY, LATER).bloc("provinces").rows
    assert (row.previous_value, row.change, row.rank_change) == (None, None, None)


def test_amounts_of_merged_provinces_are_summed(org, db):
    count = Indicator.objects.create(code="so-thu", name="Số thử", unit=Unit.COUNT)
    value(count, org("Tuyên Quang", OLD), JUNE, 5)
    value(count, org("Hà Giang", OLD), JUNE, 7)
    value(count, org("Tuyên Quang", JULY), JULY, 15)
    (row,) = league(count, JULY, LATER).bloc("provinces").rows
    assert (row.previous_value, row.change) == (DEC(12), DEC(3))


def test_only_values_known_by_the_as_of_date(rate, org):
    value(rate, org("Tuyên Quang", OLD), JUNE, 30)
    value(rate, org("Tuyên Quang", JULY), JULY, 25, observed_on=D(2025, 7, 9))
    assert ranked_periods(rate, D(2025, 7, 8)) == [JUNE]
    assert league(rate, as_of=D(2025, 7, 8)).period == JUNE
    assert league(rate, as_of=D(2025, 7, 9)).period == JULY
    # Asked for July before its values were known: the table is empty, not guessed.
    assert league(rate, JULY, D(2025, 7, 8)).bloc("provinces").rows == []
    empty = Indicator.objects.create(code="rong", name="Rỗng", unit=Unit.PERCENT)
    nothing = league(empty, as_of=LATER)
    assert nothing.period is None and all(not t.rows for t in nothing.tables)


def test_lower_is_better(org, db):
    delay = Indicator.objects.create(code="ngay-xu-ly", name="Số ngày xử lý", unit=Unit.COUNT,
                                     direction=Direction.LOWER_IS_BETTER)
    fast, slow = org("Hà Giang", OLD), org("Cao Bằng", OLD)
    value(delay, fast, JUNE, 4)
    value(delay, slow, JUNE, 10)
    target(delay, fast, JUNE, 5)
    target(delay, slow, JUNE, 5)
    provinces = league(delay, JUNE, LATER).bloc("provinces")
    assert [(r.agency, r.rank, r.met) for r in provinces.rows] == [(fast, 1, True),
                                                                   (slow, 2, False)]
    assert [provinces.score(r) for r in provinces.rows] == [DEC(125), DEC(50)]


def test_target_share_edges():
    assert target_share(DEC(0), DEC(0)) == 100  # a zero target met
    assert target_share(DEC(-1), DEC(0)) is None
    assert target_share(DEC(0), DEC(5), higher_is_better=False) == 100
    assert target_share(None, DEC(5)) is None and target_share(DEC(5), None) is None


def test_previous_period_follows_the_frequency(db):
    quarterly = Indicator(frequency=Frequency.QUARTERLY)
    assert previous_period(quarterly, D(2025, 4, 1)) == D(2025, 1, 1)
    assert previous_period(Indicator(), D(2025, 1, 1)) == D(2024, 12, 1)


def test_thresholds_from_settings(rate, org, settings):
    settings.RANKING_TARGET_GROUPS = "đạt:100, chưa đạt:0"
    who = org("Hà Giang", OLD)
    value(rate, who, JUNE, 40)
    target(rate, who, JUNE, 50)
    ranking = league(rate, JUNE, LATER)
    assert [t.name for t in ranking.thresholds] == ["đạt", "chưa đạt"]
    assert ranking.bloc("provinces").groups == {"đạt": [], "chưa đạt": [who]}
    assert parse_thresholds("IV:0,I:90") == (Threshold("I", DEC(90)), Threshold("IV", DEC(0)))
    for bad in ("I", "I:nhiều", "I:90,I:50", ":5", "I:NaN"):
        with pytest.raises(ImproperlyConfigured):
            parse_thresholds(bad, "GIAMSAT_TARGET_GROUPS")


def test_groups_by_tasks_completed_on_time_use_the_dashboard_counts(org, db):
    police, health, ha_noi = org("Bộ Công an"), org("Bộ Y tế"), org("Hà Nội", JULY)
    for number, (who, done) in enumerate(((police, D(2025, 6, 10)), (police, D(2025, 6, 20)),
                                          (health, D(2025, 7, 15)), (health, None),
                                          (ha_noi, D(2025, 6, 1)))):
        task = Task(title=f"Nhiệm vụ {number}")
        task.set_deadline("30/6/2025")
        task.save()
        Assignment.objects.create(task=task, organisation=who, role=Role.LEAD,
                                  completed_on=done)
    on = D(2025, 7, 31)
    central, provinces = on_time_groups(on)
    assert central.bloc == "central" and provinces.bloc == "provinces"
    shares = {line.organisation: (line.due, line.on_time, line.share, line.group)
              for line in central.lines}
    assert shares == {police: (2, 2, DEC(100), "I"), health: (2, 0, DEC(0), "IV")}
    assert central.groups == {"I": [police], "II": [], "III": [], "IV": [health]}
    assert [(line.organisation, line.group) for line in provinces.lines] == [(ha_noi, "I")]
    # The same counts as the dashboard's per-agency rows.
    rows = {row.organisation: row for row in summary_by_agency(on)}
    for line in central.lines:
        assert line.on_time == rows[line.organisation].due[TaskStatus.COMPLETED_ON_TIME]
        assert line.due == rows[line.organisation].due_total

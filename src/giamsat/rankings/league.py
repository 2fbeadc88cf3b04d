"""League tables and compliance groups of agencies for one indicator and period.

Plain functions over values already read: the page, the API, exports and reports are to
call these so they show the same ranks. Ties share a rank and the next rank skips
(1, 1, 3: standard competition ranking, as the programme's tables rank agencies).
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Entry:
    agency: Hashable
    value: Decimal | None
    target: Decimal | None = None
    previous_value: Decimal | None = None


@dataclass(frozen=True)
class LeagueRow:
    agency: Hashable
    value: Decimal | None
    target: Decimal | None
    met: bool | None  # None: no target, or no value, to compare
    change: Decimal | None  # since the previous period
    rank: int | None  # None: no value this period, listed last
    rank_change: int | None  # positive: climbed; None: not ranked then or now
    previous_value: Decimal | None = None
    previous_rank: int | None = None


def competition_ranks(values: Sequence[Decimal | None],
                      higher_is_better: bool = True) -> list[int | None]:
    """Rank per position; equal values share a rank; missing values have none."""
    present = sorted((v for v in values if v is not None), reverse=higher_is_better)
    first_place = {}
    for place, value in enumerate(present, start=1):
        first_place.setdefault(value, place)
    return [None if v is None else first_place[v] for v in values]


def league_table(entries: Iterable[Entry], higher_is_better: bool = True) -> list[LeagueRow]:
    """Rows best first (agencies without a value last), with rank and rank change."""
    entries = list(entries)
    ranks = competition_ranks([e.value for e in entries], higher_is_better)
    previous = competition_ranks([e.previous_value for e in entries], higher_is_better)
    rows = []
    for entry, rank, before in zip(entries, ranks, previous, strict=True):
        met = None
        if entry.value is not None and entry.target is not None:
            met = entry.value >= entry.target if higher_is_better else entry.value <= entry.target
        change = (entry.value - entry.previous_value
                  if entry.value is not None and entry.previous_value is not None else None)
        rows.append(LeagueRow(entry.agency, entry.value, entry.target, met, change, rank,
                              before - rank if rank is not None and before is not None
                              else None, entry.previous_value, before))
    return sorted(rows, key=lambda row: (row.rank is None, row.rank or 0))


@dataclass(frozen=True)
class Threshold:
    """An agency whose score is at least `minimum` belongs to group `name` (first match)."""
    name: str
    minimum: Decimal


# Groups I–IV by share of tasks completed on time (%); settings or data may replace them.
ON_TIME_GROUPS = (Threshold("I", Decimal(90)), Threshold("II", Decimal(70)),
                  Threshold("III", Decimal(50)), Threshold("IV", Decimal(0)))


def compliance_group(score: Decimal | None, thresholds: Sequence[Threshold]) -> str | None:
    if score is None:
        return None
    for threshold in sorted(thresholds, key=lambda t: t.minimum, reverse=True):
        if score >= threshold.minimum:
            return threshold.name
    return None


def compliance_groups(scores: dict[Hashable, Decimal | None],
                      thresholds: Sequence[Threshold] = ON_TIME_GROUPS) -> dict[str, list]:
    """Agencies per group name, in the thresholds' order; unscored agencies are left out."""
    groups = {threshold.name: [] for threshold in thresholds}
    for agency, score in scores.items():
        name = compliance_group(score, thresholds)
        if name is not None:
            groups[name].append(agency)
    return groups

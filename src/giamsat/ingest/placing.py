"""Names and headings the import could not place, placed once by the standing office.

`unplaced_names()` lists each name still unplaced (by its key) with how often and where it
occurs; `place_name(text, organisations | not_an_agency)` records the choice (NameChoice,
and an alias when it names one organisation) and writes, in every import that had the
name, what the name would have given: the task's lead or coordinating agency, the agency
named as not having completed, the shortfall, the value or target. The next imports read
the choice through name resolution. `place_area` does the same for an area heading.
Every write is audited; the facts and figures the writes change are refreshed.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from giamsat import derived
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource
from giamsat.ingest.models import Shortfall, Unplaced, UnplacedKind
from giamsat.lib.i18n import data_text
from giamsat.lib.months import month_end
from giamsat.lib.text import fold
from giamsat.orgs.models import NameChoice, OrgAlias, Organisation
from giamsat.orgs.resolve import Resolver, name_key
from giamsat.tasks import facts
from giamsat.tasks.areas import area_key
from giamsat.tasks.models import AreaBasis, AreaChoice, Assignment, Role, Task


@dataclass
class UnplacedGroup:
    """One name (or heading) still to place, over all its occurrences."""

    kind: str
    key: str
    text: str  # the way it is written most often
    count: int
    contexts: Counter = field(default_factory=Counter)
    candidates: list = field(default_factory=list)  # Organisations, closest first
    tasks: list = field(default_factory=list)  # a few task ids it occurs in
    message: str = ""

    @property
    def context_counts(self) -> list[tuple[str, int]]:
        """For templates: a Counter answers 0 to `.items` there (key lookup comes first)."""
        return self.contexts.most_common()


def unplaced(kind: str = UnplacedKind.NAME) -> list[UnplacedGroup]:
    """What is still to place, most frequent first."""
    groups: dict[str, UnplacedGroup] = {}
    spellings: dict[str, Counter] = {}
    for row in Unplaced.objects.filter(kind=kind, placed_at=None).order_by("pk"):
        group = groups.get(row.key)
        if group is None:
            group = groups[row.key] = UnplacedGroup(kind, row.key, row.text, 0,
                                                    message=row.message)
            spellings[row.key] = Counter()
        group.count += 1
        group.contexts[row.context] += 1
        spellings[row.key][row.text] += 1
        for pk in row.candidates:
            if pk not in group.candidates:
                group.candidates.append(pk)
        if row.task_id and row.task_id not in group.tasks and len(group.tasks) < 5:
            group.tasks.append(row.task_id)
    orgs = Organisation.objects.in_bulk([pk for g in groups.values() for pk in g.candidates])
    for key, group in groups.items():
        group.text = spellings[key].most_common(1)[0][0]
        group.candidates = [orgs[pk] for pk in group.candidates if pk in orgs]
    return sorted(groups.values(), key=lambda g: (-g.count, g.text))


@transaction.atomic
def place_name(text: str, organisations: list[Organisation], not_an_agency: bool = False,
               user=None) -> int:
    """Say what a name means, and write what its occurrences would have given; returns
    how many occurrences were placed."""
    key = name_key(text)
    choice = NameChoice.objects.filter(key=key).first() or NameChoice(key=key)
    choice.name, choice.not_an_agency, choice.decided_by = text[:300], not_an_agency, user
    choice.save()
    choice.organisations.set([] if not_an_agency else organisations)
    if len(organisations) == 1 and not not_an_agency:
        org = organisations[0]
        if not OrgAlias.objects.filter(organisation=org, key=key).exists() and \
                name_key(org.name) != key:
            OrgAlias.objects.create(organisation=org, name=text[:300])
    resolver = Resolver()
    touched: set[int] = set()
    placed = 0
    with facts.deferred():
        for row in Unplaced.objects.filter(kind=UnplacedKind.NAME, key=key, placed_at=None) \
                .select_related("document", "task"):
            on = _day(row)
            found = [] if not_an_agency else list(resolver.resolve(row.text, on).organisations)
            for org in found:
                _write(row, org, touched)
            row.placed_at = timezone.now()
            row.save()
            placed += 1
        facts.refresh_tasks(touched)
    derived.data_changed()
    return placed


def _day(row: Unplaced) -> datetime.date:
    """The day the name is read on: the document's (successors are found for it)."""
    if row.payload.get("on"):
        return datetime.date.fromisoformat(row.payload["on"])
    if row.document is not None and row.document.as_of:
        return row.document.as_of
    return timezone.localdate()


def _write(row: Unplaced, org: Organisation, touched: set[int]) -> None:
    """What the row would have given had the name been known."""
    payload = row.payload
    if row.context in (Role.LEAD, Role.COORDINATE, "open") and row.task is not None:
        role = Role.COORDINATE if row.context == Role.COORDINATE else Role.LEAD
        Assignment.objects.get_or_create(task=row.task, organisation=org, role=role,
                                         defaults={"named_as": row.text[:300]})
        touched.add(row.task_id)
    elif row.context == "shortfall" and row.document is not None:
        Shortfall.objects.get_or_create(
            document=row.document, organisation=org, line=row.line,
            defaults={"named_as": row.text[:300], "statement": payload.get("statement", ""),
                      "as_of": row.document.as_of, "raw_text": payload.get("raw", "")})
    elif row.context in ("value", "target", "directive_target"):
        indicator = Indicator.objects.filter(code=payload.get("indicator")).first()
        if indicator is not None:
            _write_value(row.context, payload, indicator, org)


def _decimal(value) -> Decimal | None:
    return Decimal(str(value)) if value not in (None, "") else None


def _write_value(context: str, payload: dict, indicator: Indicator, org: Organisation) -> None:
    if context == "directive_target":
        Target.objects.update_or_create(
            indicator=indicator, organisation=org, source=TargetSource.DIRECTIVE,
            period_end=datetime.date.fromisoformat(payload["period_end"]),
            defaults={"minimum": _decimal(payload.get("minimum")),
                      "aspiration": _decimal(payload.get("aspiration")),
                      "raw_text": payload.get("raw", "")})
        return
    period = datetime.date.fromisoformat(payload["period"])
    if context == "target":
        Target.objects.update_or_create(
            indicator=indicator, organisation=org, source=TargetSource.REGISTERED,
            period_end=month_end(period),
            defaults={"period_start": period, "minimum": _decimal(payload.get("value")),
                      "raw_text": payload.get("raw", "")})
        return
    observed_on = payload.get("observed_on")
    Observation.objects.update_or_create(
        indicator=indicator, organisation=org, period=period,
        defaults={"value": _decimal(payload.get("value")),
                  "numerator": _decimal(payload.get("numerator")),
                  "denominator": _decimal(payload.get("denominator")),
                  "observed_on": datetime.date.fromisoformat(observed_on) if observed_on
                  else None,
                  "source": payload.get("source", ""), "note": payload.get("note", ""),
                  "raw_text": payload.get("raw", "")})


@transaction.atomic
def place_area(heading: str, area, user=None) -> int:
    """Say which area a heading means (None: no area); the tasks under it take it."""
    key = area_key(heading)
    choice = AreaChoice.objects.filter(key=key).first() or AreaChoice(key=key)
    choice.heading, choice.area, choice.decided_by = heading[:400], area, user
    choice.save()
    placed = 0
    for row in Unplaced.objects.filter(kind=UnplacedKind.AREA, key=key, placed_at=None):
        task = Task.objects.filter(pk=row.task_id).first()
        if task is not None and task.area_basis != AreaBasis.PERSON:
            task.programme_area = area
            task.area_basis = AreaBasis.HEADING if area is not None else ""
            task.save()
        row.placed_at = timezone.now()
        row.save()
        placed += 1
    return placed


@transaction.atomic
def place_as_new_organisation(text: str, name: str, kind: str, short_name: str = "",
                              user=None) -> tuple[Organisation, int]:
    """A body tasks really name that the registry lacks (Ban Cơ yếu Chính phủ, a state
    enterprise): added as an organisation of its kind, then the name placed with it."""
    slug = slugify(fold(name))[:110] or "co-quan"
    base, number = slug, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    org = Organisation.objects.create(slug=slug, name=name[:300], short_name=short_name[:60],
                                      kind=kind, notes=data_text(gettext_noop(
                                          "Added by the standing office for the name "
                                          "“%(text)s” that documents use."), text=text))
    return org, place_name(text, [org], user=user)

"""Every figure set on the dashboard and the scorecards partitions its total, on generated
programmes: due = done + overdue + due today, the tiles' parts make up all the tasks, and
the area rows ("no area yet" among them) add up to the table's total row."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.orgs.models import Organisation
from giamsat.tasks.models import Area, Assignment, Role, Task
from tests.web.partitions import add_up, check_partitions

D = datetime.date
# Days that deadlines end on, so that "due on the as-of day itself" comes up often.
DAYS = [D(2025, 3, 31), D(2025, 6, 30), D(2025, 7, 15), D(2025, 12, 31)]
days = st.sampled_from(DAYS) | st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 3, 31))
# A former province (its tasks count for its successor from 01/07/2025) among current ones.
AGENCIES = ["ha-noi", "tuyen-quang", "ha-giang-truoc-2025-07", "bo-cong-an"]
task_spec = st.fixed_dictionaries({
    "deadline": st.sampled_from(DAYS).map(lambda d: d.strftime("%d/%m/%Y"))
    | st.sampled_from(["Thường xuyên", "", "Quý II/2025"]),
    "area": st.none() | st.integers(min_value=0, max_value=2),
    "leads": st.lists(st.tuples(st.sampled_from(AGENCIES), st.none() | days),
                      max_size=2, unique_by=lambda lead: lead[0]),
})


def make(spec, areas, agencies) -> Task:
    task = Task(title="Nhiệm vụ thử", programme_area=None if spec["area"] is None
                else areas[spec["area"] % len(areas)])
    task.set_deadline(spec["deadline"], D(2025, 1, 1))
    task.save()
    for slug, done in spec["leads"]:
        Assignment.objects.create(task=task, organisation=agencies[slug], role=Role.LEAD,
                                  completed_on=done)
    return task


def check_dashboard(client, as_of) -> list[str]:
    """The dashboard's partitions hold; the slugs of the agencies in its tables."""
    page = client.get("/", {"ngay": as_of.strftime("%d/%m/%Y")}).content.decode()
    partitions = check_partitions(page, {"tiles", "all-areas"})
    by_name = {}
    for p in partitions:
        by_name.setdefault(p.name, []).append(p)
    (tiles,), (footer,) = by_name["tiles"], by_name["all-areas"]
    assert add_up(by_name.get("area", [])) == footer.numbers()
    assert footer.totals == {"tasks": tiles.totals["tasks"], "due": tiles.totals["due"]}
    return [p.org for p in by_name.get("agency", [])]


@pytest.fixture
def viewer(client, make_user):
    client.force_login(make_user("viewer"))
    return client


@pytest.mark.django_db
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(task_spec, min_size=1, max_size=7), as_of=days)
def test_every_partition_on_every_page_adds_up(viewer, specs, as_of):
    areas = list(Area.objects.all()[:3])
    agencies = {o.slug: o for o in Organisation.objects.filter(slug__in=AGENCIES)}
    with transaction.atomic():
        for spec in specs:
            make(spec, areas, agencies)
        shown = check_dashboard(viewer, as_of)
        for slug in {*AGENCIES, *shown}:
            page = viewer.get(f"/co-quan/{slug}/", {"ngay": as_of.strftime("%d/%m/%Y")})
            check_partitions(page.content.decode(), {"lead"})
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_task_due_that_very_day_is_in_its_area_and_agency_rows(viewer, org):
    """The third part of "due" has a column of its own where any row has it."""
    task = Task(title="Nhiệm vụ hạn hôm nay")
    task.set_deadline("31/07/2025")
    task.save()
    task.assignments.create(organisation=org("Hà Nội"), role=Role.LEAD)
    page = viewer.get("/", {"ngay": "31/07/2025"}).content.decode()
    partitions = check_partitions(page, {"tiles", "area", "agency", "all-areas"})
    (hanoi,) = [p for p in partitions if p.org == "ha-noi"]
    assert hanoi.totals == {"due": 1} and hanoi.parts["due"]["due_today"] == 1
    (no_area,) = [p for p in partitions if p.name == "area" and p.totals["tasks"]]
    assert no_area.parts["due"] == {"done": 0, "overdue": 0, "due_today": 1}
    assert "Hạn hôm nay" in page
    card = viewer.get("/co-quan/ha-noi/", {"ngay": "31/07/2025"}).content.decode()
    (lead,) = check_partitions(card, {"lead"})
    assert lead.totals == {"due": 1} and lead.parts["due"]["due_today"] == 1

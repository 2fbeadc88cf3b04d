"""The cache of derived figures gives the new numbers as soon as a change is committed."""

import datetime

import pytest
from django.core.cache import cache

from giamsat.tasks.models import Assignment, Role, Task
from giamsat.web.views.dashboard import overview

D = datetime.date


@pytest.fixture
def cached(settings):
    settings.DERIVED_CACHE = True
    cache.clear()
    yield
    cache.clear()


def test_a_committed_change_is_seen_at_once(db, cached, org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # committed before the views
        task = Task(title="Việc thử")
        task.set_deadline("Tháng 3/2025")
        task.save()
        lead = Assignment.objects.create(task=task, organisation=org("Bộ Công an"),
                                         role=Role.LEAD)
    first = overview(D(2025, 6, 1))["summary"]
    assert first.count("overdue") == 1
    # Until a change is committed, the cached figures are served: the same numbers.
    assert overview(D(2025, 6, 1))["summary"].counts == first.counts
    with django_capture_on_commit_callbacks(execute=True):
        lead.completed_on = D(2025, 3, 20)
        lead.save()
    second = overview(D(2025, 6, 1))["summary"]
    assert second.count("overdue") == 0 and second.count("completed_on_time") == 1


def test_a_change_not_yet_committed_does_not_move_the_version(db, cached, org):
    from giamsat.derived import data_version

    before = data_version()
    Task.objects.create(title="Chưa commit")  # inside the test's transaction
    assert data_version() == before


def test_one_version_change_per_transaction_and_the_graph_only_when_organisations_change(
        db, cached, org, django_capture_on_commit_callbacks):
    from giamsat.derived import DATA, ORGS, data_version

    before = {DATA: data_version(DATA), ORGS: data_version(ORGS)}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for number in range(5):
            Task.objects.create(title=f"Việc {number}")
    assert len(callbacks) == 1  # five saves, one callback
    assert data_version(DATA) != before[DATA]
    assert data_version(ORGS) == before[ORGS]  # the graph in memory stays
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Task.objects.create(title="Một việc nữa")
        police = org("Bộ Công an")
        police.short_name = "BCA"
        police.save()
    assert len(callbacks) == 1
    assert data_version(ORGS) != before[ORGS]


def test_a_transaction_that_changed_organisations_reads_its_own_graph(db, cached):
    from giamsat.orgs.history import OrgGraph, _memo
    from giamsat.orgs.models import Organisation

    before = OrgGraph.load()
    kept = _memo["entry"]
    new = Organisation.objects.create(slug="xa-thu-nghiem", name="Xã Thử Nghiệm",
                                      kind="commune")  # not committed
    assert new.pk in OrgGraph.load().organisations and new.pk not in before.organisations
    assert _memo["entry"] is kept  # the uncommitted graph is not kept for other readers


def test_figures_cached_by_another_version_of_the_code_are_not_served(db, cached, monkeypatch):
    """An upgrade keeps the cache directory: what the old code stored (rows of another
    shape) must not reach the new code, even while the data stay the same."""
    from giamsat import derived

    monkeypatch.setattr(derived, "code_version", lambda: "old")
    assert derived.cached("shape", (), lambda: ("two", "fields")) == ("two", "fields")
    assert derived.cached("shape", (), lambda: ("never", "computed")) == ("two", "fields")
    monkeypatch.setattr(derived, "code_version", lambda: "new")
    assert derived.cached("shape", (), lambda: ("three", "fields", "now")) == \
        ("three", "fields", "now")


def test_the_code_version_is_a_fingerprint_of_the_installed_files():
    from giamsat.derived import code_version

    assert len(code_version()) == 12 and code_version() == code_version()

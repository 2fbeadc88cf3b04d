"""An agency's report from draft to approval, and every way it can be refused."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource
from giamsat.reporting import workflow
from giamsat.reporting.models import ReportedValue, Submission, SubmissionState, ValueKind
from giamsat.tasks.models import Assignment, ReviewState, Role, Task, Update
from giamsat.tasks.status import TaskStatus, status_of

D = datetime.date
JULY = D(2025, 7, 1)
IN_JULY = D(2025, 7, 20)  # the period is open until 05/08/2025
DONE = workflow.UpdateInput(status="completed", completed_on=D(2025, 7, 15),
                            result="Đã ban hành.",
                            evidence="Quyết định số 1169/QĐ-TTg ngày 15/7/2025")


@pytest.fixture
def task(org):
    task = Task(title="Ban hành kế hoạch chuyển đổi số năm 2025")
    task.set_deadline("Tháng 7/2025")
    task.save()
    Assignment.objects.create(task=task, organisation=org("Hà Nội"), role=Role.LEAD)
    return task


@pytest.fixture
def assignment(task):
    return task.assignments.get()


@pytest.fixture
def report(roles, org):
    return workflow.start_report(org("Hà Nội"), JULY, roles["agency_reporter"], today=IN_JULY)


def test_reporter_drafts_leader_submits_office_approves_and_the_task_completes(
        roles, report, assignment, task):
    assert status_of(task, D(2025, 7, 31)) == TaskStatus.NOT_STARTED
    update = workflow.save_update(report, assignment, DONE, 0, roles["agency_reporter"],
                                  today=IN_JULY)
    assert update.review_state == ReviewState.DRAFT and update.version == 1
    assert update.evidence_refs[0]["number"] == "1169/QĐ-TTg"
    # A draft changes nothing in the official data.
    assignment.refresh_from_db()
    assert assignment.completed_on is None

    report.refresh_from_db()
    workflow.submit(report, roles["agency_leader"], report.version, today=IN_JULY)
    report.refresh_from_db()
    assert report.state == SubmissionState.SUBMITTED and report.first_submitted_at
    assert Update.objects.get(pk=update.pk).review_state == ReviewState.SUBMITTED

    workflow.approve(report, roles["standing_office"], report.version)
    assignment.refresh_from_db()
    assert assignment.completed_on == D(2025, 7, 15)
    assert assignment.evidence == DONE.evidence
    assert status_of(task, D(2025, 7, 31)) == TaskStatus.COMPLETED_ON_TIME
    # The audit trail says who approved.
    latest = Submission.objects.get(pk=report.pk).history.first()
    assert latest.history_user == roles["standing_office"] and latest.state == "approved"
    assert assignment.history.first().history_user == roles["standing_office"]
    assert update.history.last().history_user == roles["agency_reporter"]


def test_a_reporter_cannot_submit_and_a_leader_cannot_review(roles, report, assignment):
    workflow.save_update(report, assignment, DONE, 0, roles["agency_reporter"], today=IN_JULY)
    report.refresh_from_db()
    with pytest.raises(PermissionDenied):
        workflow.submit(report, roles["agency_reporter"], report.version, today=IN_JULY)
    workflow.submit(report, roles["agency_leader"], report.version, today=IN_JULY)
    report.refresh_from_db()
    with pytest.raises(PermissionDenied):
        workflow.approve(report, roles["agency_leader"], report.version)
    with pytest.raises(PermissionDenied):
        workflow.approve(report, roles["viewer"], report.version)


def test_another_province_cannot_touch_the_report(roles, report, assignment, org):
    with pytest.raises(PermissionDenied):
        workflow.save_update(report, assignment, DONE, 0, roles["other_reporter"],
                             today=IN_JULY)
    with pytest.raises(PermissionDenied):
        workflow.start_report(org("Hà Nội"), JULY, roles["other_leader"], today=IN_JULY)
    assert not Update.objects.exists()


def test_an_assignment_of_another_agency_is_refused(roles, report, org):
    task = Task.objects.create(title="Việc của Bộ Công an")
    theirs = Assignment.objects.create(task=task, organisation=org("Bộ Công an"))
    with pytest.raises(workflow.WorkflowError, match="Bộ Công an"):
        workflow.save_update(report, theirs, DONE, 0, roles["agency_reporter"], today=IN_JULY)


def test_a_successor_reports_on_what_it_carries_forward(roles, org):
    """Tuyên Quang's reporter updates a task given to Hà Giang before the merger."""
    from giamsat.orgs.models import Organisation

    task = Task.objects.create(title="Việc giao Hà Giang")
    old = Assignment.objects.create(
        task=task, organisation=Organisation.objects.get(slug="ha-giang-truoc-2025-07"))
    report = workflow.start_report(org("Tuyên Quang"), JULY, roles["other_reporter"],
                                   today=IN_JULY)
    update = workflow.save_update(report, old, DONE, 0, roles["other_reporter"], today=IN_JULY)
    assert update.assignment == old


def test_a_second_editor_with_a_stale_form_gets_a_conflict(roles, report, assignment):
    first = workflow.save_update(report, assignment, DONE, 0, roles["agency_reporter"],
                                 today=IN_JULY)
    # The leader opened the form before the reporter saved (version 0).
    changed = workflow.UpdateInput(status="in_progress", result="Đang làm.")
    with pytest.raises(workflow.Conflict, match="agency_reporter-ha-noi"):
        workflow.save_update(report, assignment, changed, 0, roles["agency_leader"],
                             today=IN_JULY)
    first.refresh_from_db()
    assert first.status == "completed" and first.result == "Đã ban hành."  # not overwritten
    # With the version it saw, the leader's save goes through.
    workflow.save_update(report, assignment, changed, first.version, roles["agency_leader"],
                         today=IN_JULY)


def test_approving_a_report_that_changed_since_it_was_opened_is_refused(
        roles, report, assignment):
    workflow.save_update(report, assignment, DONE, 0, roles["agency_reporter"], today=IN_JULY)
    report.refresh_from_db()
    opened = report.version
    workflow.submit(report, roles["agency_leader"], opened, today=IN_JULY)
    with pytest.raises(workflow.Conflict):
        workflow.approve(report, roles["standing_office"], opened)  # the page was older
    assert Submission.objects.get(pk=report.pk).state == SubmissionState.SUBMITTED


def test_return_needs_a_comment_and_sends_the_report_back(roles, report, assignment):
    workflow.save_update(report, assignment, DONE, 0, roles["agency_reporter"], today=IN_JULY)
    report.refresh_from_db()
    workflow.submit(report, roles["agency_leader"], report.version, today=IN_JULY)
    report.refresh_from_db()
    with pytest.raises(workflow.WorkflowError, match="comment"):
        workflow.return_report(report, roles["standing_office"], report.version, "  ")
    workflow.return_report(report, roles["standing_office"], report.version,
                           "Bổ sung số, ký hiệu văn bản.")
    report.refresh_from_db()
    assert report.state == SubmissionState.RETURNED
    update = report.updates.get()
    assert update.review_state == ReviewState.RETURNED
    assert update.review_comment == "Bổ sung số, ký hiệu văn bản."
    # The agency corrects it and submits again; the first submission time is kept.
    first = report.first_submitted_at
    workflow.save_update(report, assignment, DONE, update.version, roles["agency_reporter"],
                         today=IN_JULY)
    report.refresh_from_db()
    workflow.submit(report, roles["agency_leader"], report.version, today=D(2025, 7, 25))
    report.refresh_from_db()
    assert report.state == SubmissionState.SUBMITTED and report.first_submitted_at == first


def test_an_approved_report_is_locked(roles, report, assignment):
    workflow.save_update(report, assignment, DONE, 0, roles["agency_reporter"], today=IN_JULY)
    report.refresh_from_db()
    workflow.submit(report, roles["agency_leader"], report.version, today=IN_JULY)
    report.refresh_from_db()
    workflow.approve(report, roles["standing_office"], report.version)
    report.refresh_from_db()
    update = report.updates.get()
    for attempt in (
        lambda: workflow.save_update(report, assignment, DONE, update.version,
                                     roles["agency_reporter"], today=IN_JULY),
        lambda: workflow.submit(report, roles["agency_leader"], report.version, today=IN_JULY),
        lambda: workflow.return_report(report, roles["standing_office"], report.version, "x"),
        lambda: workflow.reopen(report.organisation, JULY, roles["standing_office"],
                                D(2025, 9, 1), "xin thêm", today=IN_JULY),
    ):
        with pytest.raises(workflow.WorkflowError):
            attempt()


def test_a_closed_period_is_refused_until_the_office_opens_it_again(roles, assignment, org):
    late = D(2025, 8, 6)  # the July report was due on 05/08/2025
    with pytest.raises(workflow.WorkflowError, match="05/08/2025"):
        workflow.start_report(org("Hà Nội"), JULY, roles["agency_reporter"], today=late)
    with pytest.raises(PermissionDenied):
        workflow.reopen(org("Hà Nội"), JULY, roles["agency_leader"], D(2025, 8, 15), "x",
                        today=late)
    with pytest.raises(workflow.WorkflowError, match="reason"):
        workflow.reopen(org("Hà Nội"), JULY, roles["standing_office"], D(2025, 8, 15), "",
                        today=late)
    report = workflow.reopen(org("Hà Nội"), JULY, roles["standing_office"], D(2025, 8, 15),
                             "Thay đổi cán bộ đầu mối", today=late)
    workflow.save_update(report, assignment, DONE, 0, roles["agency_reporter"], today=late)
    report.refresh_from_db()
    with pytest.raises(workflow.WorkflowError, match="15/08/2025"):
        workflow.submit(report, roles["agency_leader"], report.version, today=D(2025, 8, 16))


@pytest.mark.parametrize(("data", "message"), [
    (workflow.UpdateInput(status="completed", evidence="QĐ 1"), "completion date"),
    (workflow.UpdateInput(status="completed", completed_on=D(2025, 7, 25), evidence="QĐ 1"),
     "future"),
    (workflow.UpdateInput(status="completed", completed_on=D(2025, 7, 10)), "evidence"),
    (workflow.UpdateInput(status="finished"), "status"),
])
def test_an_update_that_does_not_hold_together_is_refused(roles, report, assignment, data,
                                                          message):
    with pytest.raises(workflow.WorkflowError, match=message):
        workflow.save_update(report, assignment, data, 0, roles["agency_reporter"],
                             today=D(2025, 7, 20))
    assert not Update.objects.exists()


def test_an_empty_report_cannot_be_submitted(roles, report):
    with pytest.raises(workflow.WorkflowError, match="empty"):
        workflow.submit(report, roles["agency_leader"], report.version, today=IN_JULY)


def test_values_and_targets_become_official_on_approval(roles, report, org):
    sync_indicators()
    rate = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    entries = [workflow.ValueInput(rate.pk, ValueKind.VALUE, Decimal("45.3"), 0, "45,3",
                                   Decimal(453), Decimal(1000)),
               workflow.ValueInput(rate.pk, ValueKind.TARGET, Decimal(50), 0, "50")]
    assert workflow.save_values(report, entries, roles["agency_reporter"], today=IN_JULY) == 2
    assert not Observation.objects.filter(indicator=rate).exists()
    # Saving the same grid again changes nothing; a stale grid is refused.
    assert workflow.save_values(report, [
        workflow.ValueInput(rate.pk, ValueKind.VALUE, Decimal("45.3"), 1, "45,3", Decimal(453),
                            Decimal(1000)),
        workflow.ValueInput(rate.pk, ValueKind.TARGET, Decimal(50), 1, "50")],
        roles["agency_reporter"], today=IN_JULY) == 0
    with pytest.raises(workflow.Conflict):
        workflow.save_values(report, entries, roles["agency_leader"], today=IN_JULY)
    report.refresh_from_db()
    workflow.submit(report, roles["agency_leader"], report.version, today=IN_JULY)
    report.refresh_from_db()
    workflow.approve(report, roles["standing_office"], report.version)
    value = Observation.objects.get(indicator=rate, organisation=org("Hà Nội"), period=JULY)
    assert (value.value, value.numerator, value.denominator) == (
        Decimal("45.3"), Decimal(453), Decimal(1000))
    assert value.raw_text == "45,3" and "Hà Nội" in value.source
    target = Target.objects.get(indicator=rate, organisation=org("Hà Nội"),
                                source=TargetSource.REGISTERED)
    assert target.minimum == Decimal(50) and target.period_end == D(2025, 7, 31)
    assert ReportedValue.objects.filter(submission=report).count() == 2


def _pdf(name="qd.pdf", body=b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_evidence_files_are_checked_by_name_and_content(roles, report, assignment, settings):
    update = workflow.save_update(report, assignment, DONE, 0, roles["agency_reporter"],
                                  today=IN_JULY)
    kept = workflow.attach_evidence(update, _pdf(), roles["agency_reporter"], today=IN_JULY)
    assert kept.content_type == "application/pdf" and len(kept.sha256) == 64
    assert kept.file.name.startswith("evidence/")
    refused = [
        (_pdf("virus.exe", b"MZ\x90\x00"), "not an accepted kind"),
        (_pdf("renamed.pdf", b"MZ\x90\x00 not a pdf"), "does not contain"),
        (_pdf("empty.pdf", b""), "empty"),
        (SimpleUploadedFile("broken.docx", b"PK\x03\x04garbage"), "damaged"),
    ]
    for uploaded, message in refused:
        with pytest.raises(workflow.WorkflowError, match=message):
            workflow.attach_evidence(update, uploaded, roles["agency_reporter"], today=IN_JULY)
    with pytest.raises(PermissionDenied):
        workflow.attach_evidence(update, _pdf(), roles["other_reporter"], today=IN_JULY)
    settings.MAX_EVIDENCE_MB = 0
    with pytest.raises(workflow.WorkflowError, match="at most 0 MB"):
        workflow.attach_evidence(update, _pdf(), roles["agency_reporter"], today=IN_JULY)
    assert update.files.count() == 1

"""The life of an agency report: draft → submitted → approved, or returned and again.

Every function here checks who may act (accounts.policy), whether the report is in a
state that allows it and the period still open, and whether the caller saw the latest
version; then it changes everything in one transaction or nothing. Approval writes the
report into the official data: assignment completions, observations, registered targets.
Submitting, returning, approving and opening a period again notify the people concerned
(notify/notices.py) in the same transaction.

Concurrency: each change locks the report row first (SELECT … FOR UPDATE on PostgreSQL;
SQLite's immediate transactions give one writer at a time), then compares the version
the user's form was opened on. A stale form is refused with who changed what and when.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.accounts.policy import Action, require
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource
from giamsat.ingest.references import find_references
from giamsat.lib.months import month_end
from giamsat.notify import notices
from giamsat.notify.models import Kind
from giamsat.orgs.history import carried_ids
from giamsat.reporting import rules, validation
from giamsat.reporting.evidence import RefusedFile, check_evidence
from giamsat.reporting.models import (
    EDITABLE_STATES,
    Regime,
    ReportedValue,
    Submission,
    SubmissionState,
    ValueKind,
    refused_indicator_message,
    takes_indicator,
)
from giamsat.tasks.models import Assignment, EvidenceFile, ReportedStatus, ReviewState, Update

# Completion dates run from here to today (reporting/validation.py).
EARLIEST_COMPLETION = validation.EARLIEST_COMPLETION

# What an update's review state becomes when its report changes state.
UPDATE_STATE = {
    SubmissionState.DRAFT: ReviewState.DRAFT,
    SubmissionState.SUBMITTED: ReviewState.SUBMITTED,
    SubmissionState.APPROVED: ReviewState.APPROVED,
    SubmissionState.RETURNED: ReviewState.RETURNED,
}


class WorkflowError(Exception):
    """The action cannot be done now; nothing was changed. str() says why, for the user;
    `field`, when set, names the input at fault (the API puts it in the error's details)."""

    def __init__(self, message: str = "", field: str = ""):
        super().__init__(message)
        self.field = field


class Conflict(WorkflowError):
    """Someone changed the same thing after the user opened the form."""


class ValuesRefused(WorkflowError):
    """Values the shared rule refuses: `problems` is [(indicator id, kind, Problem)]."""

    def __init__(self, message: str, problems: list):
        super().__init__(message, problems[0][2].field if problems else "")
        self.problems = problems


@dataclass(frozen=True)
class UpdateInput:
    status: str
    completed_on: datetime.date | None = None
    result: str = ""
    evidence: str = ""
    difficulties: str = ""
    proposals: str = ""


@dataclass(frozen=True)
class ValueInput:
    indicator_id: int
    kind: str  # ValueKind
    value: Decimal | None  # None: remove the entry
    version: int  # the entry's version when the form was opened (0: it did not exist)
    raw_text: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""


def carried_organisation_ids(organisation) -> set[int]:
    """The organisation and those it carries forward: whose assignments its report covers."""
    return set(carried_ids(organisation))


def report_assignments(submission: Submission):
    """The assignments an agency reports on in this report."""
    return Assignment.objects.filter(
        organisation_id__in=carried_organisation_ids(submission.organisation)
    )


def start_report(organisation, period: datetime.date, user,
                 today: datetime.date | None = None,
                 regime: Regime | None = None) -> Submission:
    """The agency's report for `period` of `regime` (monthly by default), created as an
    empty draft if there is none."""
    require(user, Action.EDIT_REPORT, organisation)
    today = today or timezone.localdate()
    regime = regime or rules.regime()
    _check_existed(organisation, period, regime)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(
            organisation=organisation, regime=regime, period=period).first()
        if submission is not None:
            return submission
        if not rules.is_open(regime, period, today):
            raise WorkflowError(not_open_message(period, today, regime=regime))
        # Only the agencies that owe the period a report write one (the monthly regime:
        # every agency may, as always).
        if regime.code != rules.MONTHLY and not rules.must_report(regime, period).filter(
                pk=organisation.pk).exists():
            raise WorkflowError(_("%(org)s does not report under the regime “%(regime)s” "
                                  "for %(period)s: the regime asks it for no indicator.")
                                % {"org": organisation.name, "regime": regime.name,
                                   "period": rules.label(regime, period)})
        submission = Submission(organisation=organisation, regime=regime, period=period,
                                created_by=user)
        _save(submission, user)
        return submission


def save_update(submission: Submission, assignment: Assignment, data: UpdateInput,
                version: int, user, today: datetime.date | None = None) -> Update:
    today = today or timezone.localdate()
    with transaction.atomic():
        submission = _locked(submission)
        require(user, Action.EDIT_REPORT, submission.organisation)
        _check_editable(submission, today)
        if assignment.organisation_id not in carried_organisation_ids(submission.organisation):
            raise WorkflowError(_("This assignment belongs to %(org)s, not to %(report)s.")
                                % {"org": assignment.organisation.name,
                                   "report": submission.organisation.name})
        check_update(data, submission.period, today, submission.regime)
        update = Update.objects.select_for_update().filter(
            submission=submission, assignment=assignment).first()
        _check_version(update, version)
        if update is None:
            update = Update(assignment=assignment, submission=submission,
                            period=submission.period, created_by=user)
        update.status = data.status
        update.completed_on = data.completed_on if data.status == ReportedStatus.COMPLETED \
            else None
        update.result, update.evidence = data.result.strip(), data.evidence.strip()
        update.evidence_refs = [ref.as_json() for ref in find_references(update.evidence)]
        update.difficulties, update.proposals = data.difficulties.strip(), data.proposals.strip()
        update.review_state = UPDATE_STATE[SubmissionState(submission.state)]
        update.version += 1
        update.updated_by = user
        _save(update, user)
        _touch(submission, user)
        return update


def clean_values(entries: list[ValueInput], regime: Regime | None = None) -> list[ValueInput]:
    """The entries as they are kept (a rate computed from its counts), or ValuesRefused
    naming every entry the shared rule refuses (reporting/validation.py), and every entry
    of an indicator `regime` does not take (models.REGIME_FREQUENCIES: a quarterly value
    of a monthly indicator would replace that month's approved monthly value)."""
    indicators = {i.pk: i for i in Indicator.objects.filter(
        pk__in={e.indicator_id for e in entries}, proposed=False)}
    cleaned, problems = [], []
    for entry in entries:
        indicator = indicators.get(entry.indicator_id)
        if indicator is None or entry.kind not in ValueKind.values:
            problems.append((entry.indicator_id, entry.kind, validation.Problem(
                "indicator", _("No indicator %(id)s is reported by agencies.")
                % {"id": entry.indicator_id})))
            continue
        if regime is not None and not takes_indicator(regime, indicator):
            problems.append((entry.indicator_id, entry.kind, validation.Problem(
                "indicator", refused_indicator_message(regime, indicator))))
            continue
        value, found = validation.check_value(indicator.unit, entry.value, entry.numerator,
                                              entry.denominator, entry.kind, entry.note)
        problems += [(entry.indicator_id, entry.kind, p) for p in found]
        cleaned.append(dataclasses.replace(entry, value=value.value,
                                           numerator=value.numerator,
                                           denominator=value.denominator))
    if problems:
        named = {i.pk: i.name for i in indicators.values()}
        raise ValuesRefused(" ".join(f"{named.get(pk, pk)}: {p.message}"
                                     for pk, _kind, p in problems), problems)
    return cleaned


def save_values(submission: Submission, entries: list[ValueInput], user,
                today: datetime.date | None = None) -> int:
    """Write the grid of values and registered targets; returns how many entries changed.
    A value None with no numerator and denominator removes the entry."""
    today = today or timezone.localdate()
    entries = clean_values(entries, submission.regime)
    with transaction.atomic():
        submission = _locked(submission)
        require(user, Action.EDIT_REPORT, submission.organisation)
        _check_editable(submission, today)
        existing = {(v.indicator_id, v.kind): v
                    # of=self: lock the report's rows, never the shared indicator rows.
                    for v in submission.values.select_for_update(of=("self",))
                    .select_related("indicator")}
        stale = [existing[(e.indicator_id, e.kind)] for e in entries
                 if (e.indicator_id, e.kind) in existing
                 and existing[(e.indicator_id, e.kind)].version != e.version]
        stale += [None for e in entries
                  if (e.indicator_id, e.kind) not in existing and e.version != 0]
        if stale:
            named = [v for v in stale if v is not None]
            raise Conflict(_conflict_message(named[0] if named else None))
        changed = 0
        for entry in entries:
            current = existing.get((entry.indicator_id, entry.kind))
            if entry.value is None:
                if current is not None:
                    current._history_user = user
                    current.delete()
                    changed += 1
                continue
            fields = {"value": entry.value, "numerator": entry.numerator,
                      "denominator": entry.denominator, "note": entry.note.strip(),
                      "raw_text": entry.raw_text.strip()[:100]}
            if current is not None and all(getattr(current, k) == v for k, v in fields.items()):
                continue
            current = current or ReportedValue(submission=submission,
                                               indicator_id=entry.indicator_id, kind=entry.kind)
            for name, value in fields.items():
                setattr(current, name, value)
            current.version += 1
            current.updated_by = user
            _save(current, user)
            changed += 1
        if changed:
            _touch(submission, user)
        return changed


def attach_evidence(update: Update, uploaded, user,
                    today: datetime.date | None = None) -> EvidenceFile:
    """Keep an uploaded evidence file with an update of an editable report."""
    today = today or timezone.localdate()
    require(user, Action.EDIT_REPORT, update.submission.organisation)
    try:
        content_type, sha256 = check_evidence(uploaded)
    except RefusedFile as error:
        raise WorkflowError(str(error)) from error
    with transaction.atomic():
        submission = _locked(update.submission)
        require(user, Action.EDIT_REPORT, submission.organisation)
        _check_editable(submission, today)
        evidence = EvidenceFile(update=update, name=uploaded.name[:255], size=uploaded.size,
                                sha256=sha256, content_type=content_type, uploaded_by=user)
        evidence.file.save(uploaded.name, uploaded, save=False)
        _save(evidence, user)
        _touch(submission, user)
        return evidence


def remove_evidence(evidence: EvidenceFile, user, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    with transaction.atomic():
        submission = _locked(evidence.update.submission)
        require(user, Action.EDIT_REPORT, submission.organisation)
        _check_editable(submission, today)
        evidence._history_user = user
        evidence.delete()  # the stored file stays: the audit trail still names it
        _touch(submission, user)


def submit(submission: Submission, user, version: int,
           today: datetime.date | None = None) -> Submission:
    today = today or timezone.localdate()
    with transaction.atomic():
        submission = _locked(submission)
        require(user, Action.SUBMIT_REPORT, submission.organisation)
        _check_editable(submission, today)
        _check_version(submission, version)
        if not submission.updates.exists() and not submission.values.exists():
            raise WorkflowError(_("The report is empty: update at least one assignment or "
                                  "enter at least one value before submitting."))
        now = timezone.now()
        submission.state = SubmissionState.SUBMITTED
        submission.submitted_by, submission.submitted_at = user, now
        submission.first_submitted_at = submission.first_submitted_at or now
        _set_update_states(submission, user)
        _touch(submission, user)
        notices.report_event(Kind.SUBMITTED, submission, user)
        return submission


def approve(submission: Submission, user, version: int) -> Submission:
    """Approve a submitted report and write it into the official data."""
    with transaction.atomic():
        submission = _locked(submission)
        require(user, Action.REVIEW, submission.organisation)
        _check_submitted(submission)
        _check_version(submission, version)
        now = timezone.now()
        submission.state = SubmissionState.APPROVED
        submission.reviewed_by, submission.reviewed_at = user, now
        submission.review_comment = ""
        _set_update_states(submission, user, reviewer=user, when=now)
        for update in submission.updates.select_related("assignment"):
            if update.status == ReportedStatus.COMPLETED:
                _complete(update.assignment, update, user)
        for value in submission.values.all():
            _publish(submission, value, user)
        _touch(submission, user)
        notices.report_event(Kind.APPROVED, submission, user)
        return submission


def return_report(submission: Submission, user, version: int, comment: str) -> Submission:
    """Send a submitted report back to its agency with what to correct."""
    comment = (comment or "").strip()
    with transaction.atomic():
        submission = _locked(submission)
        require(user, Action.REVIEW, submission.organisation)
        _check_submitted(submission)
        _check_version(submission, version)
        if not comment:
            raise WorkflowError(_("Say what the agency should correct: a returned report "
                                  "needs a comment."))
        now = timezone.now()
        submission.state = SubmissionState.RETURNED
        submission.reviewed_by, submission.reviewed_at = user, now
        submission.review_comment = comment
        _set_update_states(submission, user, reviewer=user, when=now, comment=comment)
        _touch(submission, user)
        notices.report_event(Kind.RETURNED, submission, user, text=comment)
        return submission


def reopen(organisation, period: datetime.date, user, until: datetime.date, reason: str,
           today: datetime.date | None = None, regime: Regime | None = None) -> Submission:
    """Keep a closed period open for one agency until `until` (an exception, recorded);
    creates the agency's empty report if it has none."""
    today = today or timezone.localdate()
    regime = regime or rules.regime()
    reason = (reason or "").strip()
    require(user, Action.REOPEN, organisation)
    if until < today:
        raise WorkflowError(_("The new closing date must not be in the past."))
    if not reason:
        raise WorkflowError(_("Give the reason for opening the period again."))
    _check_existed(organisation, period, regime)
    with transaction.atomic():
        submission = Submission.objects.select_for_update().filter(
            organisation=organisation, regime=regime, period=period).first()
        if submission is None:
            submission = Submission(organisation=organisation, regime=regime, period=period,
                                    created_by=user)
        elif submission.state == SubmissionState.APPROVED:
            raise WorkflowError(_("An approved report is final and cannot be opened again."))
        submission.reopened_until, submission.reopen_reason = until, reason
        _touch(submission, user)
        notices.report_event(Kind.REOPENED, submission, user, text=reason, day=until)
        return submission


# Checks ------------------------------------------------------------------------------

def _check_existed(organisation, period: datetime.date, regime: Regime) -> None:
    # At the end of the period's data (a Decree 09 window ends on a 14th: its month).
    if not organisation.is_valid_on(month_end(rules.window(regime, period)[1])):
        said = {"org": organisation.name, "period": rules.label(regime, period)}
        if regime.period_type == "month":
            raise WorkflowError(_("%(org)s did not exist at the end of %(period)s, so it has "
                                  "no report for that month.") % said)
        raise WorkflowError(_("%(org)s did not exist at the end of %(period)s, so it has no "
                              "report for that period.") % said)


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update(of=("self",)).select_related(
        "organisation", "regime").get(pk=submission.pk)


def _check_editable(submission: Submission, today: datetime.date) -> None:
    if submission.state not in EDITABLE_STATES:
        raise WorkflowError(
            _("This report is %(state)s and can no longer be changed.")
            % {"state": SubmissionState(submission.state).label.lower()})
    if not rules.is_open(submission.regime, submission.period, today,
                         submission.reopened_until):
        raise WorkflowError(not_open_message(submission.period, today,
                                             submission.reopened_until, submission.regime))


def _check_submitted(submission: Submission) -> None:
    if submission.state != SubmissionState.SUBMITTED:
        raise WorkflowError(_("Only a submitted report can be reviewed; this one is "
                              "%(state)s.")
                            % {"state": SubmissionState(submission.state).label.lower()})


def check_update(data: UpdateInput, period: datetime.date, today: datetime.date,
                 regime: Regime | None = None) -> None:
    """Refuse an update that does not hold together (the shared rule, reporting/validation.py;
    also used to check a bulk write's rows before anything is written)."""
    problems = validation.update_problems(
        data.status, data.completed_on, data.evidence, period, today,
        {"result": data.result, "evidence": data.evidence, "difficulties": data.difficulties,
         "proposals": data.proposals}, regime)
    if problems:
        raise WorkflowError(problems[0].message, problems[0].field)


def _check_version(obj, version: int) -> None:
    current = obj.version if obj is not None else 0
    if current != version:
        raise Conflict(_conflict_message(obj))


def _conflict_message(obj) -> str:
    latest = obj.history.select_related("history_user").first() if obj is not None else None
    if latest is not None and latest.history_user is not None:
        who = latest.history_user
        return _("%(who)s changed this at %(when)s, after you opened it. Your changes were not "
                 "saved: reload the page to see the latest version, then make them again.") % {
            "who": who.get_full_name() or who.get_username(),
            "when": timezone.localtime(latest.history_date).strftime("%H:%M %d/%m/%Y"),
        }
    return _("Someone changed this after you opened it. Your changes were not saved: reload "
             "the page to see the latest version, then make them again.")


def not_open_message(period: datetime.date, today: datetime.date,
                     reopened_until: datetime.date | None = None,
                     regime: Regime | None = None) -> str:
    """Why a report for `period` cannot be written on `today`: its data have not begun, or
    the period has closed."""
    regime = regime or rules.regime()
    start = rules.window(regime, period)[0]
    if today < start:
        return _("The reporting period %(period)s has not begun; its report can be written "
                 "from %(date)s.") % {"period": rules.label(regime, period),
                                      "date": start.strftime("%d/%m/%Y")}
    return _closed_message(period, reopened_until, regime)


def _closed_message(period: datetime.date, reopened_until: datetime.date | None,
                    regime: Regime) -> str:
    due = rules.due_date(regime, period)
    closed_on = reopened_until if reopened_until and reopened_until > due else due
    return _("The reporting period %(period)s closed on %(date)s. Ask the standing office to "
             "open it again for your agency.") % {"period": rules.label(regime, period),
                                                   "date": closed_on.strftime("%d/%m/%Y")}


# Effects -----------------------------------------------------------------------------

def _save(obj, user) -> None:
    """Save with `user` in the audit trail, in a request or not (a job, the API)."""
    obj._history_user = user
    obj.save()


def _touch(submission: Submission, user) -> None:
    submission.version += 1
    _save(submission, user)


def _set_update_states(submission: Submission, user, reviewer=None, when=None,
                       comment: str = "") -> None:
    # Saved one by one, not with queryset.update(): the audit trail must see each change.
    state = UPDATE_STATE[SubmissionState(submission.state)]
    for update in submission.updates.select_for_update():
        update.review_state = state
        if state == ReviewState.SUBMITTED:
            update.submitted_at = submission.submitted_at
        if reviewer is not None:
            update.reviewed_by, update.reviewed_at = reviewer, when
            update.review_comment = comment
        _save(update, user)


def _complete(assignment: Assignment, update: Update, user) -> None:
    assignment.completed_on = update.completed_on
    assignment.evidence = update.evidence
    assignment.evidence_refs = update.evidence_refs
    _save(assignment, user)


def _publish(submission: Submission, value: ReportedValue, user) -> None:
    regime = submission.regime
    source = _("Report of %(org)s for %(period)s") % {
        "org": submission.organisation.name,
        "period": rules.label(regime, submission.period)}
    # A value is taken on the last day of the period's data and kept under that day's
    # month (for a monthly report: its own month, on its last day).
    last_day = rules.window(regime, submission.period)[1]
    if value.kind == ValueKind.VALUE:
        keys = {"indicator_id": value.indicator_id, "organisation": submission.organisation,
                "period": last_day.replace(day=1)}
        observation = Observation.objects.filter(**keys).first() or Observation(**keys)
        observation.value = value.value
        observation.observed_on = last_day
        observation.numerator, observation.denominator = value.numerator, value.denominator
        observation.source, observation.raw_text = source, value.raw_text
        _save(observation, user)
        return
    keys = {"indicator_id": value.indicator_id, "organisation": submission.organisation,
            "period_end": rules.calendar_end(regime, submission.period),
            "source": TargetSource.REGISTERED}
    target = Target.objects.filter(**keys).first() or Target(**keys)
    target.period_start, target.minimum = submission.period, value.value
    target.raw_text = value.raw_text or source
    _save(target, user)

"""An agency system's bulk write: updates, values and targets for one report, all or none.

Every row is checked before anything is written; one bad row refuses the whole request and
names the row. The client's idempotency key makes a retry harmless: the same key with the
same body returns the first answer and changes nothing; with another body, or sent to
another report's URL (organisation, regime and period), it is refused.
"""

import hashlib
import json

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.accounts.policy import Action, require
from giamsat.api.models import IdempotentRequest
from giamsat.indicators.models import Indicator
from giamsat.reporting import rules, validation, workflow
from giamsat.reporting.models import ValueKind, refused_indicator_message, takes_indicator
from giamsat.tasks import facts
from giamsat.tasks.models import Assignment, Update


class BulkRejected(Exception):
    """Rows that cannot be written: [(field path, message)]; nothing was written."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))
        self.problems = problems


def body_digest(payload) -> str:
    canonical = json.dumps(payload.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def bulk_write(user, organisation, period, payload, regime=None) -> dict:
    """Do the write once; the answer, with `replayed` true when the key was done before.
    The report is the organisation's for `period` of `regime` (monthly by default)."""
    # Before any replay: an answer is never given for a report the caller may not write.
    require(user, Action.EDIT_REPORT, organisation)
    regime = regime or rules.regime()
    digest = body_digest(payload)
    done = _done(user, payload.idempotency_key, digest, organisation, regime, period)
    if done is not None:
        return done
    try:
        answer = _with_retries(lambda: _write_once(user, organisation, regime, period, payload,
                                                   digest))
    except IntegrityError:
        # The same key arrived twice at once; the other request did the work.
        done = _done(user, payload.idempotency_key, digest, organisation, regime, period)
        if done is None:
            raise
        return done
    return {**answer, "replayed": False}


def _write_once(user, organisation, regime, period, payload, digest: str) -> dict:
    # Task facts are refreshed once, at the end and in id order: two agencies writing at
    # once lock the tasks they share in the same order, so they queue instead of deadlock.
    with transaction.atomic(), facts.deferred():
        answer = _write(user, organisation, regime, period, payload)
        IdempotentRequest.objects.create(user=user, key=payload.idempotency_key,
                                         organisation=organisation, regime=regime,
                                         period=period, body_digest=digest, status=200,
                                         response=answer)
    return answer


def _with_retries(work, attempts: int = 3):
    """PostgreSQL may still pick a transaction to abort when locks cross; do it again."""
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as error:
            if attempt == attempts - 1 or "deadlock" not in str(error).lower():
                raise
    raise AssertionError("unreachable")


def _done(user, key: str, digest: str, organisation, regime, period) -> dict | None:
    earlier = IdempotentRequest.objects.filter(user=user, key=key).select_related(
        "organisation", "regime").first()
    if earlier is None:
        return None
    # A key from before regimes were recorded wrote a monthly report.
    earlier_regime = earlier.regime or rules.regime()
    if (earlier.organisation_id, earlier_regime.pk, earlier.period) != (
            organisation.pk, regime.pk, period):
        raise workflow.Conflict(_used_for_another_report(key, earlier))
    if earlier.body_digest != digest:
        raise workflow.Conflict(_("The idempotency key “%(key)s” was already used for a "
                                  "different request.") % {"key": key})
    return {**earlier.response, "replayed": True}


def _used_for_another_report(key: str, earlier) -> str:
    if earlier.organisation is None:  # used before keys were bound to a report
        return _("The idempotency key “%(key)s” was already used for another report; choose "
                 "a new key.") % {"key": key}
    return _("The idempotency key “%(key)s” was already used for the report of %(org)s for "
             "%(period)s; choose a new key for this report.") % {
        "key": key, "org": earlier.organisation.name,
        "period": rules.label(earlier.regime or rules.regime(), earlier.period)}


def _write(user, organisation, regime, period, payload) -> dict:
    today = timezone.localdate()
    carried = workflow.carried_organisation_ids(organisation)
    assignments = Assignment.objects.in_bulk([u.assignment_id for u in payload.updates])
    codes = {v.indicator for v in payload.values} | {t.indicator for t in payload.targets}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes, proposed=False)}
    problems: list[tuple[str, str]] = []
    repeated = {*_repeated(payload.updates, "updates", "assignment_id", problems),
                *_repeated(payload.values, "values", "indicator", problems),
                *_repeated(payload.targets, "targets", "indicator", problems)}
    updates = []
    for i, row in enumerate(payload.updates):
        path = f"updates[{i}]"
        if path in repeated:
            continue
        assignment = assignments.get(row.assignment_id)
        if assignment is None or assignment.organisation_id not in carried:
            problems.append((f"{path}.assignment_id", _("No assignment %(id)s in the report of "
                                                        "%(org)s.") % {"id": row.assignment_id,
                                                                       "org": organisation.name}))
            continue
        data = workflow.UpdateInput(row.status, row.completed_on, row.result, row.evidence,
                                    row.difficulties, row.proposals)
        found = validation.update_problems(
            data.status, data.completed_on, data.evidence, period, today,
            {"result": data.result, "evidence": data.evidence,
             "difficulties": data.difficulties, "proposals": data.proposals}, regime)
        if found:
            problems += [(f"{path}.{p.field}", p.message) for p in found]
            continue
        updates.append((assignment, data))
    values = []
    for i, row in enumerate(payload.values):
        path = f"values[{i}]"
        if path in repeated:
            continue
        indicator = indicators.get(row.indicator)
        if indicator is None:
            problems.append((f"{path}.indicator", _("Unknown indicator “%(code)s”.")
                             % {"code": row.indicator}))
            continue
        if not takes_indicator(regime, indicator):
            problems.append((f"{path}.indicator", refused_indicator_message(regime, indicator)))
            continue
        if row.value is None and row.numerator is None and row.denominator is None:
            problems.append((f"{path}.value", _("Give the value, or its numerator and "
                                                "denominator.")))
            continue
        clean, found = validation.check_value(indicator.unit, row.value, row.numerator,
                                              row.denominator, ValueKind.VALUE, row.note)
        if found:
            problems += [(f"{path}.{p.field}", p.message) for p in found]
            continue
        values.append(workflow.ValueInput(indicator.pk, ValueKind.VALUE, clean.value, 0,
                                          str(row.value if row.value is not None
                                              else clean.value),
                                          clean.numerator, clean.denominator, row.note))
    for i, row in enumerate(payload.targets):
        path = f"targets[{i}]"
        if path in repeated:
            continue
        indicator = indicators.get(row.indicator)
        if indicator is None:
            problems.append((f"{path}.indicator", _("Unknown indicator “%(code)s”.")
                             % {"code": row.indicator}))
            continue
        if not takes_indicator(regime, indicator):
            problems.append((f"{path}.indicator", refused_indicator_message(regime, indicator)))
            continue
        _clean, found = validation.check_value(indicator.unit, row.value,
                                               kind=ValueKind.TARGET)
        if found:
            problems += [(f"{path}.{p.field}", p.message) for p in found]
            continue
        values.append(workflow.ValueInput(indicator.pk, ValueKind.TARGET, row.value, 0,
                                          str(row.value)))
    if problems:
        raise BulkRejected(problems)
    report = workflow.start_report(organisation, period, user, regime=regime)
    saved = 0
    for assignment, data in updates:
        current = Update.objects.filter(submission=report, assignment=assignment).first()
        workflow.save_update(report, assignment, data, current.version if current else 0, user)
        saved += 1
    existing = {(v.indicator_id, v.kind): v.version for v in report.values.all()}
    values = [workflow.ValueInput(v.indicator_id, v.kind, v.value,
                                  existing.get((v.indicator_id, v.kind), 0), v.raw_text,
                                  v.numerator, v.denominator, v.note) for v in values]
    values_saved = workflow.save_values(report, values, user) if values else 0
    report.refresh_from_db()
    if payload.submit:
        workflow.submit(report, user, report.version)
        report.refresh_from_db()
    return {"agency_report_id": report.pk, "state": report.state, "version": report.version,
            "updates_saved": saved, "values_saved": values_saved}


def _repeated(rows, name: str, key: str, problems: list) -> list[str]:
    """The rows that say again what an earlier row of the list said (the same assignment
    or indicator): which of the two should win is the client's to say, not ours. Each is
    named with its first row in `problems`; the paths of the repeats are returned."""
    first: dict = {}
    repeats = []
    for i, row in enumerate(rows):
        value = getattr(row, key)
        if value not in first:
            first[value] = i
            continue
        path = f"{name}[{i}]"
        repeats.append(path)
        problems.append((f"{path}.{key}", _("“%(value)s” is given twice, in %(first)s and in "
                                            "%(this)s; give it once.")
                         % {"value": value, "first": f"{name}[{first[value]}]",
                            "this": path}))
    return repeats


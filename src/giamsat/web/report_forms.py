"""The report page's two grids as Django formsets: the month's tasks and the indicator values.

Each row is a form that reads what was typed (a date as a phone keypad writes it, a number
with a decimal comma) and then asks the shared rule (reporting/validation.py) whether it
holds together; the workflow asks it again before writing. A grid that is refused is shown
again with what was typed, each problem beside its input and listed above the grid with
its row number.

A row is saved only when it was changed: every row carries a fingerprint of what it
showed, so that an untouched row neither creates an empty update nor overwrites what
someone else saved meanwhile.
"""

import datetime
import hashlib
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamsat.lib import dates
from giamsat.lib.ids import MAX_ID
from giamsat.lib.ids import parse_id as params_id
from giamsat.reporting import validation
from giamsat.reporting.models import ValueKind
from giamsat.tasks.models import ReportedStatus
from giamsat.web import params

# The text a form shows for a day, and what it accepts (lib/dates.py).
DAY_HINT = gettext_lazy("dd/mm/yyyy")


def day_text(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def amount_text(number: Decimal | None) -> str:
    """A stored number as the grid shows it, every digit kept: 4530.25 → "4.530,25"."""
    if number is None:
        return ""
    sign, digits = ("-" if number < 0 else ""), f"{abs(number):f}"
    whole, _dot, fraction = digits.partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    whole = ".".join([whole, *groups])
    return sign + whole + ("," + fraction if fraction else "")


def fingerprint(*texts: str) -> str:
    normal = "\x1f".join((t or "").replace("\r\n", "\n").strip() for t in texts)
    return hashlib.sha256(normal.encode()).hexdigest()[:16]


class DayInput(forms.TextInput):
    """A text input a phone keypad can fill: digits and a separator, or eight digits.
    web/static/web/dates.js adds a button that opens the device's own date picker."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "pattern": dates.WRITTEN_PATTERN,
                          "placeholder": DAY_HINT, "autocomplete": "off", "size": "10",
                          "data-day": "", **(attrs or {})})


class DayField(forms.CharField):
    widget = DayInput

    def prepare_value(self, value):
        return day_text(value) if isinstance(value, datetime.date) else value

    def to_python(self, value):
        day, problem = params.read_day(super().to_python(value))
        if problem:
            raise forms.ValidationError(problem)
        return day


class AmountField(forms.CharField):
    """A number typed the Vietnamese way; the Decimal, or None when empty."""

    def __init__(self, **kwargs):
        super().__init__(required=False, widget=forms.TextInput(attrs={
            "inputmode": "decimal", "size": "8", "autocomplete": "off"}), **kwargs)

    def prepare_value(self, value):
        return amount_text(value) if isinstance(value, Decimal) else value

    def to_python(self, value):
        number, problem = validation.read_amount(super().to_python(value))
        if problem:
            raise forms.ValidationError(problem)
        return number


class RowForm(forms.Form):
    """A grid row: it knows whether it was changed from what it showed. The report page
    writes a row's inputs itself (report.html, _report_tasks.html): 170 rows through
    widget templates took over a second to render."""

    shown = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    compared: tuple[str, ...] = ()

    @property
    def changed_row(self) -> bool:
        if not self.is_bound:
            return False
        typed = fingerprint(*(self.data.get(self.add_prefix(name), "")
                              for name in self.compared))
        return typed != self.data.get(self.add_prefix("shown"), "")

    def problem(self, field: str, message: str) -> None:
        self.add_error(field if field in self.fields else None, message)


class TaskRowForm(RowForm):
    """One assignment: status, completion date, a short result, the evidence named."""

    assignment = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("— not reported —")),
                                        *ReportedStatus.choices])
    completed_on = DayField(label=gettext_lazy("Completed on"), required=False)
    result = forms.CharField(label=gettext_lazy("Result"), required=False, strip=False,
                             widget=forms.Textarea(attrs={"rows": "1", "cols": "30"}))
    evidence = forms.CharField(label=gettext_lazy("Evidence documents"), required=False,
                               strip=False)
    compared = ("status", "completed_on", "result", "evidence")

    def __init__(self, *args, period: datetime.date, today: datetime.date, regime=None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.period, self.today, self.regime = period, today, regime

    def clean(self):
        data = super().clean()
        if not self.changed_row or self.errors:
            return data
        for problem in validation.update_problems(
                data.get("status", ""), data.get("completed_on"), data.get("evidence", ""),
                self.period, self.today, {"result": data.get("result", ""),
                                          "evidence": data.get("evidence", "")},
                self.regime):
            self.problem(problem.field, problem.message)
        return data


class ValueRowForm(RowForm):
    """One indicator: this month's value (or its numerator and denominator), the target
    the agency registers, a note."""

    indicator = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    value_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0,
                                       max_value=2**31 - 1)
    target_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0,
                                        max_value=2**31 - 1)
    value = AmountField(label=gettext_lazy("Value this month"))
    numerator = AmountField(label=gettext_lazy("Numerator"))
    denominator = AmountField(label=gettext_lazy("Denominator"))
    target = AmountField(label=gettext_lazy("Target registered for this month"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False,
                           widget=forms.TextInput(attrs={"size": "16"}))
    compared = ("value", "numerator", "denominator", "target", "note")

    def __init__(self, *args, units: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units

    def clean(self):
        data = super().clean()
        if not self.changed_row or self.errors:
            return data
        unit = self.units.get(data.get("indicator"))
        if unit is None:
            raise forms.ValidationError(_("The form was damaged; reload the page."))
        value, problems = validation.check_value(
            unit, data.get("value"), data.get("numerator"), data.get("denominator"),
            ValueKind.VALUE, data.get("note", ""))
        for problem in problems:
            self.problem(problem.field, problem.message)
        data["clean"] = value
        _target, problems = validation.check_value(unit, data.get("target"),
                                                   kind=ValueKind.TARGET)
        for problem in problems:
            self.problem("target" if problem.field == "value" else problem.field,
                         problem.message)
        return data


# As many rows as settings.DATA_UPLOAD_MAX_NUMBER_FIELDS lets a grid send.
MAX_ROWS = 1400
TASK_HIDDEN = ("assignment", "version", "shown")
VALUE_HIDDEN = ("indicator", "value_version", "target_version", "shown")
STATUS_CHOICES = TaskRowForm.base_fields["status"].choices

TaskFormSet = forms.formset_factory(TaskRowForm, extra=0, max_num=MAX_ROWS,
                                    absolute_max=MAX_ROWS)
ValueFormSet = forms.formset_factory(ValueRowForm, extra=0, max_num=MAX_ROWS,
                                     absolute_max=MAX_ROWS)


def task_initial(assignment, update) -> dict:
    initial = {"assignment": assignment.pk, "version": update.version if update else 0,
               "status": update.status if update else "",
               "completed_on": update.completed_on if update else None,
               "result": update.result if update else "",
               "evidence": update.evidence if update else ""}
    initial["shown"] = fingerprint(initial["status"], day_text(initial["completed_on"]),
                                   initial["result"], initial["evidence"])
    return initial


def value_initial(indicator, value, target) -> dict:
    initial = {"indicator": indicator.pk,
               "value_version": value.version if value else 0,
               "target_version": target.version if target else 0,
               "value": value.value if value else None,
               "numerator": value.numerator if value else None,
               "denominator": value.denominator if value else None,
               "target": target.value if target else None,
               "note": value.note if value else ""}
    initial["shown"] = fingerprint(*(amount_text(initial[n]) for n in (
        "value", "numerator", "denominator", "target")), initial["note"])
    return initial


def grid_problems(formset, titles: dict[int, str], key: str) -> list[tuple[str, str]]:
    """(anchor, "Row 3 (title) — Completed on: …") for every problem of a refused grid,
    in the order of its rows; a damaged form (hidden fields, the management form) is
    said once."""
    damaged = _("The form was damaged; reload the page.")
    said: list[tuple[str, str]] = []
    if not formset.management_form.is_valid():
        return [("", damaged)]
    for number, form in enumerate(formset.forms, start=1):
        if not form.errors:
            continue
        pk = params_id(form.data.get(form.add_prefix(key)))
        anchor = f"{'a' if key == 'assignment' else 'i'}{pk}" if pk else ""
        row = getattr(form, "row_number", number)
        name = titles.get(pk, "")[:80]
        for field, errors in form.errors.items():
            bound = form.fields.get(field)
            if bound is not None and bound.widget.is_hidden:
                said.append(("", damaged))
                continue
            for error in errors:
                if bound is not None:
                    said.append((anchor, _("Row %(row)s (%(name)s) — %(field)s: %(message)s")
                                 % {"row": row, "name": name, "field": bound.label,
                                    "message": error}))
                else:
                    said.append((anchor, _("Row %(row)s (%(name)s): %(message)s")
                                 % {"row": row, "name": name, "message": error}))
    said += [("", str(error)) for error in formset.non_form_errors()]
    unique = []
    for item in said:
        if item not in unique:
            unique.append(item)
    return unique

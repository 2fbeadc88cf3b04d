"""Who may do what, for which organisation: the one place access is decided.

Every view that reads an agency's unapproved work or writes anything calls `require()`
(or `allowed()`), and lists of agency work are narrowed by `visible_submissions()`; no
view decides access by itself. The workflow (reporting/workflow.py) then decides *when*
a thing may be done (a draft can be edited, an approved report cannot), not *who*.

Agency users act for their own organisation and for the organisations it carries forward:
a reporter of Tuyên Quang may complete the June 2025 report of Hà Giang.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from giamsat.accounts.models import Role


class Action(StrEnum):
    VIEW = "view"  # dashboards, lists, approved data
    VIEW_DRAFT = "view_draft"  # an agency's report not yet submitted
    VIEW_SUBMITTED = "view_submitted"  # a report waiting for review, or returned
    EDIT_REPORT = "edit_report"  # a draft: assignment updates, values, targets, evidence
    SUBMIT_REPORT = "submit_report"
    REVIEW = "review"  # approve or return a submitted report
    REOPEN = "reopen"  # open a closed reporting period again for one organisation
    IMPORT = "import"  # read documents into the data
    DECIDE_MATCH = "decide_match"  # confirm or reject that two tasks are the same
    GENERATE_REPORT = "generate_report"  # generate the programme's reports from the data
    EDIT_TASK = "edit_task"  # correct what an import read: wording, deadline, agencies
    PLACE_NAMES = "place_names"  # say what a name or an area heading means
    RAISE_DIFFICULTY = "raise_difficulty"  # an agency raises a difficulty or proposal
    HANDLE_DIFFICULTY = "handle_difficulty"  # accept, assign, decline, merge, close one
    RESOLVE_DIFFICULTY = "resolve_difficulty"  # an agency reports its part of one done
    # A province gives a task it leads to its communes (tasks/editing.py); the
    # organisation is the province.
    ASSIGN_COMMUNES = "assign_communes"
    # One's own notifications (marking them read) and how they come by email.
    OWN_NOTICES = "own_notices"


ANY, OWN = "any", "own"

RULES: dict[Action, dict[Role, str]] = {
    Action.VIEW: {role: ANY for role in Role},
    Action.VIEW_DRAFT: {Role.ADMINISTRATOR: ANY, Role.AGENCY_LEADER: OWN,
                        Role.AGENCY_REPORTER: OWN},
    Action.VIEW_SUBMITTED: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY,
                            Role.AGENCY_LEADER: OWN, Role.AGENCY_REPORTER: OWN},
    Action.EDIT_REPORT: {Role.ADMINISTRATOR: ANY, Role.AGENCY_LEADER: OWN,
                         Role.AGENCY_REPORTER: OWN},
    Action.SUBMIT_REPORT: {Role.ADMINISTRATOR: ANY, Role.AGENCY_LEADER: OWN},
    Action.REVIEW: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY},
    Action.REOPEN: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY},
    Action.IMPORT: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY},
    Action.DECIDE_MATCH: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY},
    Action.GENERATE_REPORT: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY},
    Action.EDIT_TASK: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY},
    Action.PLACE_NAMES: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY},
    Action.RAISE_DIFFICULTY: {Role.ADMINISTRATOR: ANY, Role.AGENCY_LEADER: OWN,
                              Role.AGENCY_REPORTER: OWN},
    Action.HANDLE_DIFFICULTY: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY},
    Action.RESOLVE_DIFFICULTY: {Role.ADMINISTRATOR: ANY, Role.AGENCY_LEADER: OWN,
                                Role.AGENCY_REPORTER: OWN},
    Action.ASSIGN_COMMUNES: {Role.ADMINISTRATOR: ANY, Role.STANDING_OFFICE: ANY,
                             Role.AGENCY_LEADER: OWN},
    Action.OWN_NOTICES: {role: ANY for role in Role},
}

REFUSALS = {
    Action.VIEW: _("Log in to see this page."),
    Action.VIEW_DRAFT: _("Only the agency itself can see a report it has not submitted."),
    Action.VIEW_SUBMITTED: _("You can only see the reports of your own agency."),
    Action.EDIT_REPORT: _("You can only enter reports for your own agency."),
    Action.SUBMIT_REPORT: _("Only the agency's leader can submit its report."),
    Action.REVIEW: _("Only the standing office reviews reports."),
    Action.REOPEN: _("Only the standing office can open a reporting period again."),
    Action.IMPORT: _("Only the standing office imports documents."),
    Action.DECIDE_MATCH: _("Only the standing office decides whether two tasks are the same."),
    Action.GENERATE_REPORT: _("Only the standing office writes the programme's reports."),
    Action.EDIT_TASK: _("Only the standing office corrects tasks."),
    Action.PLACE_NAMES: _("Only the standing office says what names and headings mean."),
    Action.RAISE_DIFFICULTY: _("You can only raise difficulties for your own agency."),
    Action.HANDLE_DIFFICULTY: _("Only the standing office accepts, assigns and closes "
                                "difficulties."),
    Action.RESOLVE_DIFFICULTY: _("Only an agency responsible for this item reports it done."),
    Action.ASSIGN_COMMUNES: _("Only the province's leader gives its tasks to its communes."),
    Action.OWN_NOTICES: _("Log in to see your notifications."),
}


def role_of(user) -> Role | None:
    """The user's role; None for an anonymous visitor or a deactivated account."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    profile = getattr(user, "profile", None)
    return Role(profile.role) if profile else Role.VIEWER


def home_organisation(user):
    profile = getattr(user, "profile", None) if user and user.is_authenticated else None
    return profile.organisation if profile else None


def own_organisation_ids(user) -> frozenset[int]:
    """The user's organisation and every organisation it carries forward."""
    cached = getattr(user, "_giamsat_own_ids", None)
    if cached is not None:
        return cached
    home = home_organisation(user)
    ids = frozenset()
    if home is not None:
        from giamsat.orgs.history import carried_ids

        ids = frozenset(carried_ids(home))
    user._giamsat_own_ids = ids
    return ids


def allowed(user, action: Action, organisation=None) -> bool:
    """May `user` do `action` (for `organisation`, when the action concerns one)?"""
    role = role_of(user)
    if role is None:
        return False
    scope = RULES[action].get(role)
    if scope == ANY:
        return True
    if scope == OWN:
        if organisation is None:
            # "Is there any organisation I may do this for?": mine, if I have one.
            return bool(own_organisation_ids(user))
        return _pk(organisation) in own_organisation_ids(user)
    return False


def require(user, action: Action, organisation=None) -> None:
    if not allowed(user, action, organisation):
        raise PermissionDenied(str(REFUSALS[action]))


def visible_submissions(user, queryset=None):
    """The reports `user` may open: own ones in any state, others' once submitted."""
    from giamsat.reporting.models import Submission, SubmissionState

    queryset = Submission.objects.all() if queryset is None else queryset
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role == Role.ADMINISTRATOR:
        return queryset
    own = Q(organisation_id__in=own_organisation_ids(user))
    if role == Role.STANDING_OFFICE:
        return queryset.filter(own | ~Q(state=SubmissionState.DRAFT))
    if role in (Role.AGENCY_LEADER, Role.AGENCY_REPORTER):
        return queryset.filter(own | Q(state=SubmissionState.APPROVED))
    return queryset.filter(state=SubmissionState.APPROVED)


def can_view_submission(user, submission) -> bool:
    from giamsat.reporting.models import SubmissionState

    if submission.state == SubmissionState.APPROVED:
        return allowed(user, Action.VIEW)
    if submission.state == SubmissionState.DRAFT:
        return allowed(user, Action.VIEW_DRAFT, submission.organisation_id)
    return allowed(user, Action.VIEW_SUBMITTED, submission.organisation_id)


def _pk(organisation) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def can_view_update(user, update) -> bool:
    """An assignment update is seen like the report it belongs to; one without a report
    (imported, older) by its own review state."""
    from giamsat.tasks.models import ReviewState

    if update.submission_id is not None:
        return can_view_submission(user, update.submission)
    if update.review_state == ReviewState.APPROVED:
        return allowed(user, Action.VIEW)
    action = Action.VIEW_DRAFT if update.review_state == ReviewState.DRAFT \
        else Action.VIEW_SUBMITTED
    return allowed(user, action, update.assignment.organisation_id)


def visible_updates(user, queryset=None):
    """The updates `user` may see, as a queryset: the same answer as can_view_update."""
    from giamsat.tasks.models import ReviewState, Update

    queryset = Update.objects.all() if queryset is None else queryset
    role = role_of(user)
    if role is None:
        return queryset.none()
    if role == Role.ADMINISTRATOR:
        return queryset
    approved = Q(review_state=ReviewState.APPROVED, submission__isnull=True)
    in_reports = Q(submission__in=visible_submissions(user))
    own = Q(assignment__organisation_id__in=own_organisation_ids(user),
            submission__isnull=True)
    if role in (Role.AGENCY_LEADER, Role.AGENCY_REPORTER):
        return queryset.filter(approved | in_reports | own)
    if role == Role.STANDING_OFFICE:
        sent = Q(submission__isnull=True) & ~Q(review_state=ReviewState.DRAFT)
        return queryset.filter(approved | in_reports | sent)
    return queryset.filter(approved | in_reports)

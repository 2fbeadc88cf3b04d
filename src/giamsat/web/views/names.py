"""Tên cần xác định: the names and area headings imports could not place, each placed
once by the standing office for every row that had it (ingest/placing.py)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from giamsat.accounts.policy import Action, require
from giamsat.ingest.models import UnplacedKind
from giamsat.ingest.placing import place_area, place_as_new_organisation, place_name, unplaced
from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgKind
from giamsat.tasks.models import Area
from giamsat.web.writes import write_action

# Kinds a body named in tasks may be added as (not a province or commune: the registry
# has those from the reference data).
NEW_KINDS = [OrgKind.GOVERNMENT_AGENCY, OrgKind.ENTERPRISE, OrgKind.PARTY_BODY,
             OrgKind.ASSEMBLY_BODY, OrgKind.JUDICIAL_BODY, OrgKind.MINISTERIAL_AGENCY,
             OrgKind.OTHER]
CONTEXTS = {
    "lead": gettext_lazy("lead agency"),
    "coordinate": gettext_lazy("coordinating agency"),
    "open": gettext_lazy("agency that has not completed"),
    "shortfall": gettext_lazy("agency named as behind"),
    "value": gettext_lazy("agency of a value"),
    "target": gettext_lazy("agency of a registered target"),
    "directive_target": gettext_lazy("agency of a target"),
    "area": gettext_lazy("area heading"),
}


@require_safe
def name_list(request):
    require(request.user, Action.PLACE_NAMES)
    today = timezone.localdate()
    organisations = Organisation.objects.valid_on(today).exclude(kind=OrgKind.COMMUNE)
    return render(request, "web/names.html", {
        "names": unplaced(UnplacedKind.NAME), "areas": unplaced(UnplacedKind.AREA),
        "central": organisations.filter(kind__in=CENTRAL_KINDS),
        "provinces": organisations.filter(kind=OrgKind.PROVINCE),
        "others": organisations.exclude(kind__in=[*CENTRAL_KINDS, OrgKind.PROVINCE]),
        "catalogue": Area.objects.all(), "contexts": CONTEXTS,
        "new_kinds": [(k.value, k.label) for k in NEW_KINDS],
    })


@require_POST
@write_action(Action.PLACE_NAMES)
def name_place(request):
    text = request.POST.get("text", "").strip()[:300]
    if not text:
        messages.error(request, _("Which name? The form was sent without one."))
        return redirect("web:names")
    if request.POST.get("new_name", "").strip():
        kind = request.POST.get("new_kind", "")
        if kind not in {k.value for k in NEW_KINDS}:
            messages.error(request, _("Choose what kind of body “%(name)s” is.")
                           % {"name": request.POST["new_name"]})
            return redirect("web:names")
        org, placed = place_as_new_organisation(text, request.POST["new_name"].strip(), kind,
                                                request.POST.get("new_short", "").strip(),
                                                request.user)
        messages.success(request, _("%(name)s was added to the organisations.")
                         % {"name": org.name} + " " + _placed(placed))
        return redirect("web:names")
    not_an_agency = request.POST.get("not_an_agency") == "1"
    ids = [int(i) for i in request.POST.getlist("organisation") if i.isdigit() and len(i) < 10]
    organisations = list(Organisation.objects.filter(pk__in=ids))
    if not not_an_agency and not organisations:
        messages.error(request, _("Choose the organisation(s) “%(name)s” means, or say it "
                                  "names no agency.") % {"name": text})
        return redirect("web:names")
    placed = place_name(text, organisations, not_an_agency, request.user)
    messages.success(request, _placed(placed))
    return redirect("web:names")


def _placed(count: int) -> str:
    return ngettext("%(count)s place where it stood was updated.",
                    "%(count)s places where it stood were updated.", count) % {"count": count}


@require_POST
@write_action(Action.PLACE_NAMES)
def area_place(request):
    heading = request.POST.get("heading", "").strip()[:400]
    choice = request.POST.get("area", "")
    area = Area.objects.filter(pk=int(choice)).first() if choice.isdigit() and \
        len(choice) < 10 else None
    if not heading or (area is None and choice != "none"):
        messages.error(request, _("Choose the area the heading means, or “no area”."))
        return redirect("web:names")
    messages.success(request, _placed(place_area(heading, area, request.user)))
    return redirect("web:names")

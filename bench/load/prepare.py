"""Prepare a generated database for the load test: an API token (agency leader) for each
ministry and province and for every commune with open assignments, as when communes
report too, and a leader account for the dashboard. The period's reports are removed
first, so that the check afterwards counts only what the test wrote. Writes
var/load/tokens.json.

    GIAMSAT_DATABASE_URL=postgres://…/giamsat_bench_xl python bench/load/prepare.py
"""

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("GIAMSAT_DEBUG", "1")
os.environ.setdefault("GIAMSAT_DATA_DIR", str(ROOT / "var" / "load"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")

PASSWORD = "load-test-password-1"


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from giamsat.accounts.models import Profile
    from giamsat.api.models import ApiToken, IdempotentRequest
    from giamsat.api.tokens import create_token
    from giamsat.orgs.models import Organisation, OrgKind
    from giamsat.reporting.expected import expected_organisations
    from giamsat.reporting.models import Submission
    from giamsat.reporting.periods import current_period
    from giamsat.tasks.models import Assignment

    period = current_period(timezone.localdate())
    with transaction.atomic():
        Submission.objects.filter(period=period).delete()
        IdempotentRequest.objects.filter(user__api_token__name__startswith="load-").delete()
        ApiToken.objects.filter(name__startswith="load-").update(revoked_at=timezone.now())
    open_leads = Assignment.objects.filter(organisation=OuterRef("pk"), role="lead",
                                           completed_on__isnull=True)
    communes = Organisation.objects.filter(kind=OrgKind.COMMUNE).valid_on(period).filter(
        Exists(open_leads))
    agencies = [*expected_organisations(period), *communes]
    tokens = {}
    for number, org in enumerate(agencies, 1):
        _token, secret = create_token(f"load-{org.slug}", "agency_leader", org)
        assignments = list(Assignment.objects.filter(organisation=org, role="lead",
                                                     completed_on__isnull=True)
                           .values_list("pk", flat=True)[:30])
        tokens[org.slug] = {"token": secret, "assignments": assignments}
        if number % 500 == 0:
            print(f"  {number}/{len(agencies)} tokens", flush=True)
    leader, _ = get_user_model().objects.get_or_create(username="load-leader")
    leader.set_password(PASSWORD)
    leader.save()
    Profile.objects.update_or_create(user=leader, defaults={"role": "viewer"})
    out = ROOT / "var" / "load"
    out.mkdir(parents=True, exist_ok=True)
    (out / "tokens.json").write_text(json.dumps({"period": f"{period:%Y-%m}",
                                                 "agencies": tokens, "leader": "load-leader",
                                                 "password": PASSWORD}))
    print(f"{len(tokens)} agencies ready for {period:%m/%Y}; tokens in {out / 'tokens.json'}")


if __name__ == "__main__":
    main()

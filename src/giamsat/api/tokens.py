"""Creating, finding and revoking API tokens."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.accounts.models import AGENCY_ROLES, Profile, Role
from giamsat.api.models import ApiToken

PREFIX = "gs_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(name: str, role: str, organisation=None, created_by=None) -> tuple[ApiToken,
                                                                                   str]:
    """A new token and its secret, which is shown once and never stored."""
    if role not in Role.values:
        raise ValueError(_("Unknown role “%(role)s”.") % {"role": role})
    if role in AGENCY_ROLES and organisation is None:
        raise ValueError(_("A token of an agency role needs its organisation."))
    secret = PREFIX + secrets.token_urlsafe(32)
    count = ApiToken.objects.count() + 1
    base = f"api-{organisation.slug if organisation else role}"[:130]
    username = f"{base}-{count}"
    while get_user_model().objects.filter(username=username).exists():
        count += 1
        username = f"{base}-{count}"
    user = get_user_model().objects.create_user(username, first_name=name[:150])
    user.set_unusable_password()
    user.save()
    Profile.objects.create(user=user, role=role, organisation=organisation)
    token = ApiToken.objects.create(name=name, prefix=secret[:10], digest=digest(secret),
                                    user=user, created_by=created_by)
    return token, secret


def find(secret: str) -> ApiToken | None:
    """The live token with this secret, or None."""
    if not secret or not secret.startswith(PREFIX):
        return None
    token = (ApiToken.objects.select_related("user__profile__organisation")
             .filter(digest=digest(secret), revoked_at__isnull=True).first())
    if token is None or not token.user.is_active:
        return None
    return token


@transaction.atomic
def revoke(token: ApiToken, by=None) -> None:
    token.revoked_at = timezone.now()
    token._history_user = by
    token.save()
    token.user.is_active = False  # the service account can do nothing any more
    token.user.save()

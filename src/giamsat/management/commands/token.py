"""`giamsat token create NAME --role ROLE [--organisation SLUG]`, `token list`,
`token revoke ID`: API tokens for agencies' systems (shown once, stored hashed)."""

from django.core.management.base import BaseCommand, CommandError

from giamsat.accounts.models import Role
from giamsat.api import tokens
from giamsat.api.models import ApiToken
from giamsat.orgs.models import Organisation


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        create = commands.add_parser("create")
        create.add_argument("name")
        create.add_argument("--role", choices=Role.values, required=True)
        create.add_argument("--organisation", metavar="SLUG")
        commands.add_parser("list")
        revoke = commands.add_parser("revoke")
        revoke.add_argument("id", type=int)

    def handle(self, *args, command, **options):
        if command == "create":
            organisation = None
            if options["organisation"]:
                organisation = Organisation.objects.filter(slug=options["organisation"]).first()
                if organisation is None:
                    raise CommandError(f"No organisation {options['organisation']!r}.")
            try:
                token, secret = tokens.create_token(options["name"], options["role"],
                                                    organisation)
            except ValueError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"Token {token.pk} for {token.name}; shown this once only:\n"
                              f"{secret}")
        elif command == "list":
            for token in ApiToken.objects.select_related("user__profile__organisation"):
                profile = token.user.profile
                state = f"revoked {token.revoked_at:%d/%m/%Y}" if token.revoked_at else "live"
                self.stdout.write(f"{token.pk}\t{token.prefix}…\t{profile.role}\t"
                                  f"{profile.organisation.slug if profile.organisation else '-'}"
                                  f"\t{state}\t{token.name}")
        else:
            token = ApiToken.objects.filter(pk=options["id"]).first()
            if token is None:
                raise CommandError(f"No token {options['id']}.")
            tokens.revoke(token)
            self.stdout.write(f"Revoked token {token.pk} ({token.name}).")

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from giamsat import demo
from giamsat.orgs.reference import load_reference

DEMO_USER = "demo"
DEMO_PASSWORD = "giamsat-demo"


class Command(BaseCommand):
    help = "Create the database, load reference and demo data, and serve giamsat locally."

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="Prepare only; do not serve.")
        parser.add_argument("--port", type=int, default=8000)

    def step(self, message: str):
        self.stdout.write(f"• {message}…", ending="")
        self.stdout.flush()
        self._started = time.monotonic()

    def done(self, detail: str = ""):
        self.stdout.write(f" {detail} ({time.monotonic() - self._started:.1f} s)")

    def runs_to(self, port: int) -> str:
        made_on = demo.generated_on()
        if made_on is None or made_on == demo.as_of():
            return (f"The demo data runs to today, {demo.as_of():%d/%m/%Y}: the overview shows "
                    "the programme in progress; ?ngay=dd/mm/yyyy shows an earlier day.\n")
        return (f"The demo data runs to {made_on:%d/%m/%Y}, the day it was generated: "
                f"http://127.0.0.1:{port}/?ngay={made_on:%d/%m/%Y} (a fresh data directory "
                "gives a demo up to today).\n")

    def handle(self, *args, no_serve, port, **options):
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"giamsat demo — data in {settings.DATA_DIR}")
        self.step("Creating and migrating the database")
        call_command("migrate", interactive=False, verbosity=0)
        self.done(settings.DATABASES["default"]["NAME"])

        self.step("Loading the organisation registry")
        counts = load_reference()
        self.done(f"{counts.organisations_created} organisations and "
                  f"{counts.events_created} events added")

        self.step("Generating demo tasks and indicators")
        if demo.demo_data_present():
            self.done("already there")
        else:
            made = demo.generate()
            self.done(", ".join(f"{n} {what}" for what, n in made.items()))

        user, _ = get_user_model().objects.get_or_create(username=DEMO_USER)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        others = demo.ensure_users(DEMO_PASSWORD)
        self.stdout.write(
            f"\nOpen http://127.0.0.1:{port}/ — log in as “{DEMO_USER}” with password "
            f"“{DEMO_PASSWORD}” (administration: http://127.0.0.1:{port}/admin/).\n"
            "Other demo accounts, same password: "
            + "; ".join(f"{name} ({role})" for name, role in others) + ".\n"
            + self.runs_to(port)
        )
        if not no_serve:
            call_command("serve", host="127.0.0.1", port=port)

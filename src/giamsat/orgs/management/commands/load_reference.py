from django.core.management.base import BaseCommand

from giamsat.orgs.reference import load_reference


class Command(BaseCommand):
    help = "Load the reference organisations and their 2025 restructuring (safe to repeat)."

    def handle(self, *args, **options):
        counts = load_reference()
        self.stdout.write(
            f"Reference data: {counts.organisations_created} organisations created, "
            f"{counts.organisations_updated} updated, {counts.aliases_created} aliases and "
            f"{counts.events_created} events added."
        )

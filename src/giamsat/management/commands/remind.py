"""`giamsat remind [--as-of YYYY-MM-DD] [--dry-run] [--queue]`: send the day's reminders
(cron); with --queue, as a background job of the worker."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from giamsat import jobs
from giamsat.notify.reminders import due_reminders, run, send_reminders


class Command(BaseCommand):
    help = ("Send the reminders due today: deadlines coming and passed, reporting periods "
            "opening and closing, agencies that have not reported; and the daily email of "
            "notifications to the users who chose it. Safe to run again: a reminder is "
            "never sent twice.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="The day (default today).")
        parser.add_argument("--dry-run", action="store_true",
                            help="List what is due; claim and send nothing.")
        parser.add_argument("--queue", action="store_true",
                            help="Queue the run for the background worker (giamsat worker) "
                                 "and return at once.")

    def handle(self, *args, as_of, dry_run, queue, **options):
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else None
        except ValueError:
            raise CommandError(f"--as-of must be YYYY-MM-DD, not {as_of!r}.") from None
        if queue:
            if dry_run:
                raise CommandError("--queue and --dry-run cannot be used together.")
            job = jobs.enqueue(send_reminders, day.isoformat() if day else "")
            self.stdout.write(f"Queued: job {job.id}.")
            return
        if dry_run:
            for item in due_reminders(day or datetime.date.today()):
                self.stdout.write(f"{item.rule}\t{item.key}\t{item.text}")
        result = run(day, dry_run=dry_run)
        self.stdout.write(
            f"{result.day:%d/%m/%Y}: {result.found} reminders due, {result.claimed} new "
            f"(the others were sent before), {result.messages} messages written, "
            f"{result.digests} daily emails of notifications, {result.sent} sent, "
            f"{result.failed} failed.")

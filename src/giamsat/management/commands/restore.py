"""`giamsat restore FILE`: replace the database and data files by a backup's."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from giamsat.backups import BackupRefused, restore_backup


class Command(BaseCommand):
    help = ("Replace the database and the data files by those of a backup written by "
            "`giamsat backup` (checked first: format, checksums, database kind, schema).")

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            manifest = restore_backup(path)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Restored {path.name}, written {manifest['written_at']}.")

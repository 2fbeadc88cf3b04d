"""`giamsat backup [-o FILE]`: the database and the data files in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from giamsat.backups import BackupRefused, default_name, write_backup


class Command(BaseCommand):
    help = "Write a backup of the database, evidence files and uploads to one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="where to write it (default giamsat-YYYYMMDD-HHMM.tar.gz)")

    def handle(self, *args, output=None, **options):
        path = Path(output or default_name())
        try:
            manifest = write_backup(path)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        size = path.stat().st_size
        self.stdout.write(f"{path}: {manifest['database']}, {len(manifest['migrations'])} "
                          f"migrations, {len(manifest['members']) - 1} data files, {size:,} bytes")

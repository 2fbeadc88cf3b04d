"""A whole installation in one file, and back: `giamsat backup -o FILE`, `giamsat restore FILE`.

The file is a tar archive holding
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the server runs)
  or `database.pgdump` (`pg_dump --format=custom`, restored with `pg_restore`);
- `files/`: what the data directory keeps beside the database (evidence and other media,
  uploaded documents waiting to be imported);
- `manifest.json`: the database kind, the schema (every applied migration), and each
  member's size and SHA-256.

A restore checks everything before it changes anything: the archive reads, every checksum
matches, the database kind is this one's and the schema is exactly this version's (an
older backup is restored with the giamsat version that wrote it, then migrated). The secret
key is not in the backup: keep it apart, as the README says.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
# Folders of the data directory that belong to the data (not caches, not the secret key).
KEPT_FOLDERS = ("media", "imports")


class BackupRefused(Exception):
    """The backup cannot be written or restored; str() says why. Nothing was changed."""


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in
                  MigrationRecorder(connection).applied_migrations())


def code_migrations() -> list[str]:
    """The schema this version of giamsat has: every migration it ships."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.disk_migrations)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_args(settings_dict: dict) -> tuple[list[str], dict]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupRefused(_("%(program)s is not installed (apt-get install "
                              "postgresql-client).") % {"program": command[0]}) from None
    except subprocess.CalledProcessError as failed:
        raise BackupRefused(_("%(program)s failed: %(error)s") % {
            "program": command[0], "error": failed.stderr.strip()[-500:]}) from None


def _dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        with copy:
            connection.connection.backup(copy)
        copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.pgdump"
        args, env = _pg_args(connection.settings_dict)
        _run(["pg_dump", "--format=custom", "--no-owner", *args, "--file", str(target),
              connection.settings_dict["NAME"]], env)
        return target.name
    raise BackupRefused(_("Backups of a %(vendor)s database are not supported.")
                        % {"vendor": connection.vendor})


def write_backup(output: Path) -> dict:
    """Write the backup to `output`; returns its manifest."""
    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="giamsat-backup-") as work:
        work = Path(work)
        members = [_dump_database(work)]
        for name in KEPT_FOLDERS:
            source = settings.DATA_DIR / name
            if source.is_dir():
                shutil.copytree(source, work / "files" / name)
        members += sorted(str(p.relative_to(work)) for p in (work / "files").rglob("*")
                          if p.is_file())
        manifest = {
            "format": FORMAT, "written_at": timezone.now().isoformat(),
            "database": connection.vendor, "migrations": applied_migrations(),
            "members": {m: {"size": (work / m).stat().st_size, "sha256": _sha256(work / m)}
                        for m in members},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(work / MANIFEST, MANIFEST)
            for member in members:
                archive.add(work / member, member)
        partial.replace(output)  # a backup cut short never looks like a whole one
    return manifest


def _checked(archive_path: Path, work: Path) -> dict:
    """Unpack into `work` and check the manifest and every member; returns the manifest."""
    try:
        with tarfile.open(archive_path, "r:*") as archive:
            archive.extractall(work, filter="data")
    except (OSError, tarfile.TarError, EOFError):
        raise BackupRefused(_("%(file)s is not a giamsat backup (not a readable .tar.gz "
                              "archive); nothing was restored.")
                            % {"file": archive_path.name}) from None
    try:
        manifest = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupRefused(_("%(file)s has no readable manifest: it is not a giamsat "
                              "backup.") % {"file": archive_path.name}) from None
    if manifest.get("format") != FORMAT:
        raise BackupRefused(_("%(file)s is of backup format %(format)s; this giamsat reads "
                              "format %(ours)s.") % {"file": archive_path.name,
                                                     "format": manifest.get("format"),
                                                     "ours": FORMAT})
    for member, facts in manifest.get("members", {}).items():
        path = work / member
        if not path.is_file() or _sha256(path) != facts.get("sha256"):
            raise BackupRefused(_("%(file)s is damaged: %(member)s does not match its "
                                  "checksum. Nothing was restored.")
                                % {"file": archive_path.name, "member": member})
    if manifest.get("database") != connection.vendor:
        raise BackupRefused(_("%(file)s is a backup of a %(theirs)s database; this giamsat "
                              "runs on %(ours)s.") % {"file": archive_path.name,
                                                      "theirs": manifest.get("database"),
                                                      "ours": connection.vendor})
    theirs, ours = set(manifest.get("migrations", [])), set(code_migrations())
    if theirs != ours:
        missing, extra = sorted(ours - theirs), sorted(theirs - ours)
        raise BackupRefused(_(
            "%(file)s was written by another version of giamsat (its schema lacks "
            "%(missing)s and has %(extra)s). Restore it with the version that wrote it, "
            "then upgrade; nothing was restored.") % {
                "file": archive_path.name, "missing": ", ".join(missing[:5]) or "—",
                "extra": ", ".join(extra[:5]) or "—"})
    return manifest


def restore_backup(archive_path: Path) -> dict:
    """Replace the database and the data files by the backup's; returns its manifest."""
    archive_path = Path(archive_path)
    with tempfile.TemporaryDirectory(prefix="giamsat-restore-") as work:
        work = Path(work)
        manifest = _checked(archive_path, work)
        if connection.vendor == "sqlite":
            source = sqlite3.connect(work / "database.sqlite3")
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupRefused(_("The database in %(file)s is damaged; nothing was "
                                      "restored.") % {"file": archive_path.name})
            connection.ensure_connection()
            source.backup(connection.connection)
            source.close()
        else:
            connections.close_all()
            args, env = _pg_args(connection.settings_dict)
            _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  *args, "--dbname", connection.settings_dict["NAME"],
                  str(work / "database.pgdump")], env)
        for name in KEPT_FOLDERS:
            target, source = settings.DATA_DIR / name, work / "files" / name
            if target.is_dir():
                shutil.rmtree(target)
            if source.is_dir():
                shutil.copytree(source, target)
    return manifest


def default_name(now: datetime.datetime | None = None) -> str:
    now = timezone.localtime(now)
    return f"giamsat-{now:%Y%m%d-%H%M}.tar.gz"


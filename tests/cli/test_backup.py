"""`giamsat backup` and `giamsat restore`: a round trip gives the same rows and files, and a
backup that does not fit is refused before anything changes."""

import hashlib
import io
import json
import tarfile

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from giamsat.backups import BackupRefused, restore_backup, write_backup
from giamsat.ingest.write import run_import
from giamsat.orgs.reference import load_reference
from giamsat.tasks.models import Task

# Committed data: pg_dump and SQLite's backup see what is committed, and a restore cannot
# run inside a test's transaction. (pytest-django runs these tests after the others.)
pytestmark = pytest.mark.django_db(transaction=True)


def snapshot() -> dict:
    """Per model: the number of rows and a checksum of every value; and the data files."""
    state = {}
    for model in apps.get_models():
        rows = list(model._base_manager.order_by("pk").values_list())
        state[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    for folder in ("media", "imports"):
        for path in sorted((settings.DATA_DIR / folder).rglob("*")):
            if path.is_file():
                state[str(path.relative_to(settings.DATA_DIR))] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return state


@pytest.fixture
def installation(corpus_dir, make_user):
    """Every kind of object the import and the pages make, plus an evidence file and an
    upload waiting to be imported."""
    load_reference()  # an earlier test of this kind emptied the database after itself
    run_import([str(p) for p in sorted(corpus_dir.glob("*.txt"))])
    make_user("standing_office", username="vpthuongtruc")
    evidence = settings.MEDIA_ROOT / "evidence" / "test-backup" / "ke-hoach-12.pdf"
    upload = settings.DATA_DIR / "imports" / "test-backup" / "bao-cao.txt"
    for path, content in ((evidence, b"%PDF-1.4 minh chung"), (upload, "Báo cáo".encode())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    yield evidence, upload
    for path in (evidence, upload):
        path.unlink(missing_ok=True)


def test_a_backup_restores_every_row_and_file(installation, tmp_path):
    evidence, upload = installation
    before = snapshot()
    assert before["tasks.Task"][0] > 500 and str(evidence.relative_to(settings.DATA_DIR)) in before
    call_command("backup", "-o", str(tmp_path / "b.tar.gz"))

    Task.objects.filter(pk__in=Task.objects.values("pk")[:100]).delete()
    evidence.unlink()
    upload.write_text("đã sửa")
    assert snapshot() != before

    call_command("restore", str(tmp_path / "b.tar.gz"))
    assert snapshot() == before


def _rewrite_manifest(source, target, change):
    with tarfile.open(source) as archive, tarfile.open(target, "w:gz") as out:
        for member in archive.getmembers():
            data = archive.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def test_a_backup_of_another_schema_or_damaged_is_refused_and_nothing_changes(installation,
                                                                              tmp_path):
    good = tmp_path / "b.tar.gz"
    write_backup(good)
    older = tmp_path / "older.tar.gz"
    _rewrite_manifest(good, older, lambda m: m["migrations"].remove(
        "reports.0002_report_family_and_signing"))
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite_manifest(good, damaged, lambda m: m["members"]["database.sqlite3" if
                      "database.sqlite3" in m["members"] else "database.pgdump"].update(
                          sha256="0" * 64))
    not_a_backup = tmp_path / "notes.tar.gz"
    not_a_backup.write_text("không phải bản sao lưu")

    Task.objects.filter(pk__in=Task.objects.values("pk")[:10]).delete()
    before = snapshot()
    with pytest.raises(BackupRefused, match=r"another version of giamsat.*"
                       r"reports\.0002_report_family_and_signing"):
        restore_backup(older)
    with pytest.raises(BackupRefused, match="damaged"):
        restore_backup(damaged)
    with pytest.raises(CommandError, match="not a giamsat backup"):
        call_command("restore", str(not_a_backup))
    assert snapshot() == before

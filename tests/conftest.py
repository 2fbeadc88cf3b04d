import os
import unicodedata
from pathlib import Path

import pytest

# The real documents live beside the project, not in it (shared/corpus/README.md).
DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
CORPUS_DIR = Path(os.environ.get("GIAMSAT_CORPUS_DIR", DEFAULT_CORPUS_DIR))


def _corpus_missing_message() -> str:
    return (
        f"the corpus of real documents is missing at {CORPUS_DIR}; "
        "clone the project beside ../shared or set GIAMSAT_CORPUS_DIR"
    )


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """Folder of the real documents; a failure in CI, a skip with the reason elsewhere."""
    if not CORPUS_DIR.is_dir() or not any(CORPUS_DIR.glob("*.txt")):
        if os.environ.get("CI") == "true":
            pytest.fail(_corpus_missing_message())
        pytest.skip(_corpus_missing_message())
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_text(corpus_dir):
    """corpus_text("004") → the NFC text of the document whose name starts with 004."""
    def read(prefix: str) -> str:
        (path,) = corpus_dir.glob(f"{prefix}_*.txt")
        return unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))

    return read


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference organisations, as production does."""
    from giamsat.orgs.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def org(db):
    """org("Bộ Công an") → the organisation of that exact name valid on the given date."""
    import datetime

    from giamsat.orgs.models import Organisation

    def get(name: str, on: datetime.date = datetime.date(2025, 8, 1)):
        return Organisation.objects.valid_on(on).get(name=name)

    return get


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"giamsat database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}"


@pytest.fixture(scope="module")
def imported_corpus(django_db_setup, django_db_blocker, corpus_dir):
    """The whole corpus imported once for a test module, rolled back at its end."""
    from django.db import transaction

    from giamsat.ingest.write import run_import

    paths = sorted(str(p) for p in corpus_dir.glob("*.txt"))
    with django_db_blocker.unblock(), transaction.atomic():
        summary = run_import(paths)
        yield {"paths": paths, "summary": summary}
        transaction.set_rollback(True)


@pytest.fixture
def make_user(db):
    """make_user("agency_reporter", "ha-noi") → a user with that role and organisation."""
    from django.contrib.auth import get_user_model

    from giamsat.accounts.models import Profile
    from giamsat.orgs.models import Organisation

    def make(role: str, organisation: str | None = None, username: str | None = None):
        username = username or f"{role}-{organisation or 'all'}"
        user = get_user_model().objects.create_user(username, password="mật-khẩu-thử-1")
        if role == "superuser":
            user.is_superuser = user.is_staff = True
            user.save()
            return user
        org = Organisation.objects.get(slug=organisation) if organisation else None
        Profile.objects.create(user=user, role=role, organisation=org)
        return user

    return make


@pytest.fixture
def roles(make_user):
    """One user of every role; agency users of Hà Nội, plus a reporter of Tuyên Quang."""
    return {
        "administrator": make_user("administrator", username="admin"),
        "standing_office": make_user("standing_office"),
        "agency_leader": make_user("agency_leader", "ha-noi"),
        "agency_reporter": make_user("agency_reporter", "ha-noi"),
        "viewer": make_user("viewer"),
        "other_reporter": make_user("agency_reporter", "tuyen-quang"),
        "other_leader": make_user("agency_leader", "tuyen-quang"),
    }


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Domain functions speak English msgids unless a request chose a language; a request
    of an earlier test must not leave Vietnamese active in this thread."""
    from django.utils import translation

    translation.deactivate_all()
    yield
    translation.deactivate_all()

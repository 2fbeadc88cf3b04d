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

"""The `giamsat` command: one entry point for every management command.

`giamsat demo`, `giamsat serve`, `giamsat export …`, and every Django command
(`giamsat migrate`, `giamsat createsuperuser`, …).
"""

import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")
    if not os.environ.get("GIAMSAT_DATABASE_URL"):
        # The embedded SQLite file lives there: `giamsat migrate` on a new machine works.
        _data_dir().mkdir(parents=True, exist_ok=True)
    if len(argv) > 1 and argv[1] == "demo":
        # The demo runs on plain HTTP on this machine: cookies cannot be Secure-only.
        os.environ.setdefault("GIAMSAT_SECURE_COOKIES", "0")
        _ensure_secret_key()
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError, ProgrammingError

    argv[0] = "giamsat"
    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        sys.exit(f"giamsat: configuration: {error}")
    except (OperationalError, ProgrammingError) as error:
        # The usual causes: a database never migrated, or a server that does not answer.
        sys.exit(
            f"giamsat: database error: {error}\n"
            "Check GIAMSAT_DATABASE_URL and that the server is running; a new database "
            "needs `giamsat migrate` and `giamsat load_reference` (or `giamsat demo`)."
        )


def _data_dir() -> Path:
    return Path(os.environ.get("GIAMSAT_DATA_DIR", "var")).resolve()


def _ensure_secret_key() -> None:
    """Give the demo a random secret key kept in its data directory."""
    if os.environ.get("GIAMSAT_SECRET_KEY"):
        return
    import secrets

    key_file = _data_dir() / "secret_key"
    if not key_file.exists():
        # Created readable by its owner only, never world-readable even for a moment.
        with os.fdopen(os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as f:
            f.write(secrets.token_urlsafe(50))


if __name__ == "__main__":
    main()

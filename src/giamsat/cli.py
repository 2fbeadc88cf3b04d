"""The `giamsat` command: one entry point for every management command.

`giamsat demo`, `giamsat serve`, `giamsat export …`, and every Django command
(`giamsat migrate`, `giamsat createsuperuser`, …).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")
    if len(argv) > 1 and argv[1] == "demo":
        # The demo runs on plain HTTP on this machine: cookies cannot be Secure-only.
        os.environ.setdefault("GIAMSAT_SECURE_COOKIES", "0")
        _ensure_secret_key()
    from django.core.management import execute_from_command_line

    argv[0] = "giamsat"
    execute_from_command_line(argv)


def _ensure_secret_key() -> None:
    """Give the demo a random secret key kept in its data directory."""
    if os.environ.get("GIAMSAT_SECRET_KEY"):
        return
    import secrets
    from pathlib import Path

    data_dir = Path(os.environ.get("GIAMSAT_DATA_DIR", "var")).resolve()
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)


if __name__ == "__main__":
    main()

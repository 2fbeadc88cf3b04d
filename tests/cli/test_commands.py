"""The `giamsat` command as a user runs it: a new process, a fresh data directory."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GIAMSAT = [sys.executable, "-m", "giamsat.cli"]


def run(args, data_dir, **env):
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("GIAMSAT_", "DJANGO_"))}
    environment.update(GIAMSAT_DATA_DIR=str(data_dir), **env)
    return subprocess.run([*GIAMSAT, *args], env=environment, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("demo") / "var"  # does not exist yet
    result = run(["demo", "--no-serve"], data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir, result.stdout


def test_demo_creates_the_database_and_says_how_to_log_in(demo_dir):
    data_dir, out = demo_dir
    assert (data_dir / "giamsat.sqlite3").exists()
    assert (data_dir / "secret_key").stat().st_mode & 0o777 == 0o600
    assert "http://127.0.0.1:8000/" in out and "“demo”" in out and "giamsat-demo" in out
    assert "tasks" in out and "observations" in out


def test_demo_runs_twice_without_duplicating(demo_dir):
    data_dir, _ = demo_dir
    before = json.loads(run(["export", "organisations"], data_dir).stdout)
    again = run(["demo", "--no-serve"], data_dir)
    assert again.returncode == 0, again.stderr
    assert "already there" in again.stdout and "0 organisations" in again.stdout
    assert json.loads(run(["export", "organisations"], data_dir).stdout) == before


def test_export_organisations_json_and_csv(demo_dir):
    data_dir, _ = demo_dir
    rows = json.loads(run(["export", "organisations", "--format", "json"], data_dir).stdout)
    hagiang = next(r for r in rows if r["name"] == "Hà Giang")
    assert (hagiang["successors"], hagiang["succession_date"]) == ("Tuyên Quang", "2025-07-01")
    csv_out = run(["export", "organisations", "--format", "csv"], data_dir).stdout
    assert csv_out.splitlines()[0].startswith("id,name,short_name,kind")
    assert len(csv_out.splitlines()) == len(rows) + 1


def test_unknown_export_is_refused_clearly(demo_dir):
    data_dir, _ = demo_dir
    result = run(["export", "planets"], data_dir)
    assert result.returncode != 0
    assert "invalid choice: 'planets'" in result.stderr


def test_production_settings_require_a_secret_key(tmp_path):
    result = run(["check"], tmp_path / "empty")
    assert result.returncode != 0
    assert result.stderr.startswith("giamsat: configuration: GIAMSAT_SECRET_KEY is not set")
    assert "Traceback" not in result.stderr


def test_a_database_never_set_up_gets_a_clear_message(tmp_path):
    result = run(["export", "organisations"], tmp_path / "new", GIAMSAT_SECRET_KEY="x")
    assert result.returncode == 1
    assert result.stderr.startswith("giamsat: database error:")
    assert "giamsat migrate" in result.stderr and "Traceback" not in result.stderr


def test_postgres_url_is_read_from_the_environment(tmp_path):
    code = ("import django; from django.conf import settings; django.setup(); "
            "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])")
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GIAMSAT_")}
    environment.update(GIAMSAT_SECRET_KEY="x", DJANGO_SETTINGS_MODULE="giamsat.settings",
                       GIAMSAT_DATABASE_URL="postgres://u@db.example:5432/giamsat")
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True,
                         text=True, cwd=Path(tmp_path), check=True).stdout
    assert out.split() == ["django.db.backends.postgresql", "giamsat", "db.example"]

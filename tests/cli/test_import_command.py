"""`giamsat import` and the exports it feeds, as a user runs them in a new process."""

import csv
import io
import json

import pytest

from tests.cli.test_commands import run


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("import") / "var"
    for args in (["migrate", "--verbosity", "0"], ["load_reference"]):
        result = run(args, data_dir, GIAMSAT_DEBUG="1")
        assert result.returncode == 0, result.stderr
    return data_dir


def giamsat(args, data_dir):
    return run(args, data_dir, GIAMSAT_DEBUG="1")


@pytest.fixture(scope="module")
def imported(data_dir, corpus_dir):
    paths = sorted(str(p) for p in corpus_dir.glob("*.txt"))
    result = giamsat(["import", *paths, "--format", "json"], data_dir)
    assert result.returncode == 0, result.stderr
    return paths, json.loads(result.stdout)


def test_json_summary_has_the_documented_shape(imported):
    _paths, summary = imported
    assert len(summary["files"]) == 4
    for file in summary["files"]:
        assert {"path", "sections", "tasks_created", "tasks_updated", "assignments",
                "observations", "targets", "warnings"} <= set(file)
        for section in file["sections"]:
            assert {"title", "kind", "rows"} <= set(section)
        for warning in file["warnings"]:
            assert isinstance(warning["line"], int) and warning["message"]
    assert summary["totals"]["tasks_created"] > 300
    assert summary["elapsed_seconds"] > 0


def test_second_import_changes_nothing_and_prints_the_time(imported, data_dir):
    paths, _summary = imported
    result = giamsat(["import", *paths], data_dir)
    assert result.returncode == 0, result.stderr
    assert " 0 tasks created, 0 updated, 0 assignments" in result.stdout.replace("0 nhiệm vụ",
                                                                                  "0 tasks")\
        or "0 nhiệm vụ mới" in result.stdout
    assert " s." in result.stdout


def test_dry_run_prints_the_same_summary_and_writes_nothing(imported, data_dir, corpus_dir):
    before = giamsat(["export", "tasks"], data_dir).stdout
    (path,) = corpus_dir.glob("003_*.txt")
    result = giamsat(["import", str(path), "--dry-run", "--format", "json"], data_dir)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["dry_run"] is True
    assert giamsat(["export", "tasks"], data_dir).stdout == before


@pytest.mark.parametrize("entity, fields", [
    ("tasks", {"id", "title", "directive", "area", "area_as_written", "lead", "coordinating",
               "deadline_raw",
               "due_date", "status", "source"}),
    ("assignments", {"task_id", "organisation", "role", "completed_on", "status"}),
    ("observations", {"indicator", "organisation", "period", "value", "kind", "source"}),
    ("indicators", {"id", "name", "unit"}),
])
def test_exports_json_and_csv(imported, data_dir, entity, fields):
    rows = json.loads(giamsat(["export", entity, "--format", "json", "--as-of", "2025-07-18"],
                              data_dir).stdout)
    assert rows and fields <= set(rows[0])
    out = giamsat(["export", entity, "--format", "csv", "--as-of", "2025-07-18"], data_dir).stdout
    assert len(list(csv.DictReader(io.StringIO(out)))) == len(rows)


def test_observation_export_has_periods_and_both_kinds(imported, data_dir):
    rows = json.loads(giamsat(["export", "observations"], data_dir).stdout)
    kinds = {r["kind"] for r in rows}
    assert kinds == {"actual", "target"}
    assert all(len(r["period"]) == 7 and r["period"][4] == "-" for r in rows)


def test_unreadable_file_is_refused_with_nothing_written(imported, data_dir, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.7")
    result = giamsat(["import", str(bad)], data_dir)
    assert result.returncode != 0
    assert "scan.pdf" in result.stderr


def test_bad_as_of_is_refused(data_dir, corpus_dir):
    (path,) = corpus_dir.glob("003_*.txt")
    result = giamsat(["import", str(path), "--as-of", "18/07/2025"], data_dir)
    assert result.returncode != 0 and "YYYY-MM-DD" in result.stderr


def test_link_matches_lists_proposals(imported, data_dir):
    result = giamsat(["import", "--link-matches", "--format", "json"], data_dir)
    assert result.returncode == 0, result.stderr
    proposals = json.loads(result.stdout)
    assert all(0 < p["score"] <= 1 for p in proposals)

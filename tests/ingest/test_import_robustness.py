"""Bad input never crashes the importer and never leaves half an import behind."""

import datetime
import random
from pathlib import Path

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.indicators.models import Indicator, Observation, Target
from giamsat.ingest import write
from giamsat.ingest.models import ImportRun
from giamsat.ingest.sources import UnreadableDocument
from giamsat.ingest.write import ImportFailed, run_import
from giamsat.tasks.models import Appearance, Assignment, Task

pytestmark = pytest.mark.django_db


def counts():
    return tuple(m.objects.count() for m in (Task, Assignment, Appearance, Observation, Target,
                                             ImportRun))


@pytest.fixture(scope="module")
def sample_lines(corpus_dir):
    """Parts of every structure: a completed-task table, the indicator table, bullets."""
    lines = []
    for prefix, start, end in (("004", 0, 120), ("004", 976, 1080), ("001", 90, 160),
                               ("000", 320, 400), ("004", 4414, 4460)):
        (path,) = corpus_dir.glob(f"{prefix}_*.txt")
        lines += path.read_text(encoding="utf-8").splitlines()[start:end]
    return lines


def _mutate(lines: list[str], ops: list[tuple[str, int, int]], garbage: bytes) -> bytes:
    lines = list(lines)
    for op, a, b in ops:
        if not lines:
            break
        i, j = sorted((a % len(lines), b % len(lines)))
        if op == "cut":
            del lines[i:j + 1]
        elif op == "duplicate":
            lines[i:i] = lines[i:j + 1]
        elif op == "shuffle":
            part = lines[i:j + 1]
            random.Random(a * 31 + b).shuffle(part)
            lines[i:j + 1] = part
        elif op == "strip_tabs":
            lines[i:j + 1] = [line.replace("\t", "") for line in lines[i:j + 1]]
    data = "\n".join(lines).encode("utf-8")
    position = len(data) // 2
    return data[:position] + garbage + data[position:]


OPERATIONS = st.lists(
    st.tuples(st.sampled_from(["cut", "duplicate", "shuffle", "strip_tabs"]),
              st.integers(0, 10_000), st.integers(0, 10_000)),
    max_size=6,
)


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPERATIONS, garbage=st.binary(max_size=8))
def test_mutated_documents_import_or_fail_cleanly(sample_lines, tmp_path_factory, ops, garbage):
    path = tmp_path_factory.mktemp("fuzz") / "mutated.txt"
    path.write_bytes(_mutate(sample_lines, ops, garbage))
    before = counts()
    try:
        summary = run_import([str(path)], as_of=None)
    except (ImportFailed, UnreadableDocument) as error:
        assert str(error)
        assert counts() == before
    else:
        assert summary["totals"]["files"] == 1
        assert counts() >= before


def test_an_error_half_way_writes_nothing(corpus_dir, monkeypatch):
    (path,) = corpus_dir.glob("004_*.txt")
    calls = {"n": 0}
    original = write._Writer._write

    def failing(self, record, section_title):
        calls["n"] += 1
        if calls["n"] == 150:
            raise RuntimeError("disk full")
        return original(self, record, section_title)

    monkeypatch.setattr(write._Writer, "_write", failing)
    before = counts()
    with pytest.raises(RuntimeError):
        run_import([str(path)])
    assert calls["n"] == 150
    assert counts() == before


def test_dry_run_counts_but_writes_nothing(corpus_dir):
    (path,) = corpus_dir.glob("004_*.txt")
    before = counts()
    summary = run_import([str(path)], dry_run=True)
    assert summary["dry_run"] is True
    assert summary["totals"]["tasks_created"] > 300
    assert counts() == before


@pytest.mark.parametrize("content, name", [
    (b"", "empty.txt"),
    (b"   \n\n", "blank.txt"),
    (b"\x00\x01\x02binary\x00", "binary.txt"),
    (b"Nhi\xeam v\xf9 \xd0\xe3 ho\xe0n th\xe0nh", "old.txt"),  # Windows-1258 bytes
    (b"%PDF-1.4 ...", "report.pdf"),
    (b"PK\x03\x04broken", "broken.docx"),
])
def test_unreadable_input_is_refused_with_a_message(tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    before = counts()
    with pytest.raises((ImportFailed, UnreadableDocument)) as error:
        run_import([str(path)])
    assert name in str(error.value)
    assert counts() == before


def test_text_with_nothing_recognisable_is_refused(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("Kính gửi các đồng chí.\nNgày 01/7/2025, chúng tôi họp.\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"letter\.txt"):
        run_import([str(path)])


def test_one_bad_file_among_good_ones_writes_nothing(corpus_dir, tmp_path):
    (good,) = corpus_dir.glob("004_*.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")
    before = counts()
    with pytest.raises(UnreadableDocument):
        run_import([str(good), str(bad)])
    assert counts() == before


def test_a_data_table_with_an_unknown_header_is_held_whole_and_nothing_of_it_written(tmp_path):
    from giamsat.ingest.models import HeldTable

    rows = "".join(f"\t{n}\n\tAlpha {n}\n\tBeta\n\n" for n in range(1, 6))
    path = tmp_path / "table.txt"
    path.write_text("PHỤ LỤC 09:\nBẢNG\n\tSố\n\tCột A\n\tCột B\n\n" + rows, encoding="utf-8")
    before = counts()
    summary = run_import([str(path)], as_of=datetime.date(2025, 7, 1))
    assert counts()[:-1] == before[:-1]  # the import itself is recorded, with the table
    (held,) = summary["files"][0]["held_tables"]
    assert held["line"] == 3 and held["header"] == ["Số", "Cột A", "Cột B"]
    assert held["row_count"] == 5 and held["rows"][0] == {"line": 7, "cells": ["1", "Alpha 1",
                                                                               "Beta"]}
    stored = HeldTable.objects.get()
    assert [row["line"] for row in stored.rows] == [7, 11, 15, 19, 23]
    assert stored.rows[4]["cells"] == ["5", "Alpha 5", "Beta"]
    assert [w["line"] for w in summary["files"][0]["warnings"]] == [3]


def test_two_proposed_indicators_whose_codes_would_be_the_same(tmp_path):
    """Names that differ only where a code's slug does not look (found by the fuzz test
    above: the second proposal's code was taken, and the import failed half-way)."""
    path = tmp_path / "hai-chi-tieu.txt"
    path.write_text("BÁO CÁO\nTình hình chuyển đổi số tháng 9 năm 2025\n\n"
                    "- Tỷ lệ thuê bao trên mạng lõi ABC đạt 45,5%.\n"
                    "- Tỷ lệ thuê bao trên mạng lõi-ABC đạt 47,5%.\n", encoding="utf-8")
    summary = run_import([str(path)])
    assert summary["totals"]["indicators_proposed"] == 2
    codes = sorted(Indicator.objects.filter(proposed=True).values_list("code", flat=True))
    assert codes == ["de-xuat-ty-le-thue-bao-tren-mang-loi-abc",
                     "de-xuat-ty-le-thue-bao-tren-mang-loi-abc-2"]
    assert Observation.objects.filter(indicator__proposed=True).count() == 2


SMALL_PLAN = Path(__file__).resolve().parents[1] / "data" / "small_plan.txt"
JULY = datetime.date(2025, 7, 1)


def test_records_are_decided_before_the_write_transaction_opens(corpus_dir):
    """On SQLite the import's transaction holds the database's one write lock: reading,
    resolving names and deciding every record happen before it, writing nothing."""
    (path,) = corpus_dir.glob("004_*.txt")
    outside = len(connection.atomic_blocks)  # the test's own transaction
    levels, writes = set(), []

    def watch(execute, sql, params, many, context):
        if len(connection.atomic_blocks) == outside and sql.lstrip()[:6].upper() in (
                "INSERT", "UPDATE", "DELETE"):
            writes.append(sql[:80])
        return execute(sql, params, many, context)

    def progress(done, total, name):
        levels.add(len(connection.atomic_blocks))

    with connection.execute_wrapper(watch):
        summary = run_import([str(path)], progress=progress)
    assert summary["totals"]["tasks_created"] > 400
    assert levels == {outside}  # every record decided outside the import's transaction
    # Outside it only the catalogue's indicators, in a short transaction of their own.
    assert writes == []


def test_what_is_written_while_an_import_decides_is_decided_again(monkeypatch):
    """Between deciding and writing, someone else imports the same plan: the decisions
    are made again under the lock, and the tasks are not made twice."""
    prepare = write._Writer.prepare
    meanwhile = []

    def someone_else_first(self):
        if not meanwhile:
            meanwhile.append(None)  # its own import decides undisturbed
            meanwhile[0] = run_import([str(SMALL_PLAN)], as_of=JULY)
        return prepare(self)

    monkeypatch.setattr(write._Writer, "prepare", someone_else_first)
    summary = run_import([str(SMALL_PLAN)], as_of=JULY)
    assert meanwhile[0]["totals"]["tasks_created"] == 2
    assert summary["totals"]["tasks_created"] == 0
    assert Task.objects.count() == 2 and ImportRun.objects.count() == 2

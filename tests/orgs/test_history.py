import datetime

from giamsat.orgs.history import OrgGraph, predecessors, successors
from giamsat.orgs.models import Organisation

D = datetime.date


def get(slug):
    return Organisation.objects.get(slug=slug)


def test_successors_on_a_date(db):
    mic = get("bo-thong-tin-va-truyen-thong")
    assert successors(mic, D(2025, 2, 1)) == [mic]
    assert [o.name for o in successors(mic, D(2025, 3, 1))] == ["Bộ Khoa học và Công nghệ"]


def test_transfers_of_functions_do_not_carry_tasks(db):
    # Press and publishing moved to the culture ministry; the successor is still MOST.
    mic = get("bo-thong-tin-va-truyen-thong")
    assert "Bộ Văn hóa, Thể thao và Du lịch" not in {o.name for o in successors(mic, D(2026, 1, 1))}


def test_successors_chain_through_two_events(db):
    hue = get("thua-thien-hue")
    (current,) = successors(hue, D(2025, 9, 1))
    assert current.slug == "hue" and current.valid_from == D(2025, 7, 1)


def test_predecessors_are_transitive(db):
    names = [o.name for o in predecessors(get("hue"))]
    assert names == ["Huế", "Thừa Thiên Huế"]
    assert {o.name for o in predecessors(get("ho-chi-minh"))} == {
        "Bà Rịa - Vũng Tàu", "Bình Dương", "Hồ Chí Minh"
    }


def test_before_existence_there_is_no_successor(db):
    graph = OrgGraph.load()
    assert graph.successors(get("tuyen-quang"), D(2025, 1, 1)) == []

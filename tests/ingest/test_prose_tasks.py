"""Readers of tasks written as prose lists: bullet tasks, proposals, problem groups."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import giamsat
from giamsat.ingest.prose.agencies import agencies_in
from giamsat.ingest.prose.bullets import read_bullet_tasks, read_proposal_tasks
from giamsat.ingest.prose.problems import PROBLEM_LABELS, read_problem_groups
from giamsat.ingest.prose.toolkit import (
    NOISE,
    fold_aligned,
    heading_shape,
    is_appendix_heading,
    tokenise,
    whole_parenthesis,
)
from giamsat.ingest.records import SectionKind, TaskRecord, Warning
from giamsat.tasks.deadlines import DeadlineKind, parse_deadline

READERS = [read_bullet_tasks, read_proposal_tasks, read_problem_groups]


def read(reader, text_or_lines, claimed=None):
    lines = text_or_lines.splitlines() if isinstance(text_or_lines, str) else text_or_lines
    claimed = set() if claimed is None else claimed
    sections, warnings = reader(lines, claimed)
    records = [record for section in sections for record in section.records]
    return sections, records, warnings, claimed


def by_line(records: list[TaskRecord]) -> dict[int, TaskRecord]:
    return {record.line: record for record in records}


def understood(deadline: str) -> bool:
    return parse_deadline(deadline).kind not in (DeadlineKind.UNPARSED, DeadlineKind.NONE)


# ---------------------------------------------------------------------------------------
# Bullet tasks: corpus 001, the draft 2025 action plan


@pytest.fixture(scope="module")
def plan(corpus_text):
    text = corpus_text("001")
    return text, *read(read_bullet_tasks, text)


@pytest.mark.corpus
def test_001_every_task_is_read_with_title_leads_and_deadline(plan):
    text, sections, records, warnings, _ = plan
    assert len(records) == text.count("Thời hạn hoàn thành") == 99
    assert warnings == []
    (section,) = sections
    assert (section.title, section.kind, section.line) == (
        "II. NHIỆM VỤ TRIỂN KHAI", SectionKind.BULLET_TASKS, 93)
    for record in records:
        assert record.title and record.leads and record.area, record
        assert understood(record.deadline), record
    areas = list(dict.fromkeys(record.area for record in records))
    assert areas == [
        "Về nhận thức số", "Thể chế số", "Hạ tầng số", "Dữ liệu số", "Nhân lực số",
        "An toàn, an ninh mạng", "Chính phủ số", "Kinh tế số", "Xã hội số",
    ]


@pytest.mark.corpus
def test_001_first_task_with_wrapped_title_and_coordinators(plan):
    text, _, records, _, _ = plan
    task = by_line(records)[106]
    assert task.title.startswith("Xây dựng, trình Thủ tướng Chính phủ ban hành và tổ chức")
    assert "Nghị quyết 57-NQ/TW theo hướng" in task.title  # "57-" + "NQ/TW" rejoined
    assert task.title.endswith("có mục tiêu cụ thể.")
    assert task.area == "Về nhận thức số"
    assert task.expected_output == "Quyết định của Thủ tướng Chính phủ."
    assert task.leads == "Bộ Thông tin và Truyền thông"
    assert task.coordinators == (
        "Ban Tuyên giáo Trung ương; các bộ, ngành, địa phương; VTV, VOV, TTXVN")
    assert task.deadline == "Tháng 6/2025"
    assert task.raw == "\n".join(text.splitlines()[105:118])


@pytest.mark.corpus
def test_001_tasks_missing_a_label_or_with_an_empty_one(plan):
    _, _, records, _, _ = plan
    tasks = by_line(records)
    no_coordinators = tasks[1272]  # no "+ Cơ quan phối hợp" line at all
    assert no_coordinators.leads == "Ngân hàng Nhà nước Việt Nam"
    assert (no_coordinators.coordinators, no_coordinators.deadline) == ("", "Tháng 12/2025")
    empty_coordinators = tasks[1252]  # "+ Cơ quan phối hợp: " with nothing after it
    assert empty_coordinators.title.startswith("Triển khai các giải pháp để mỗi người dân")
    assert (empty_coordinators.leads, empty_coordinators.coordinators) == ("Bộ Công an", "")
    assert empty_coordinators.area == "Xã hội số"  # heading "9. Xã hội số."
    assert tasks[348].coordinators == "" and tasks[348].leads == "Bộ Công an"
    # 10 tasks without the label, 6 with it empty ("+ Cơ quan phối hợp:" at 933, 966, …)
    assert [line for line, task in tasks.items() if not task.coordinators] == [
        146, 348, 632, 642, 755, 926, 958, 1007, 1014, 1025, 1036, 1045, 1192, 1230, 1252, 1272]


@pytest.mark.corpus
def test_001_short_lead_label_and_long_lead_list(plan):
    _, _, records, _, _ = plan
    task = by_line(records)[984]  # "+ Cơ quan chủ trì:", not "… tổ chức triển khai:"
    assert task.title.startswith("Hoàn thành việc triển khai các nhiệm vụ phục vụ chuyển đổi số")
    assert "(10) Đẩy mạnh thực hiện Chỉ thị 18" in task.title  # not taken for a heading
    assert task.leads.startswith("Bộ Công an, Bộ Lao động Thương binh và Xã hội,")
    assert task.leads.endswith("Bộ Khoa học và Công nghệ, Bộ Tài chính")
    assert task.expected_output == "Các nhiệm vụ được triển khai"
    assert task.area == "Kinh tế số"


@pytest.mark.corpus
def test_001_page_breaks_inside_tasks_are_skipped(plan):
    _, _, records, _, _ = plan
    tasks = by_line(records)
    before_page_6 = tasks[270]  # page number "6" between "phối hợp" and "Thời hạn"
    assert before_page_6.coordinators == "Các bộ, ngành có liên quan"
    assert before_page_6.deadline == "Thường xuyên"
    assert "6" in map(str.strip, before_page_6.raw.splitlines())  # raw keeps the page break
    before_page_20 = tasks[1125]  # page number "20" after "Kết quả thực hiện"
    assert before_page_20.expected_output == "Chương trình hỗ trơ được triển khai."
    assert before_page_20.leads == "Bộ Văn hóa, Thể thao và Du lịch"
    assert before_page_20.deadline == "Tháng 06/2025"
    for record in records:
        assert "20 +" not in record.expected_output and " 6 " not in record.coordinators


@pytest.mark.corpus
def test_001_targets_and_the_last_part_are_not_claimed(plan):
    text, _, _, _, claimed = plan
    lines = text.splitlines()
    assert lines[17].startswith("- Tỉ lệ hồ sơ trực tuyến toàn trình")  # a target, line 18
    assert min(claimed) == 93 and max(claimed) == 1279
    assert lines[1282].startswith("- Uỷ ban Quốc gia")  # "III. TỔ CHỨC THỰC HIỆN", line 1283
    assert {95, 101, 1281, 1283}.isdisjoint(claimed)


@pytest.mark.corpus
def test_001_claimed_lines_are_respected(plan):
    text, _, _, _, claimed = plan
    lines = text.splitlines()
    assert read(read_bullet_tasks, lines, set(claimed))[1] == []  # all taken already
    taken = {106, 1272}  # another reader took two title lines
    _, again, _, now = read(read_bullet_tasks, lines, set(taken))
    assert len(again) == 97
    assert {106, 1272} <= now and not {r.line for r in again} & taken


@pytest.mark.corpus
def test_001_in_decomposed_unicode_reads_the_same(plan):
    text, _, records, _, _ = plan
    nfd = [unicodedata.normalize("NFD", line) for line in text.splitlines()]
    _, decomposed, warnings, _ = read(read_bullet_tasks, nfd)
    assert warnings == []
    assert [(r.title, r.leads, r.deadline) for r in decomposed] == [
        (r.title, r.leads, r.deadline) for r in records]
    assert decomposed[0].raw == "\n".join(nfd[105:118])  # raw stays as it was written


NOISY = [
    "II. NHIỆM VỤ",
    " 1. Về thể chế",
    "- Xây dựng Nghị định về",
    "dữ liệu mở.",
    "+ Kết quả thực hiện : Nghị định",
    "  ",
    "DỰ THẢO",
    "12",
    "\u00a0",
    "+ Cơ quan chủ trì: Bộ Công an,",
    "",
    "Bộ Tư pháp.\u00a0 ",
    "Cơ quan phối hợp: Các bộ",
    "+Thời hạn hoàn thành:",
    "Quý I/2025.",
    "",
    "- Tổ chức hội nghị.",
    "+ Thời hạn: Hằng năm",
]


def test_page_break_noise_inside_a_block_is_skipped_not_glued():
    sections, records, warnings, claimed = read(read_bullet_tasks, NOISY)
    assert warnings == [Warning(17, "Task without a lead agency: “Tổ chức hội nghị.”")]
    first, second = records
    assert first.title == "Xây dựng Nghị định về dữ liệu mở."
    assert first.expected_output == "Nghị định"
    assert first.leads == "Bộ Công an, Bộ Tư pháp"  # wrapped over the page break
    assert first.coordinators == "Các bộ"  # a label without "+" inside a task
    assert first.deadline == "Quý I/2025"
    assert first.area == "Về thể chế" and sections[0].title == "II. NHIỆM VỤ"
    assert first.raw == "\n".join(NOISY[2:15])
    assert (second.line, second.deadline) == (17, "Hằng năm")
    assert claimed == set(range(1, 16)) | {17, 18}


def test_unknown_label_and_text_after_the_deadline_are_warned():
    lines = [
        "- Xây dựng kho dữ liệu.",
        "+ Cơ quan chủ trì: Bộ Y tế.",
        "+ Kinh phí: ngân sách nhà nước",
        "năm 2025.",
        "+ Thời hạn hoàn thành: Tháng 6/2025.",
        "Ghi nhận thêm về nhiệm vụ.",
        "+ Cơ quan phối hợp: Bộ Tài chính.",
    ]
    _, (task,), warnings, claimed = read(read_bullet_tasks, lines)
    assert warnings == [
        Warning(3, "Unknown field, not read: “+ Kinh phí: ngân sách nhà nước năm 2025.”"),
        Warning(6, "Text after the deadline, not read: “Ghi nhận thêm về nhiệm vụ.”"),
    ]
    assert (task.leads, task.coordinators, task.deadline) == ("Bộ Y tế", "Bộ Tài chính",
                                                              "Tháng 6/2025")
    assert claimed == set(range(1, 8))  # reported lines are taken: nothing is read twice


def test_text_between_two_tasks_is_warned_and_text_after_the_list_is_left():
    lines = [
        "- Nhiệm vụ A.",
        "+ Thời hạn: Tháng 6/2025.",
        "",
        "Đoạn văn chen giữa hai nhiệm vụ.",
        "- Ghi chú không phải nhiệm vụ.",
        "- Nhiệm vụ B.",
        "+ Cơ quan chủ trì: Bộ Y tế.",
        "+ Thời hạn: Quý II/2025.",
        "",
        "Đoạn kết của văn bản.",
    ]
    _, tasks, warnings, claimed = read(read_bullet_tasks, lines)
    assert [(t.title, t.deadline) for t in tasks] == [("Nhiệm vụ A.", "Tháng 6/2025"),
                                                       ("Nhiệm vụ B.", "Quý II/2025")]
    assert [(w.line, w.message.split(":")[0]) for w in warnings] == [
        (1, "Task without a lead agency"),
        (4, "Text between tasks, not read"),
        (5, "Text between tasks, not read"),
    ]
    assert claimed == {1, 2, 4, 5, 6, 7, 8}  # the closing paragraph is left to others


def test_tab_lines_and_plain_bullets_are_never_taken():
    lines = [
        "- Mục tiêu: 80% hồ sơ trực tuyến.",  # a target: no "+ label:" follows
        "- Xây dựng Đề án.",
        "\t+ Cơ quan chủ trì: Bộ Nội vụ.",  # a table cell ends the block
        "+ Thời hạn: Tháng 5/2025.",
    ]
    assert read(read_bullet_tasks, lines)[1:] == ([], [], set())


# ---------------------------------------------------------------------------------------
# Proposal lists: corpus 000, the April 2025 report


@pytest.mark.corpus
def test_000_proposals_under_their_lead_agencies(corpus_text):
    text = corpus_text("000")
    sections, records, warnings, claimed = read(read_proposal_tasks, text)
    assert warnings == []
    assert [(s.title, s.kind) for s in sections] == [
        ("IV. ĐỀ XUẤT, KIẾN NGHỊ", SectionKind.BULLET_TASKS)]
    assert len(records) == 10
    assert [r.leads for r in records] == ["Bộ Khoa học và Công nghệ"] * 8 + [
        "Các bộ, ngành, địa phương"] * 2
    assert all(understood(r.deadline) for r in records)
    tasks = by_line(records)
    assert tasks[982].title == ("Xây dựng trình Thủ tướng Chính phủ ban hành Chương trình phát "
                                "triển kinh tế số, xã hội số.")
    assert tasks[982].deadline == "tháng 6/2025"
    assert tasks[982].area == "Về phát triển kinh tế số, xã hội số"
    assert tasks[998].deadline == "tháng 6/2025"  # "Thời hạn:" on a line of its own
    assert tasks[1016].deadline == "tháng 9/2025"  # "Thời" / "hạn: …" cut by the line end
    assert tasks[1024].deadline == "tháng 5/2025"
    assert tasks[1032].title.endswith("tạo lập niềm tin số.")
    assert 1039 not in claimed  # "… kính báo cáo Chính phủ" follows the last item
    assert 842 not in claimed  # "- Các bộ, ngành khẩn trương …:" is no list of agencies
    assert read(read_bullet_tasks, text)[1] == []  # not the bullet-task structure


# ---------------------------------------------------------------------------------------
# Problem groups: corpus 004, appendix 07


@pytest.fixture(scope="module")
def appendix(corpus_text):
    text = corpus_text("004")
    return text, *read(read_problem_groups, text)


@pytest.mark.corpus
def test_004_all_25_groups_and_the_unnumbered_one(appendix):
    text, sections, records, warnings, claimed = appendix
    assert warnings == []
    (section,) = sections
    assert section.title.startswith("PHỤ LỤC 07: BÁO CÁO TỔNG HỢP CÁC VẤN ĐỀ KIỂM TRA")
    assert section.title.endswith("THEO MÔ HÌNH CHÍNH QUYỀN ĐỊA PHƯƠNG 02 CẤP")
    assert (section.kind, section.line) == (SectionKind.PROBLEMS, 4414)
    numbered = [r for r in records if r.number]
    assert [r.number for r in numbered] == [f"{n}." for n in range(1, 26)]
    for record in records:
        assert record.title and record.leads and record.expected_output, record
        assert understood(record.deadline), record
    lines = text.splitlines()
    assert min(claimed) == 4414 and not any(lines[n - 1].startswith("\t") for n in claimed)
    assert {4416, 4418, 4419, 4420}.isdisjoint(claimed)  # the introduction is not a group


@pytest.mark.corpus
def test_004_group_fields(appendix):
    _, _, records, _, _ = appendix
    groups = {record.number: record for record in records}
    first = groups["1."]
    assert first.title == "Chưa ban hành, công bố, công khai đầy đủ quy trình nội bộ"
    assert first.area == "Về Thủ tục hành chính"
    assert first.notes.startswith("(i) Các quy trình nội bộ thực hiện thủ tục hành chính")
    assert first.expected_output.startswith("(i) UBND các tỉnh khẩn trương rà soát")
    assert first.leads.split("; ")[:4] == ["UBND các tỉnh", "Các Bộ", "Bộ Tài chính",
                                           "Bộ Công Thương"]
    assert first.deadline == "Tháng 7/2025"
    assert groups["2."].deadline == "Trước ngày 25/7/2025"
    assert groups["2."].leads == "UBND các tỉnh; Bộ Tư pháp"
    assert groups["5."].leads == "Bộ Công an; Bộ Xây dựng; Các bộ"
    assert groups["5."].coordinators == "các bộ, ngành, địa phương"
    assert groups["6."].deadline == "31/12/2025"
    assert groups["7."].leads == "UBND các tỉnh; Các Bộ; Bộ Tài chính"  # "(Bộ Tài chính …)"
    assert groups["8."].leads == "Ban Cơ yếu Chính phủ; UBND các tỉnh"
    assert groups["8."].area == "Về nhân lực"
    assert groups["13."].leads == "Bộ Công an; UBND các tỉnh"  # "Bộ Công an và UBND …"
    assert groups["15."].leads == "Bộ Công an; Bộ Khoa học và Công nghệ"  # "… hoặc …"
    assert groups["16."].coordinators == "doanh nghiệp viễn thông"
    assert groups["19."].leads == (
        "Các bộ (Công an, Tư pháp, Tài chính, Nông nghiệp và Môi trường...)")
    assert groups["20."].deadline == "Trước ngày 20/7/2025"
    assert groups["24."].coordinators == "Bộ Khoa học và Công nghệ; Văn phòng Chính phủ"
    assert groups["25."].area == "Về An toàn thông tin, an ninh mạng"


@pytest.mark.corpus
def test_004_part_h_is_a_group_titled_by_its_heading(appendix):
    _, _, records, _, _ = appendix
    last = records[-1]
    assert (last.line, last.number) == (4608, "")
    assert last.title == "Về Đường truyền phục vụ chính quyền địa phương 02 cấp"
    assert last.leads == "Các doanh nghiệp viễn thông"
    assert last.deadline == "Thường xuyên"  # "Thường xuyên./."
    assert last.notes.startswith("Bộ Khoa học và Công nghệ đã có Văn bản số 2827/BKHCN-CVT")
    assert last.expected_output.startswith("Các doanh nghiệp viễn thông tiếp tục duy trì")


@pytest.mark.corpus
def test_numbered_lists_without_problem_labels_are_not_groups(corpus_text):
    for prefix in ("000", "001", "003"):
        assert read(read_problem_groups, corpus_text(prefix))[1:] == ([], [], set())


def test_problem_group_with_wrapped_lines_and_noise():
    lines = [
        "PHỤ LỤC 07:",
        "CÁC VẤN ĐỀ",
        "A. Về dữ liệu",
        "1. Dữ liệu chưa",
        "đồng bộ",
        "Vấn đề: Nhiều hệ thống",
        "",
        "7",
        "chưa kết nối.",
        "Giải pháp:",
        "Bộ Công an chủ trì, phối hợp với",
        "Bộ Tài chính rà soát.",
        "Thời hạn hoàn thành:",
        "Tháng 9/2025.",
        "Lời cuối.",
    ]
    sections, (group,), warnings, claimed = read(read_problem_groups, lines)
    assert sections[0].title == "PHỤ LỤC 07: CÁC VẤN ĐỀ"
    assert (group.number, group.title, group.area) == ("1.", "Dữ liệu chưa đồng bộ", "Về dữ liệu")
    assert group.notes == "Nhiều hệ thống chưa kết nối."
    # "Bộ Tài chính" begins a line, not a sentence: it coordinates and does not lead.
    assert (group.leads, group.coordinators) == ("Bộ Công an", "Bộ Tài chính")
    assert group.deadline == "Tháng 9/2025"
    assert warnings == [Warning(15, "Text after the deadline, not read: “Lời cuối.”")]
    assert claimed == set(range(1, 16))


@pytest.mark.parametrize(
    ("sentence", "leads", "coordinators"),
    [
        ("(i) UBND các tỉnh khẩn trương rà soát, ban hành quy trình.", ["UBND các tỉnh"], []),
        ("+ Bộ Xây dựng nghiên cứu, xây dựng quy định.", ["Bộ Xây dựng"], []),
        ("Bộ Công an chủ trì, phối hợp với các bộ, ngành, địa phương rà soát.",
         ["Bộ Công an"], ["các bộ, ngành, địa phương"]),
        ("Bộ Văn hóa, Thể thao và Du lịch chủ trì, phối hợp Bộ Công an, Bộ Tài chính triển khai.",
         ["Bộ Văn hóa, Thể thao và Du lịch"], ["Bộ Công an", "Bộ Tài chính"]),
        ("Bộ Ngoại giao phối hợp với Ủy ban nhân dân các tỉnh để triển khai.",
         ["Bộ Ngoại giao"], ["Ủy ban nhân dân các tỉnh"]),
        ("Ban chỉ đạo chuyển đổi số của các bộ chỉ đạo, đôn đốc.",
         ["Ban chỉ đạo chuyển đổi số của các bộ"], []),
        ("Bổ sung quy định về thời hạn giải quyết thủ tục, triển khai ngay.", [], []),
        ("Cơ quan có thẩm quyền (HĐND) ban hành quy định.", ["Cơ quan có thẩm quyền (HĐND)"], []),
        ("Trong đó: tăng cường kiểm tra.", [], []),
    ],
)
def test_agencies_at_the_start_of_sentences(sentence, leads, coordinators):
    assert agencies_in(sentence) == (leads, coordinators)


# ---------------------------------------------------------------------------------------
# Any input

_PIECES = st.sampled_from([
    "- ", "+ ", "\t", "1. ", "A. ", "II. ", "PHỤ LỤC 07:", "Vấn đề:", "Giải pháp:",
    "Thời hạn: Tháng 6/2025.", "Cơ quan chủ trì:", "Bộ Công an chủ trì, phối hợp với ",
    "UBND các tỉnh rà soát", "(", ")", ".", ";", ":", " ", "6", "DỰ THẢO", "./.", "\u0301",
])
_LINE = st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=6).map("".join))


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, max_size=25), taken=st.sets(st.integers(-2, 30), max_size=5))
def test_readers_never_raise_and_respect_claimed_lines(lines, taken):
    for reader in READERS:
        claimed = set(taken)
        sections, warnings = reader(lines, claimed)
        assert not [w for w in warnings if "could not be read" in w.message]
        assert claimed >= taken
        for record in (r for s in sections for r in s.records):
            assert record.line not in taken and not lines[record.line - 1].startswith("\t")
            assert record.line in claimed


# An appendix of problem groups whatever comes between its title and its first group

DEMO_REPORT = Path(giamsat.__file__).parent / "data" / "demo_report.txt"


def _groups_of(lines):
    _sections, records, _warnings, _claimed = read(read_problem_groups, lines)
    return [(r.number, r.area, r.title, r.leads, r.coordinators, r.deadline, r.notes,
             r.expected_output) for r in records]


def _without(lines, *starts):
    return [line for line in lines if not line.startswith(starts)]


@pytest.mark.parametrize("change", [
    "no opening sentence",  # "(Kèm theo …)", a blank line, then "A. …": the group was lost
    "no opening sentence nor blank line",
    "opening without its colon",
    "title in sentence case, no Kèm theo line",
])
def test_the_first_group_is_read_whatever_precedes_it(change):
    lines = DEMO_REPORT.read_text(encoding="utf-8").splitlines()
    expected = _groups_of(lines)
    assert len(expected) == 2 and expected[0][2].startswith("Dữ liệu đất đai")
    intro = next(i for i, line in enumerate(lines) if line.startswith("Qua tổng hợp"))
    if change == "no opening sentence":
        changed = _without(lines, "Qua tổng hợp")
    elif change == "no opening sentence nor blank line":
        changed = lines[:intro - 1] + lines[intro + 1:]
    elif change == "opening without its colon":
        changed = [*lines[:intro], lines[intro].rstrip(":"), *lines[intro + 1:]]
    else:  # as a Word document with a capitals style holds it
        changed = [line.capitalize() if line == "CÁC VẤN ĐỀ VƯỚNG MẮC VÀ GIẢI PHÁP THÁO GỠ"
                   else line for line in _without(lines, "(Kèm theo", "Qua tổng hợp")]
        assert "Các vấn đề vướng mắc và giải pháp tháo gỡ" in changed
    assert _groups_of(changed) == expected


def test_numbered_groups_right_below_the_kem_theo_line():
    lines = [
        "PHỤ LỤC 07:",
        "CÁC VẤN ĐỀ VƯỚNG MẮC",
        "(Kèm theo Báo cáo số 12/BC-BKHCN ngày 06/10/2025 của Bộ Khoa học và Công nghệ)",
        "1. Dữ liệu chưa đồng bộ",
        "Vấn đề: Nhiều hệ thống chưa kết nối.",
        "Giải pháp: Bộ Công an rà soát.",
        "Thời hạn hoàn thành: Tháng 9/2025.",
        "2. Thiếu thiết bị",
        "Giải pháp: Bộ Tài chính bố trí kinh phí.",
        "Thời hạn hoàn thành: Tháng 12/2025.",
    ]
    _sections, records, warnings, claimed = read(read_problem_groups, lines)
    assert [(r.number, r.title, r.leads) for r in records] == [
        ("1.", "Dữ liệu chưa đồng bộ", "Bộ Công an"), ("2.", "Thiếu thiết bị", "Bộ Tài chính")]
    assert warnings == [] and claimed >= set(range(4, 11))


def test_a_whole_line_in_parentheses_is_a_finished_line():
    assert whole_parenthesis("(Kèm theo Báo cáo ngày 06/10/2025 của Bộ Khoa học và Công nghệ)")
    assert whole_parenthesis("(Ban hành kèm theo Quyết định số 749/QĐ-TTg (sửa đổi))")
    assert not whole_parenthesis("(i) Bộ Tài chính (chủ trì)")
    assert not whole_parenthesis("(10) Đẩy mạnh")


# Nothing is dropped silently: every line of a problem-group appendix is read into a group,
# is its title or opening (before its first heading or label), or is named by a warning.
# Blank lines and page furniture (page numbers, "DỰ THẢO") are not content.

def _unaccounted(lines: list[str]) -> list[int]:
    sections, _records, warnings, claimed = read(read_problem_groups, lines)
    warned = {warning.line for warning in warnings}
    furniture = {token.number for token in tokenise(lines, set(), PROBLEM_LABELS)
                 if token.kind == NOISE}
    missing = []
    for section in sections:
        opening, covered = True, False
        for number in range(section.line + 1, len(lines) + 1):
            text = lines[number - 1]
            if text.startswith("\t") or is_appendix_heading(text):
                break
            if not text.strip() or number in furniture:
                continue
            starts = heading_shape(text.strip()) is not None or bool(
                PROBLEM_LABELS.match(fold_aligned(text.strip())))
            if opening and not starts:
                continue  # the title's lines, "(Kèm theo …)", the opening sentences
            opening = False
            if number in claimed:
                covered = False
                continue
            covered = covered or number in warned  # a warning names its run of lines
            if not covered:
                missing.append(number)
    return missing


@pytest.mark.corpus
def test_004_appendix_07_leaves_nothing_unaccounted(corpus_text):
    assert _unaccounted(corpus_text("004").splitlines()) == []


_APPENDIX_LINES = st.sampled_from([
    "PHỤ LỤC 07:", "CÁC VẤN ĐỀ VƯỚNG MẮC", "Các vấn đề vướng mắc",
    "(Kèm theo Báo cáo ngày 06 tháng 10 năm 2025 của Bộ Khoa học và Công nghệ)",
    "Qua tổng hợp, các nhóm vấn đề như sau:", "Qua tổng hợp, các nhóm vấn đề như sau",
    "A. Về Dữ liệu", "B. Về Hạ tầng", "1. Dữ liệu chưa đồng bộ", "2. Thiếu thiết bị",
    "Vấn đề:", "Vấn đề: Nhiều hệ thống chưa kết nối.", "Giải pháp:",
    "Bộ Công an chủ trì, phối hợp với", "Bộ Tài chính rà soát.", "UBND các tỉnh bố trí",
    "Thời hạn hoàn thành: Tháng 9/2025.", "Thời hạn hoàn thành:", "Lời cuối.", "", "7",
    "(i) Các quy trình chưa công khai", "Ghi chú: số liệu đến 30/9", "\tô bảng",
])


@settings(max_examples=300, deadline=None)
@given(body=st.lists(_APPENDIX_LINES, max_size=30))
def test_a_problem_group_appendix_leaves_nothing_unaccounted(body):
    assert _unaccounted(["Báo cáo", "", "PHỤ LỤC 07:", *body]) == []

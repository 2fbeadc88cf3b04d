"""Agencies as documents name them in running text, and lists of names split into names.

`agencies_in(paragraph)`: the lead agencies that begin a paragraph's sentences and those
after "phối hợp (với)"; "Bộ Công an chủ trì, phối hợp với các bộ, ngành, địa phương rà soát
…" gives (["Bộ Công an"], ["các bộ, ngành, địa phương"]).

`split_names(text)`: "Bộ Công an và UBND các tỉnh" → two names; "Bộ Văn hóa, Thể thao và Du
lịch" → one. Used for the agencies of a sentence and for lists of agencies named as behind.
"""

import csv
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from giamsat.lib.text import clean, fold

# Where an agency's name starts. Group words are complete names ("Các bộ rà soát");
# head words need at least one more word ("Bộ Tư pháp", "Ban chỉ đạo …").
_GROUP_WORDS = (
    r"Các [Bb]ộ|Các [Nn]gành|Các [Tt]ỉnh|Các địa phương|Địa phương|Các doanh nghiệp"
    r"|Doanh nghiệp|Các cơ quan|Các [Ss]ở|Các [Bb]an|UBND|HĐND|Chính phủ|Thủ tướng"
    r"|Các [Tt]ập đoàn"
)
_HEAD_WORDS = (
    r"Bộ|Ban|Cục|Tổng cục|Sở|Viện|Đài|Ủy ban|Uỷ ban|Văn phòng|Ngân hàng|Công an|Thanh tra"
    r"|Kiểm toán|Bảo hiểm|Tòa án|Toà án|Thông tấn|Tập đoàn|Tổng công ty|Hội đồng|Trung tâm"
    r"|Cơ quan"
)
AGENCY_START = re.compile(rf"(?:(?P<group>{_GROUP_WORDS})|(?P<head>{_HEAD_WORDS}))(?=[\s,;(]|$)")
# Verbs that end a name: "UBND các tỉnh | khẩn trương rà soát". Lower case only, so that
# "Bộ Xây dựng" keeps its name; no verb here may occur in a name in lower case (hence
# not "giao": "Bộ Ngoại giao"; not "phát triển": "Bộ Nông nghiệp và phát triển nông thôn").
_VERBS = (
    "khẩn trương", "rà soát", "ban hành", "bổ sung", "nghiên cứu", "chủ trì", "phối hợp",
    "chỉ đạo", "tiếp tục", "hướng dẫn", "xây dựng", "cấu hình", "triển khai", "đảm bảo",
    "bảo đảm", "tăng cường", "thực hiện", "cập nhật", "kiểm tra", "làm nghiêm", "đẩy nhanh",
    "đẩy mạnh", "thống kê", "chuyển giao", "khắc phục", "cung cấp", "xóa", "xoá", "hoàn thành",
    "hoàn thiện", "công bố", "công khai", "đề xuất", "đề nghị", "tham mưu", "theo dõi",
    "đôn đốc", "yêu cầu", "báo cáo", "bố trí", "nâng cấp", "đánh giá", "cắt giảm", "sửa đổi",
    "thiết lập", "tích hợp", "kết nối", "duy trì", "giám sát", "tập trung", "ưu tiên",
    "chịu trách nhiệm", "có trách nhiệm", "cần", "phải", "sớm", "xem xét", "quy định",
    "số hóa", "số hoá", "chuẩn hóa", "chuẩn hoá", "phân công", "lựa chọn", "xác định", "chủ động",
    "hỗ trợ",
)
VERB = re.compile(r"(?<![\w])(?:" + "|".join(sorted(_VERBS, key=len, reverse=True))
                   + r")(?![\w])")
_COORDINATE = re.compile(r"(?<![\w])phối hợp(?:\s+với)?\s+")
_COORDINATION_ENDS = re.compile(r"(?<![\w])(?:để|nhằm|trong việc)(?![\w])|[.:!?]")
_SEPARATOR = re.compile(r",\s*|;\s*|\s+(?:và|hoặc|cùng)\s+")
MARKER = re.compile(r"^(?:\((?:[ivxlc]+|\d{1,2}|[a-zđ])\)|[-+*•]|[a-zđ]\)|\d{1,2}[.)])\s*")
_CLAUSE_START = re.compile(r"[.!?]\s+|\(")
_NAME_WORDS = 15  # longer "names" are sentences that happen to start like one


@dataclass
class Agencies:
    leads: list[str] = field(default_factory=list)
    coordinators: list[str] = field(default_factory=list)

    def add(self, names: list[str], coordinators: list[str]) -> None:
        _extend(self.leads, names)
        _extend(self.coordinators, coordinators)


def _extend(names: list[str], more: list[str]) -> None:
    known = {fold(name) for name in names}
    for name in more:
        if name and fold(name) not in known:
            names.append(name)
            known.add(fold(name))


def agencies_in(paragraph: str) -> tuple[list[str], list[str]]:
    """(leads, coordinators) named at the starts of the sentences of a paragraph.

    "Bộ Công an chủ trì, phối hợp với các bộ, ngành, địa phương rà soát …" gives
    (["Bộ Công an"], ["các bộ, ngành, địa phương"]).
    """
    text = clean(paragraph)
    while marker := MARKER.match(text):  # "(ii) + …": every marker consumes text
        text = text[marker.end():]
    found = Agencies()
    starts = [0, *(match.end() for match in _CLAUSE_START.finditer(text))]
    for start in starts:
        names, end = _names_at(text, start)
        if names:
            found.add(names, _coordinators_after(text, end))
    return found.leads, found.coordinators


def _names_at(text: str, start: int) -> tuple[list[str], int]:
    """The agency names that begin text at start and end before its verb; and the verb."""
    agency = AGENCY_START.match(text, start)
    if not agency:
        return [], start
    search_from = agency.end()
    if agency["head"]:  # "Bộ" alone is no name: the verb comes after its next word
        word = re.compile(r"\s+\S+").match(text, search_from)
        search_from = word.end() if word else len(text)
    verb = _first_outside_brackets(VERB, text, search_from, start, stop=";:.!?")
    if verb is None:
        return [], start
    region = text[start:verb.start()].strip(" ,")
    if not region or len(region.split()) > _NAME_WORDS:
        return [], start
    return split_names(region, always=""), verb.start()


def _coordinators_after(text: str, start: int) -> list[str]:
    """Names after "phối hợp (với)" in the clause, up to the next verb or "để"."""
    coordinate = _first_outside_brackets(_COORDINATE, text, start, start, stop=".!?")
    if coordinate is None:
        return []
    begin = coordinate.end()
    verb = _first_outside_brackets(VERB, text, begin, begin, stop="")
    ends = _first_outside_brackets(_COORDINATION_ENDS, text, begin, begin, stop="")
    end = min((m.start() for m in (verb, ends) if m is not None), default=len(text))
    region = text[begin:end].strip(" ,;")
    if not region or len(region.split()) > _NAME_WORDS:
        return []
    return split_names(region)


def _first_outside_brackets(pattern: re.Pattern[str], text: str, begin: int, origin: int,
                            stop: str) -> re.Match[str] | None:
    """First match of pattern from begin that is outside brackets opened after origin,
    before any character of stop outside brackets and before a bracket closes on origin."""
    depth = 0
    found = pattern.search(text, begin)
    for position in range(origin, len(text)):
        while found is not None and found.start() < position:  # as finditer would go on
            found = pattern.search(text, max(found.end(), found.start() + 1))
        if found is None:
            return None
        char = text[position]
        if depth == 0 and position >= begin and found.start() == position:
            return found
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:  # the clause was inside brackets, and they close
                return None
        elif depth == 0 and position >= begin and char in stop:
            return None
    return None


# --- Lists of names --------------------------------------------------------------------

_LIST_SEPARATOR = re.compile(r"\s*[,;]\s*|\s+(?:và|hoặc|cùng)\s+")
# A piece after a separator starts a new name when it starts with a capital or with
# "các …" in any case ("Bộ Công an và các bộ, ngành liên quan"); a bare "địa phương" or
# "ngành" goes on a group ("các bộ, ngành, địa phương").
_GROUP_START = re.compile(r"(?:các (?:bộ|ngành|tỉnh|địa phương|doanh nghiệp|cơ quan|sở|ban"
                          r"|tập đoàn)|ubnd|hđnd)(?=[\s,;(]|$)", re.IGNORECASE)
_REFERENCE = Path(__file__).resolve().parents[2] / "orgs" / "data" / "organisations.csv"


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s&]|_", " ", fold(text)).split())


@functools.cache
def _compound_names() -> frozenset[str]:
    """Organisation names that contain "," or "và" ("Bộ Văn hóa, Thể thao và Du lịch"),
    from the reference organisations, so that splitting a list does not cut them."""
    try:
        with open(_REFERENCE, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError:
        return frozenset()
    names = set()
    for row in rows:
        for name in [row.get("name") or "", *(row.get("aliases") or "").split(";")]:
            if "," in name or " và " in name:
                names.add(_words(name))
    return frozenset(names)


def _part_of_a_name(text: str) -> bool:
    key = _words(text)
    return any(name == key or name.startswith(key + " ") for name in _compound_names())


def split_names(region: str, always: str = ";") -> list[str]:
    """The names in a list as written, cut at commas, semicolons, "và", "hoặc", "cùng"
    outside brackets where a new name starts: "Bộ Công an và UBND các tỉnh" → two names,
    "Bộ Văn hóa, Thể thao và Du lịch" → one (a known name is never cut), "Sở Thông tin và
    truyền thông" → one (a lower-case word goes on a name). The characters in `always`
    cut wherever they stand outside brackets."""
    names: list[str] = []
    start = position = depth = 0
    while position < len(region):
        char = region[position]
        depth += (char == "(") - (char == ")")
        separator = _LIST_SEPARATOR.match(region, position) if depth == 0 else None
        if separator and separator.end() < len(region) and (
                char in always or _starts_name(region, start, separator)):
            names.append(region[start:position])
            start = position = separator.end()
            continue
        position += 1
    names.append(region[start:])
    return [name for name in (clean(n).strip(" ,;.") for n in names) if name]


def _starts_name(region: str, start: int, separator: re.Match) -> bool:
    after = separator.end()
    if _GROUP_START.match(region, after) or AGENCY_START.match(region, after):
        following = _LIST_SEPARATOR.search(region, after)
        piece_end = following.start() if following else len(region)
        # "Bộ Văn hóa" + ", " + "Thể thao": still inside a known name.
        return not _part_of_a_name(region[start:piece_end])
    if not region[after:after + 1].isupper():
        return False
    following = _LIST_SEPARATOR.search(region, after)
    piece_end = following.start() if following else len(region)
    return not _part_of_a_name(region[start:piece_end])

"""References to documents inside text: the evidence of a completed task, a directive.

"Quyết định số 1169/QĐ-TTg ngày 16/6/2025", "Văn bản số 592/BKHCN-VCL ngày 31/3/2025",
"QĐ 933/QĐ-TTg ngày 19/4/2024", "Thông báo số 27-TB/TGV ngày 08/6/2025",
"Nghị quyết số 193/2025/QH15 ngày 19 tháng 02 năm 2025", "Nghị quyết 71/NQ-CP".

A reference is a kind word, an optional "số", a number with a slash, and an optional
"ngày …" date. The number must contain "/" (that is what makes "Nghị quyết số 71/NQ-CP" a
document and "Nghị quyết của Quốc hội" a mere kind of output).
"""

import datetime
import re
from dataclasses import asdict, dataclass

from giamsat.lib.text import clean, fold

# Folded kind words, longest first so that "nghi quyet" does not hide "nghi dinh".
KINDS = {
    "nghi quyet": "resolution",
    "nq": "resolution",
    "quyet dinh": "decision",
    "qd": "decision",
    "chi thi": "directive",
    "thong bao": "notice",
    "ke hoach": "plan",
    "chuong trinh": "programme",
    "cong van": "letter",
    "van ban": "letter",
    "ket luan": "conclusion",
    "nghi dinh": "decree",
    "thong tu": "circular",
    "to trinh": "submission",
    "bao cao": "report",
    "luat": "law",
}
_KIND_WORDS = "|".join(sorted(KINDS, key=len, reverse=True))
# Matched on fold(text), which keeps character positions for NFC input of Vietnamese
# (each letter folds to one letter), so raw text can be cut at the same offsets.
_REFERENCE = re.compile(
    rf"\b(?P<kind>{_KIND_WORDS})\s+(?:so\s*:?\s*)?"
    r"(?P<number>\d+[\w.\-]*/[\w.\-/&]*\w)"
    r"(?:\s*,?\s*ngay\s+(?P<date>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    r"|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}))?",
)
_DATE_PARTS = re.compile(r"\d+")


@dataclass(frozen=True)
class DocumentReference:
    kind: str  # resolution, decision, decree, letter, … (see KINDS)
    number: str  # as written, e.g. "1169/QĐ-TTg"
    date: datetime.date | None
    raw: str  # the words of the text that made the reference

    def as_json(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data


def find_references(text: str) -> list[DocumentReference]:
    """Every document reference in text, in order, each once."""
    text = clean(text)
    folded = fold(text)
    if len(folded) != len(text):  # a rare character that folds to several: no offsets
        text = folded
    found, seen = [], set()
    for match in _REFERENCE.finditer(folded):
        number = text[match.start("number"):match.end("number")]
        reference = DocumentReference(
            kind=KINDS[match["kind"]],
            number=number,
            date=_date(match["date"]),
            raw=text[match.start():match.end()],
        )
        key = (reference.kind, fold(reference.number), reference.date)
        if key not in seen:
            seen.add(key)
            found.append(reference)
    return found


def _date(text: str | None) -> datetime.date | None:
    if not text:
        return None
    day, month, year = (int(part) for part in _DATE_PARTS.findall(text))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None

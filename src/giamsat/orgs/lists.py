"""Lists of agencies as documents write them, resolved name by name.

"Ban Tuyên giáo Trung ương; các bộ, ngành, địa phương", "Bộ Công an, Bộ Quốc phòng",
"Bộ Tài chính và các bộ, ngành liên quan", "VTV, VOV, TTXVN, các địa phương".

Commas separate names but also sit inside group phrases ("các bộ, ngành, địa phương"),
and "và" joins names but also sits inside them ("Bộ Khoa học và Công nghệ"). So the list
is cut at every separator and the pieces are joined back greedily: the longest run of
pieces that resolves surely is one name.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from giamsat.orgs.resolve import Resolution, Resolver, Status

_SEPARATORS = re.compile(r"\s*(?:[;,\n]|\s-\s|\s+và\s+|\s+với\s+|\s+cùng\s+)\s*", re.IGNORECASE)
_MAX_JOIN = 4  # "các bộ, ngành, địa phương" is three pieces
# Words that carry no name at all.
_FILLER = re.compile(r"^(?:v\.v\.?|…|\.\.\.|-|\+)$")
# "các cơ quan, đơn vị liên quan": some bodies, unnamed. Kept, as unsure, for a person.
_RELATED = re.compile(
    r"^(?:các |những )?(?:cơ quan|đơn vị|tổ chức)(?:,? (?:cơ quan|đơn vị|tổ chức))*"
    r"(?: có)? liên quan$", re.IGNORECASE,
)


@dataclass(frozen=True)
class NamedAgency:
    text: str  # the name as written
    resolution: Resolution
    span: tuple[int, int] = (0, 0)  # the pieces of the list it was made of


# "Các bộ (Công an, Tư pháp, Tài chính…)", "Các Bộ: Khoa học và Công nghệ, Tài chính, Y
# tế": ministries named by what follows "Bộ".
_MINISTRIES_LISTED = re.compile(r"\b(?:các\s+)?bộ\s*:?\s*\(([^()]+)\)"
                                r"|\bcác\s+bộ\s*:\s*([^;()]+)", re.IGNORECASE)
# "Văn phòng Chính phủ (Cổng Dịch vụ công quốc gia)": the unit inside is not the agency.
_ASIDE = re.compile(r"\s*\([^()]*\)")


def _expand(text: str) -> str:
    def ministries(match: re.Match) -> str:
        names = [n.strip(" .…") for n in re.split(r"[,;]", match[1] or match[2])]
        return "; ".join(f"Bộ {name}" for name in names if name)

    return _ASIDE.sub("", _MINISTRIES_LISTED.sub(ministries, text))


def resolve_list(text: str, on: datetime.date, resolver: Resolver) -> list[NamedAgency]:
    """Each name in text with what it resolves to on `on`, in the order written."""
    text = _expand(text or "")
    pieces = _pieces(text)
    found, start = [], 0
    while start < len(pieces):
        for end in range(min(len(pieces), start + _MAX_JOIN), start, -1):
            # The words as written from the first piece to the last, separators included.
            candidate = text[pieces[start][0]:pieces[end - 1][1]]
            if _RELATED.match(candidate):
                found.append(NamedAgency(candidate, _unnamed(candidate, on), (start, end)))
                break
            single = end == start + 1
            resolution = resolver.resolve(candidate, on, close=single)
            if resolution.status not in (Status.UNSURE, Status.UNKNOWN) or single:
                found.append(NamedAgency(candidate, resolution, (start, end)))
                break
        start = end
    return _unknown_runs_joined(text, pieces, found, on, resolver)


_JOINER = re.compile(r"^\s*và\s*$", re.IGNORECASE)


def _unknown_runs_joined(text, pieces, found: list[NamedAgency], on, resolver) -> list:
    """"Sở Khoa học và Công nghệ": when neither side of a "và" names anyone known, the
    two are one name the registry lacks, to be named once, not two halves. So too across
    a comma before a word in lower case, which goes on a name ("Cục Quản lý Khám, chữa
    bệnh"): a name after a comma starts with a capital."""
    joined: list[NamedAgency] = []
    for named in found:
        previous = joined[-1] if joined else None
        between = text[pieces[previous.span[1] - 1][1]:pieces[named.span[0]][0]] \
            if previous is not None else ""
        if previous is not None and _unknown(previous) and _unknown(named) and (
                _JOINER.match(between) or (between.strip() == "," and named.text[:1].islower())):
            start, end = previous.span[0], named.span[1]
            candidate = text[pieces[start][0]:pieces[end - 1][1]]
            joined[-1] = NamedAgency(candidate, resolver.resolve(candidate, on), (start, end))
            continue
        joined.append(named)
    return joined


def _unknown(named: NamedAgency) -> bool:
    return named.resolution.status == Status.UNKNOWN


def _pieces(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text between separators, trimmed, without filler."""
    spans, position = [], 0
    for separator in [*_SEPARATORS.finditer(text), None]:
        end = separator.start() if separator else len(text)
        piece = text[position:end]
        stripped = piece.strip(" .:")
        if stripped and not _FILLER.match(stripped):
            offset = position + piece.index(stripped)
            spans.append((offset, offset + len(stripped)))
        if separator:
            position = separator.end()
    return spans


def _unnamed(text: str, on: datetime.date) -> Resolution:
    return Resolution(
        text, on, Status.UNSURE, subset=True,
        message=_("“%(text)s” names related bodies without saying which.") % {"text": text},
    )

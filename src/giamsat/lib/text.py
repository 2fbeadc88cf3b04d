"""Vietnamese text helpers shared by import, name resolution, search and every page.

Documents arrive in NFC and NFD, with Hòa/Hoà spelling variants, en dashes and
non-breaking spaces. Everything that compares text goes through `clean()` (for display)
or `fold()` (for matching), so that two spellings of one name meet.
"""

import functools
import re
import unicodedata

_SPACES = re.compile(r"\s+")
_TRANSLATION = {
    **str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                     "\u2014": "-", "\u2212": "-", "\u00a0": " ",
                     # A zero-width space stands between words: removing it glues them.
                     "\u200b": " "}),
    # Characters that show nothing in Vietnamese text but change what it says or how it
    # sorts: a BOM inside the text, zero-width joiners, soft hyphens, and the
    # bidirectional marks and overrides that can make "=cmd" look like "dmc=" (Trojan
    # Source).
    **dict.fromkeys(map(ord, "\u00ad\u200c\u200d\u200e\u200f\u2060\ufeff"
                             "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")),
}
# Placement of the tone mark differs between the "old" and "new" orthography
# (hoà / hòa, thuỷ / thủy); fold() erases both, clean() keeps what the author wrote.


# No text field of PostgreSQL can hold a NUL character: text from outside holding one is
# refused (web/middleware.py for URLs and forms, api/schemas.py for JSON bodies).
NUL = "\x00"


def holds_nul(text: str) -> bool:
    return NUL in text


@functools.lru_cache(maxsize=65536)
def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATION)
    return _SPACES.sub(" ", text).strip()


def clean(text: str) -> str:
    """NFC, one kind of dash and space, no invisible characters, collapsed whitespace,
    stripped. (Cached: every reader of an import cleans the same lines.)"""
    return _clean(text or "")


class _Unmarked(dict):
    """A str.translate table that drops combining marks, each looked up once."""

    def __missing__(self, code: int):
        value = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = value
        return value


_UNMARKED = _Unmarked({ord("đ"): "d", ord("Đ"): "D"})


def fold(text: str) -> str:
    """Key for matching and search: no diacritics, đ→d, casefolded, single spaces.

    "Bộ Khoa học và Công nghệ" → "bo khoa hoc va cong nghe".
    """
    return _fold(clean(text))


@functools.lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return unicodedata.normalize("NFD", text).translate(_UNMARKED).casefold()


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[:1] or char
    folded = base.replace("đ", "d").replace("Đ", "D").lower()
    return folded if len(folded) == 1 else char


def fold_aligned(text: str) -> str:
    """fold() letter by letter, so that a position in the result is one in text (which
    must be clean()ed already): regular expressions run on the folded text, and what they
    match is cut from the original at the same offsets."""
    return "".join(_fold_char(char) for char in text)

"""Vietnamese text helpers shared by import, name resolution and search.

Documents arrive in NFC and NFD, with Hòa/Hoà spelling variants, en dashes and
non-breaking spaces. Everything that compares text goes through `clean()` (for display)
or `fold()` (for matching), so that two spellings of one name meet.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
                         "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u200b": ""})
# Placement of the tone mark differs between the "old" and "new" orthography
# (hoà / hòa, thuỷ / thủy); fold() erases both, clean() keeps what the author wrote.


def clean(text: str) -> str:
    """NFC, one kind of dash and space, collapsed whitespace, stripped."""
    text = unicodedata.normalize("NFC", text or "").translate(_DASHES)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Key for matching and search: no diacritics, đ→d, casefolded, single spaces.

    "Bộ Khoa học và Công nghệ" → "bo khoa hoc va cong nghe".
    """
    decomposed = unicodedata.normalize("NFD", clean(text))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.replace("đ", "d").replace("Đ", "D").casefold()

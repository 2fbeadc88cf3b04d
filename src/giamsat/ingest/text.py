"""Vietnamese text helpers shared by import, name resolution and search.

Documents arrive in NFC and NFD, with Hòa/Hoà spelling variants, en dashes and
non-breaking spaces. Everything that compares text goes through `clean()` (for display)
or `fold()` (for matching), so that two spellings of one name meet.
"""

import html
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


# HTML left in cells by web forms and PDF converters: "<p>Bộ KH&amp;CN</p><ul><li>…".
# Only "<" followed by a letter or "/" and an ASCII tag name is a tag, so "< 5%" and
# "<Tên đơn vị>" stay text.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*(?::[A-Za-z0-9]+)?)(?:\s[^<>]*)?/?>")
_BLOCK_TAGS = {"p", "br", "div", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5",
               "h6", "hr", "blockquote", "pre"}
# Only entities ended by ";", and none in capitals: html.unescape alone reads "&GT" in
# "Sở XD&GT" as ">", and "Sở XD&GT; Sở TC" is how a list of agencies is written.
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_CAPITALS = re.compile(r"&[A-Z]{2,};")


def _unescape(match: re.Match) -> str:
    entity = match.group()
    return entity if _CAPITALS.fullmatch(entity) else html.unescape(entity)


def _replace_tag(match: re.Match) -> str:
    closing, name = match.group(1), match.group(2).lower()
    if name == "li":
        return "\n" if closing else "\n- "
    if name in _BLOCK_TAGS:
        return "\n"
    return " " if name in {"td", "th"} else ""


def strip_html(text: str) -> str:
    """Text without leftover HTML: blocks and <br> become line breaks, <li> a "- " bullet,
    other tags go, entities are unescaped. Text without HTML is returned as it is.
    """
    text = text or ""
    stripped = _ENTITY.sub(_unescape, _TAG.sub(_replace_tag, text))
    if stripped == text:
        return text
    return "\n".join(line.strip() for line in stripped.splitlines() if line.strip())


def cell_text(raw: str) -> str:
    """A table cell for display and comparison: no HTML, clean() spacing."""
    return clean(strip_html(raw))

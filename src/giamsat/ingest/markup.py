"""Leftover HTML in the cells of documents: "<p>Bộ KH&amp;CN</p><ul><li>…"."""

import html
import re

from giamsat.lib.text import clean

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

"""A table's body rows written as WordprocessingML text and parsed once per table.

python-docx's `table.add_row()` walks every row of the table on each call, and each
`cell.width`, `run.bold` or `paragraph.alignment` looks children up to insert them in
schema order: at national scale (appendices of thousands of rows) that was most of the
time of a half-year report. The XML here is what those calls write, element for element
(tests/reports/test_word_rows.py compares the two).
"""

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Length

# Text as python-docx's run.text writes it: "\t" a tab, "\r" and "\n" a line break.
_SPECIAL = {"\t": "<w:tab/>", "\r": "<w:br/>", "\n": "<w:br/>"}
BOLD, NOT_BOLD = "<w:b/>", '<w:b w:val="0"/>'  # run.bold = True / False


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _t(text: str) -> str:
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{_escape(text)}</w:t>"


def _run_content(line: str) -> str:
    if not any(ch in line for ch in _SPECIAL):
        return _t(line) if line else ""
    parts, buffer = [], []
    for ch in line:
        if ch in _SPECIAL:
            if buffer:
                parts.append(_t("".join(buffer)))
                buffer.clear()
            parts.append(_SPECIAL[ch])
        else:
            buffer.append(ch)
    if buffer:
        parts.append(_t("".join(buffer)))
    return "".join(parts)


class RowWriter:
    """Rows of one table: the cells' widths (EMU), paragraph spacing and type size as
    word.py's `_cell` sets them."""

    def __init__(self, widths, space_after: Length, size: Length):
        self.widths = [Length(w).twips for w in widths]
        self.after = Length(space_after).twips
        self.half_points = round(Length(size).pt * 2)

    def _cell(self, text, width: int, *, bold: bool, center: bool, span: int = 1) -> str:
        grid_span = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
        props = f'<w:rPr>{BOLD if bold else NOT_BOLD}<w:sz w:val="{self.half_points}"/></w:rPr>'
        lines = str(text).split("\n")
        runs = "".join(f"<w:r>{props}{_run_content(line)}"
                       f"{'<w:br/>' if i < len(lines) - 1 else ''}</w:r>"
                       for i, line in enumerate(lines))
        return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{grid_span}</w:tcPr>'
                f'<w:p><w:pPr><w:spacing w:after="{self.after}"/><w:ind w:firstLine="0"/>'
                f'<w:jc w:val="{"center" if center else "left"}"/></w:pPr>{runs}</w:p></w:tc>')

    def row(self, values, centred: list[bool]) -> str:
        return "<w:tr>" + "".join(
            self._cell(text, width, bold=False, center=center)
            for text, width, center in zip(values, self.widths, centred, strict=True)
        ) + "</w:tr>"

    def group_row(self, text) -> str:
        """A row that heads a group ("Tháng 7/2025"): one bold cell across the table."""
        return "<w:tr>" + self._cell(text, sum(self.widths), bold=True, center=False,
                                     span=len(self.widths)) + "</w:tr>"


def append_rows(tbl, rows: list[str]) -> None:
    """Parse the rows' XML at once and append them to the `w:tbl` element."""
    if not rows:
        return
    parsed = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(rows)}</w:tbl>")
    for tr in list(parsed):
        tbl.append(tr)

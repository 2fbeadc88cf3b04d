"""What a person says a held table's columns mean, from a TOML file or the import page,
checked before anything is read with it, and remembered for every table with that header.

A mapping file (`giamsat import FILE --map map.toml`; `--write-map map.toml` writes one to
fill in, with what giamsat could guess)::

    [[table]]
    header = ["TT", "Việc cần làm", "Ai làm", "Khi nào"]   # or: line = 12 (of FILE)
    kind = "tasks"          # tasks, completed, overdue, agency_values,
                            # indicator_results, problems, or skip
    columns = ["number", "title", "leads", "deadline"]      # one meaning per column
    # or by header text: columns = { "Việc cần làm" = "title", "Ai làm" = "leads" }

A column left out of a table-form `columns` is ignored; "ignore" says so outright.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from giamsat.ingest.columns import ASSIGNABLE, Meaning, TableKind, header_key, signature
from giamsat.ingest.markup import cell_text
from giamsat.ingest.models import TableMapping
from giamsat.ingest.table_records import Mapping

KINDS = [k.value for k in TableKind]
MEANINGS = [m.value for m in ASSIGNABLE]


class MappingRefused(Exception):
    """A mapping that cannot be used; str() says which entry and why. Nothing was read."""


@dataclass(frozen=True)
class HeldHeader:
    """What a mapping entry may refer to: a held table's line and header."""

    path: str
    line: int
    header: list[str]


def mapping_for(header: list[str], kind: str, columns: dict[int, str],
                where: str = "") -> Mapping:
    """A checked Mapping for a header: a known kind, known meanings, real columns."""
    prefix = f"{where}: " if where else ""
    if kind not in KINDS:
        raise MappingRefused(prefix + _("“%(kind)s” is not a kind of table; use one of: "
                                        "%(kinds)s.") % {"kind": kind,
                                                          "kinds": ", ".join(KINDS)})
    for index, meaning in columns.items():
        if not 0 <= index < len(header):
            raise MappingRefused(prefix + _("the table has %(count)s columns, not a column "
                                            "%(number)s.") % {"count": len(header),
                                                              "number": index + 1})
        if meaning not in MEANINGS:
            raise MappingRefused(prefix + _("“%(meaning)s” is not a column meaning; use one "
                                            "of: %(meanings)s.")
                                 % {"meaning": meaning, "meanings": ", ".join(MEANINGS)})
    if kind != TableKind.SKIP and all(m == Meaning.IGNORE for m in columns.values()):
        raise MappingRefused(prefix + _("no column is given a meaning."))
    return Mapping(kind=kind, columns=dict(columns), header=tuple(header))


def read_map_file(path: str | Path, held: list[HeldHeader]) -> dict[str, Mapping]:
    """The mappings of a TOML file, by header signature (see the module doc)."""
    name = Path(path).name
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise MappingRefused(_("Cannot read %(path)s: %(error)s")
                             % {"path": name, "error": error.strerror or error}) from error
    except tomllib.TOMLDecodeError as error:
        raise MappingRefused(_("%(path)s is not valid TOML: %(error)s")
                             % {"path": name, "error": error}) from error
    entries = data.get("table")
    if not isinstance(entries, list) or not entries:
        raise MappingRefused(_("%(path)s has no [[table]] entry.") % {"path": name})
    found: dict[str, Mapping] = {}
    for number, entry in enumerate(entries, start=1):
        where = _("%(path)s, table %(number)s") % {"path": name, "number": number}
        if not isinstance(entry, dict):
            raise MappingRefused(where + ": " + _("not a table of keys."))
        header = _header(entry, held, where)
        kind = "skip" if entry.get("skip") is True else str(entry.get("kind", ""))
        mapping = mapping_for(header, kind, _columns(entry.get("columns", {}), header, where),
                              where)
        found[signature(header)] = mapping
    return found


def _header(entry: dict, held: list[HeldHeader], where: str) -> list[str]:
    if "header" in entry:
        header = entry["header"]
        if not isinstance(header, list) or not all(isinstance(c, str) for c in header):
            raise MappingRefused(where + ": " + _("header must be a list of texts."))
        return header
    line = entry.get("line")
    if not isinstance(line, int) or isinstance(line, bool):
        raise MappingRefused(where + ": " + _("give the table's header, or the line it starts "
                                              "on (line = 12)."))
    matches = [h for h in held if h.line == line]
    if not matches:
        lines = ", ".join(str(h.line) for h in held) or "—"
        raise MappingRefused(where + ": " + _("no held table starts on line %(line)s (held "
                                              "tables start on lines: %(lines)s).")
                             % {"line": line, "lines": lines})
    return matches[0].header


def _columns(columns, header: list[str], where: str) -> dict[int, str]:
    if isinstance(columns, list):
        if len(columns) > len(header):
            raise MappingRefused(where + ": " + _(
                "%(given)s meanings for %(count)s columns.") % {"given": len(columns),
                                                                "count": len(header)})
        unfilled = [str(i + 1) for i, m in enumerate(columns) if m in ("", "?")]
        if unfilled:
            raise MappingRefused(where + ": " + _(
                "column %(columns)s has no meaning yet; give one, or “ignore”.")
                % {"columns": ", ".join(unfilled)})
        return {i: str(m) for i, m in enumerate(columns)}
    if not isinstance(columns, dict):
        raise MappingRefused(where + ": " + _("columns must be a list or a table."))
    keys = [header_key(cell) for cell in header]
    found: dict[int, str] = {}
    for name, meaning in columns.items():
        index = _column_index(name, keys)
        if index is None:
            raise MappingRefused(where + ": " + _(
                "no column “%(name)s” in the header (%(header)s).")
                % {"name": name, "header": " | ".join(cell_text(c) for c in header)})
        found[index] = str(meaning)
    return found


def _column_index(name: str, keys: list[str]) -> int | None:
    if name.isdigit() and 1 <= int(name) <= len(keys):
        return int(name) - 1  # "2" = the second column
    key = header_key(name)
    return keys.index(key) if key in keys else None


def remember(mappings: dict[str, Mapping], user=None) -> None:
    """Keep the mappings for every later table with the same header (audited)."""
    for key, mapping in mappings.items():
        found = TableMapping.objects.filter(signature=key).first() or TableMapping(
            signature=key, created_by=user)
        found.header = list(mapping.header)
        found.kind = mapping.kind
        found.columns = {str(i): m for i, m in sorted(mapping.columns.items())}
        found.save()


def template(held: list[HeldHeader], guesses: dict[tuple[str, int], dict]) -> str:
    """A mapping file to fill in for these held tables, with what could be guessed."""
    lines = [
        "# " + _("What the columns of held tables mean: fill in each “?” and import again "
                 "with giamsat import FILE --map THIS_FILE."),
        "# " + _("Kinds: %(kinds)s.") % {"kinds": ", ".join(KINDS)},
        "# " + _("Column meanings: %(meanings)s.") % {"meanings": ", ".join(MEANINGS)},
    ]
    for table in held:
        guess = guesses.get((table.path, table.line), {})
        meanings = [guess.get(str(i), "?") for i in range(len(table.header))]
        lines += ["", "[[table]]",
                  f"# {Path(table.path).name}, " + _("line %(line)s") % {"line": table.line},
                  "header = [" + ", ".join(_quoted(cell_text(c)) for c in table.header) + "]",
                  'kind = "?"',
                  "columns = [" + ", ".join(_quoted(m) for m in meanings) + "]"]
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

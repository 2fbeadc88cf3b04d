"""Readers of what documents write as prose rather than as tables.

Every reader has one signature (toolkit.Reader)::

    read(lines, claimed, as_of=None) -> (sections, warnings)

and they run in the order of READERS, each claiming the lines it used so that a later one
does not read them again: problem groups, bullet tasks, proposal lists, targets, indicator
statements, lists of agencies named as behind. `proposals.read_proposal_paragraphs`
reads lines without claiming them: its paragraphs hold lists of agencies named as behind
too. `directives.read_directive_paragraphs` runs
only when nothing else was found in a document (a notice retold as news, corpus 003).

Common rules: tab lines (table cells) and lines other readers claimed are never used and
end whatever they interrupt; page-break noise (blank lines, lone page numbers, "DỰ THẢO")
is skipped inside a block and never glued into its text. Records keep their first line
and the exact original lines of their span; text fields are clean()ed, wrapped lines
joined with single spaces. Fields a reader cannot place become Warnings. The readers
never raise: an unexpected error becomes one Warning, is logged, and claims nothing.
"""

from giamsat.ingest.prose.bullets import read_bullet_tasks, read_proposal_tasks
from giamsat.ingest.prose.directives import read_directive_paragraphs
from giamsat.ingest.prose.problems import read_problem_groups
from giamsat.ingest.prose.proposals import read_proposal_paragraphs
from giamsat.ingest.prose.shortfalls import read_agency_lists
from giamsat.ingest.prose.statements import read_indicator_statements
from giamsat.ingest.prose.targets import read_targets

READERS = (
    read_problem_groups,
    read_bullet_tasks,
    read_proposal_tasks,
    read_proposal_paragraphs,
    read_targets,
    read_indicator_statements,
    read_agency_lists,
)
FALLBACK = read_directive_paragraphs

__all__ = ["FALLBACK", "READERS"]

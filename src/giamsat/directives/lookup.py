"""The directive a document reference names, found or recorded once."""

from giamsat.directives.models import Directive, DirectiveKind

# Reference kinds (ingest/references.py) → kinds of directive.
KINDS = {
    "resolution": DirectiveKind.RESOLUTION, "decision": DirectiveKind.DECISION,
    "directive": DirectiveKind.DIRECTIVE, "notice": DirectiveKind.NOTICE,
    "plan": DirectiveKind.PLAN, "programme": DirectiveKind.PROGRAMME,
    "letter": DirectiveKind.OFFICIAL_LETTER, "conclusion": DirectiveKind.CONCLUSION,
}


def directive_for(reference, text: str) -> Directive:
    """The directive of a DocumentReference; created (with `text` as read) if new, and
    given its date when it had none."""
    directive, dated = prepared_directive(reference, text)
    if directive.pk is None or dated:
        directive.save()
    return directive


def prepared_directive(reference, text: str) -> tuple[Directive, bool]:
    """`directive_for` without saving, for an import that decides before it writes: the
    directive (a new one not saved yet) and whether a known one was just given its date."""
    kind = KINDS.get(reference.kind, DirectiveKind.OTHER)
    directive = Directive.objects.filter(kind=kind, number__iexact=reference.number).first()
    if directive is None:
        return Directive(kind=kind, number=reference.number, issued_on=reference.date,
                         raw_text=text[:2000]), False
    if directive.issued_on is None and reference.date:
        directive.issued_on = reference.date
        return directive, True
    return directive, False


WORDS = {DirectiveKind.RESOLUTION: "Nghị quyết", DirectiveKind.DECISION: "Quyết định",
         DirectiveKind.DIRECTIVE: "Chỉ thị", DirectiveKind.NOTICE: "Thông báo",
         DirectiveKind.PLAN: "Kế hoạch", DirectiveKind.PROGRAMME: "Chương trình",
         DirectiveKind.OFFICIAL_LETTER: "Công văn", DirectiveKind.CONCLUSION: "Kết luận"}


def written(directive: Directive | None) -> str:
    """A directive as documents write it, read back by find_references: "Thông báo số
    05-TB/BCĐTW ngày 04/07/2025"."""
    if directive is None or not directive.number:
        return ""
    text = f"{WORDS.get(directive.kind, 'Văn bản')} số {directive.number}"
    return text + (directive.issued_on.strftime(" ngày %d/%m/%Y") if directive.issued_on
                   else "")

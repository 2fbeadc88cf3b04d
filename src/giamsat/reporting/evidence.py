"""Evidence files: what may be uploaded, checked by name and by content.

A file is accepted when its extension is on the list *and* its first bytes are what that
kind of file starts with, so that a program renamed to .pdf is refused. Files are stored
under their content hash (tasks.models.evidence_path) and served only through a view that
checks who may see the update they belong to.
"""

import hashlib
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# extension → (content type, the bytes it starts with, what a zip package must contain)
ACCEPTED = {
    "pdf": ("application/pdf", (b"%PDF-",), None),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (ZIP,), "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             (ZIP,), "xl/"),
    "doc": ("application/msword", (OLE,), None),
    "xls": ("application/vnd.ms-excel", (OLE,), None),
    "odt": ("application/vnd.oasis.opendocument.text", (ZIP,), "content.xml"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (ZIP,), "content.xml"),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",), None),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",), None),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",), None),
}


class RefusedFile(Exception):
    """The file is not accepted; str() says why."""


def accepted_list() -> str:
    return ", ".join(f".{ext}" for ext in ACCEPTED)


def check_evidence(uploaded) -> tuple[str, str]:
    """(content type, sha256) of an acceptable upload; RefusedFile otherwise."""
    name = uploaded.name or ""
    limit = settings.MAX_EVIDENCE_MB * 1024 * 1024
    if uploaded.size > limit:
        raise RefusedFile(_("“%(name)s” is %(size).1f MB; an evidence file may be at most "
                            "%(limit)s MB.") % {"name": name, "size": uploaded.size / 2**20,
                                                "limit": settings.MAX_EVIDENCE_MB})
    if uploaded.size == 0:
        raise RefusedFile(_("“%(name)s” is empty.") % {"name": name})
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        raise RefusedFile(_("“%(name)s” is not an accepted kind of file. Accepted: "
                            "%(kinds)s.") % {"name": name, "kinds": accepted_list()})
    content_type, magics, member = ACCEPTED[extension]
    uploaded.seek(0)
    head = uploaded.read(16)
    if not head.startswith(magics):
        raise RefusedFile(_("“%(name)s” does not contain what its name says (.%(ext)s); it "
                            "may be damaged or renamed.") % {"name": name, "ext": extension})
    if member is not None:
        uploaded.seek(0)
        try:
            with zipfile.ZipFile(uploaded) as package:
                if not any(n.startswith(member) for n in package.namelist()):
                    raise RefusedFile(_("“%(name)s” is not a valid .%(ext)s document.")
                                      % {"name": name, "ext": extension})
        except zipfile.BadZipFile as error:
            raise RefusedFile(_("“%(name)s” is damaged and cannot be opened.")
                              % {"name": name}) from error
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return content_type, digest.hexdigest()

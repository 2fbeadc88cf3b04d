"""Text that is stored, not shown: written in the system's language whatever the language
of the request or command that wrote it, so that data does not change with who imported
it (a re-import in English must find the same notes, not new ones)."""

from django.conf import settings
from django.utils import translation


def data_text(message: str, **params) -> str:
    """message (marked with gettext_noop) in settings.LANGUAGE_CODE, with %-params."""
    with translation.override(settings.LANGUAGE_CODE):
        text = translation.gettext(message)
    return text % params if params else text

"""The Vietnamese catalogue is complete and the committed .mo matches the .po."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import giamsat

LOCALE = Path(giamsat.__file__).resolve().parent / "locale" / "vi" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = text.split("\n\n")[1:]  # the first block is the header
    untranslated = [e for e in entries if re.search(r'^msgstr ""\n?$', e, re.M)
                    and not re.search(r'^msgstr ""\n"', e, re.M)]
    assert untranslated == []


def test_committed_catalogue_is_compiled(tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (Debian package gettext) is not installed")
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", compiled, LOCALE / "django.po"],
                   check=True)
    with open(compiled, "rb") as fresh, open(LOCALE / "django.mo", "rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == \
            gettext.GNUTranslations(committed)._catalog, "run: giamsat compilemessages"

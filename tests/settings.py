"""The production settings, with a throwaway secret key and data directory for tests."""

import os
import tempfile

os.environ.setdefault("GIAMSAT_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("GIAMSAT_DATA_DIR", tempfile.mkdtemp(prefix="giamsat-tests-"))

from giamsat.settings import *  # noqa: F403

# Hashing a password takes a fraction of a second by design; tests create many users.
# (tests/web/test_security.py checks that production keeps Django's own hasher.)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Background jobs (imports) run inside the request in tests; browser tests switch them off.
JOBS_INLINE = True

"""The production settings, with a throwaway secret key and data directory for tests."""

import os
import tempfile

os.environ.setdefault("GIAMSAT_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("GIAMSAT_DATA_DIR", tempfile.mkdtemp(prefix="giamsat-tests-"))

from giamsat.settings import *  # noqa: F403

# Hashing a password takes a fraction of a second by design; tests create many users.
# (tests/web/test_security.py checks that production keeps Django's own hasher.)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Background jobs run inside the request in tests (the immediate backend); browser tests
# queue them for a worker thread, tests/jobs for real `giamsat worker` processes.
JOBS_INLINE = True

# A file, not SQLite's shared in-memory database: that one locks whole tables between
# threads, which production's WAL file never does (the browser tests run the server and
# background jobs in threads of their own).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(  # noqa: F405
        os.environ["GIAMSAT_DATA_DIR"], "test-giamsat.sqlite3")}

# Figures are computed on every request in tests; tests/test_derived.py checks the cache.
DERIVED_CACHE = False

"""The production settings, with a throwaway secret key and data directory for tests."""

import os
import tempfile

os.environ.setdefault("GIAMSAT_SECRET_KEY", "tests-only-secret-key")
os.environ.setdefault("GIAMSAT_DATA_DIR", tempfile.mkdtemp(prefix="giamsat-tests-"))

from giamsat.settings import *  # noqa: F403

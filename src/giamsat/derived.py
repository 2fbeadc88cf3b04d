"""A cache of derived figures (the dashboard's summaries), always right after a change.

Every figure is cached under a version: a token that a new random one replaces after each
transaction that changes what the figure is made of commits. A reader never sees figures
older than the last commit: a change made while it computed replaces the version, and the
next reader computes again. A fresh token rather than a counter, because the file cache has
no atomic increment: two workers replacing it at once still leave a token no reader saw
before either commit.

Two topics: "orgs" (organisations and their events: the succession graph, rarely
changed) and "data" (everything that counts, organisations included). An approval
replaces the "data" version and leaves the graph every worker holds in memory alone.
Off when GIAMSAT_DERIVED_CACHE=0 (the test suite, except the test of the cache itself).
"""

import functools
import hashlib
import pickle
import secrets
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

DATA, ORGS = "data", "orgs"
WATCHED = {
    "tasks.Task": {DATA}, "tasks.Assignment": {DATA}, "tasks.Update": {DATA},
    "indicators.Observation": {DATA}, "indicators.Target": {DATA},
    "indicators.Indicator": {DATA}, "reporting.Submission": {DATA},
    "orgs.Organisation": {DATA, ORGS}, "orgs.OrgEvent": {DATA, ORGS},
}


def _key(topic: str) -> str:
    return f"giamsat:version:{topic}"


def data_version(topic: str = DATA) -> str:
    version = cache.get(_key(topic))
    if version is None:
        cache.add(_key(topic), secrets.token_hex(8), timeout=None)
        version = cache.get(_key(topic))
    return version


def bump(topics=(DATA,)) -> None:
    for topic in topics:
        cache.set(_key(topic), secrets.token_hex(8), timeout=None)


class _Bump:
    """The one after-commit callback of a transaction, with every topic it touched."""

    def __init__(self, topics: set):
        self.topics = set(topics)
        self.ran = False

    def __call__(self):
        self.ran = True
        bump(sorted(self.topics))


def changed(sender=None, instance=None, **kwargs) -> None:
    if _counts(instance):
        data_changed(WATCHED[instance._meta.label])


def data_changed(topics=frozenset({DATA})) -> None:
    """This transaction changed what `topics` count (called by bulk writes, which send no
    signals, and by the signals of single saves)."""
    # After the commit: a reader computing meanwhile saw the old data and stored it under
    # the old version; only then does the version move on. One callback per transaction
    # (an import saves thousands of rows); a rolled-back block drops its callbacks, so
    # looking in the connection's own list never finds a stale one.
    waiting = _waiting_bump()
    if waiting is not None:
        waiting.topics |= topics
    else:
        transaction.on_commit(_Bump(topics))


def _waiting_bump() -> _Bump | None:
    for _sids, func, _robust in transaction.get_connection().run_on_commit:
        if isinstance(func, _Bump) and not func.ran:
            return func
    return None


def changed_here(topic: str) -> bool:
    """Whether this transaction changed `topic` and has not committed: what it reads is
    not what others read under the current version, so it must neither use nor store
    figures cached under it."""
    waiting = _waiting_bump()
    return waiting is not None and topic in waiting.topics


def _counts(instance) -> bool:
    """Whether a change to `instance` can change a figure: agencies' drafts cannot (the
    end-of-month rush of drafts leaves the dashboard's cache alone)."""
    label = instance._meta.label
    if label == "tasks.Update":
        return instance.review_state == "approved"
    if label == "reporting.Submission":
        return instance.state != "draft"
    return True


@functools.cache
def code_version() -> str:
    """A fingerprint of this installation's code: figures cached by an older version of
    the program have another shape (a row with one field more), and an upgrade that kept
    the cache directory would otherwise serve them to the new code until the data moved."""
    # Of the files' contents (a few milliseconds, once per process): the same code
    # installed on two servers sharing a cache gives the same fingerprint.
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def cached(name: str, key: tuple, compute, topic: str = DATA):
    """compute() once per version of `topic` and key, and per version of the code."""
    if not settings.DERIVED_CACHE or changed_here(topic):
        return compute()
    full = (f"giamsat:derived:{name}:{code_version()}:{data_version(topic)}:"
            f"{pickle.dumps(key).hex()}")
    found = cache.get(full)
    if found is not None:
        return found
    value = compute()
    cache.set(full, value, timeout=3600)
    return value


def connect() -> None:
    for label in WATCHED:
        post_save.connect(changed, sender=label, dispatch_uid=f"derived-save-{label}")
        post_delete.connect(changed, sender=label, dispatch_uid=f"derived-delete-{label}")

"""The one hash of archivegen: BLAKE2b with 16-byte digests (fast, collision-resistant).

Every "did this change?" is answered with it: a file's bytes (the output manifest, the
search index's state, the cache's trailer), an article's text, a page's fingerprint.
"""

from __future__ import annotations

import hashlib

DIGEST_SIZE = 16


def digest(data: bytes | memoryview) -> str:
    """The digest of some bytes, in hex."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


def digest_parts(*parts: bytes) -> str:
    """The digest of a sequence of byte strings, each closed by a NUL (so parts never blur)."""
    h = hasher()
    for part in parts:
        h.update(part)
        h.update(b"\x00")
    return h.hexdigest()


def hasher(data: bytes = b"") -> hashlib.blake2b:
    """The same hash, to be fed piece by piece (`update`, `copy`, `digest`, `hexdigest`)."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE)

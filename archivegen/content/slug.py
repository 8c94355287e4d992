"""The one slug function: ASCII, lowercase, hyphenated, safe as a single path segment."""

from __future__ import annotations

import re

from slugify import slugify as _slugify

_SAFE_SEGMENT = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
MAX_SLUG_LENGTH = 80


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Turn any Unicode text into an ASCII slug ("Rusia & Kazakhstan" -> "rusia-kazakhstan")."""
    return str(_slugify(text, max_length=max_length, word_boundary=True, save_order=True))


def is_safe_slug(slug: str) -> bool:
    """True when slug is one harmless path segment: no dots, slashes or upper case."""
    return bool(_SAFE_SEGMENT.match(slug))

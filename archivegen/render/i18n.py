"""Interface strings from the theme's gettext catalogs (.po, compiled in memory by Babel)."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DOMAIN = "messages"


def load_translations(theme_dirs: list[Path], language: str) -> NullTranslations:
    """Merge the catalogs of every theme folder for the language; the first folder wins."""
    merged: NullTranslations = NullTranslations()
    candidates = [language, language.replace("-", "_"), language.split("-")[0].split("_")[0]]
    for folder in reversed(theme_dirs):  # later (lower-priority) first, so earlier ones override
        for code in dict.fromkeys(candidates):
            po = folder / "locale" / code / "LC_MESSAGES" / f"{DOMAIN}.po"
            if po.is_file():
                merged = _merge(merged, _compile(po, code))
                break
    return merged


def _compile(po: Path, code: str) -> Translations:
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def _merge(base: NullTranslations, override: Translations) -> NullTranslations:
    if isinstance(base, Translations):
        base.merge(override)
        return base
    return override

"""Every interface string of the theme is in the gettext catalog, and the site language
switches them: English is the msgids, Indonesian the catalog's msgstrs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from themekit import NOW, SEED_URL, THEME, write_theme_site

from archivegen.build import build_site

PO = THEME / "locale" / "id" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+\}")
PAGES = ("/", SEED_URL, "/kategori/politik/", "/arsip/", "/cari/", "/404.html", "/penulis/")


def template_messages() -> dict[str, str | None]:
    """msgid -> msgid_plural of every _()/gettext()/ngettext() call in the templates, found by
    Babel's extractor with Jinja's plugin (the same run as `pybabel extract -F babel.cfg`)."""
    found: dict[str, str | None] = {}
    method_map = [("**/templates/**.html", "jinja2.ext:babel_extract")]
    for _file, _line, message, _comments, _context in extract_from_dir(str(THEME), method_map):
        if isinstance(message, tuple):
            found[message[0]] = message[1]
        else:
            found[message] = None
    return found


def catalog() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="id")


def test_the_extractor_finds_the_templates_strings() -> None:
    messages = template_messages()
    assert len(messages) > 50
    assert "Skip to content" in messages
    assert messages["%(num)s article"] == "%(num)s articles"


def test_the_catalog_covers_every_template_string() -> None:
    po = catalog()
    missing = [m for m in template_messages() if po.get(m) is None]
    assert not missing, f"not in {PO.name}: {missing}"
    for singular, plural in template_messages().items():
        message = po[singular]
        if plural is not None:
            assert message.pluralizable and message.id[1] == plural


def test_no_message_is_untranslated_fuzzy_unused_or_loses_a_placeholder() -> None:
    used = template_messages()
    for message in catalog():
        if not message.id:
            continue  # the header
        singular = message.id[0] if message.pluralizable else message.id
        strings = message.string if message.pluralizable else (message.string,)
        assert all(strings), f"untranslated: {singular!r}"
        assert not message.fuzzy, f"fuzzy: {singular!r}"
        assert singular in used, f"no template uses {singular!r}: remove it from {PO.name}"
        wanted = sorted(PLACEHOLDER.findall(singular))
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, f"placeholders of {singular!r}"


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_site_language_switches_the_interface(tmp_path: Path, language: str) -> None:
    config = write_theme_site(tmp_path / "site", fillers=25, language=language)
    build_site(config, NOW)
    po = catalog()
    # interface strings of two words or more (single words such as "Tag" are the same in both)
    pairs = [
        (m.id, m.string)
        for m in po
        if m.id and not m.pluralizable and " " in m.id and "{" not in m.id and m.id != m.string
    ]
    assert len(pairs) > 20
    for url in PAGES:
        relative = (url + "index.html" if url.endswith("/") else url).lstrip("/")
        html = (config.output_path / relative).read_text(encoding="utf-8")
        html = re.sub(r"\s+", " ", html)
        for english, indonesian in pairs:
            hidden = english if language == "id" else indonesian
            assert f">{hidden}<" not in html, f"{url} ({language}) shows {hidden!r}"
            assert f'="{hidden}"' not in html, f"{url} ({language}) has {hidden!r} in an attribute"
    article = (config.output_path / SEED_URL.strip("/") / "index.html").read_text()
    expected = {"id": ">Langsung ke konten<", "en": ">Skip to content<"}[language]
    assert expected in article

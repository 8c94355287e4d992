"""The one Jinja environment of a build: theme lookup chain, autoescape, strict undefined."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from babel.support import NullTranslations

from archivegen.graph.model import SiteInfo
from archivegen.render import dates, images, metadata
from archivegen.render.i18n import load_translations
from archivegen.render.licenses import license_url


def make_environment(
    template_dirs: list[Path],
    theme_dirs: list[Path],
    site: SiteInfo,
    compiled_dir: Path | None = None,
) -> jinja2.Environment:
    """Templates from the site's own folder first, then the theme's, template by template."""
    compiled = None
    if compiled_dir is not None:
        # per Jinja version; Jinja keys each entry by the template and checks its source
        folder = compiled_dir / f"jinja-{jinja2.__version__}"
        folder.mkdir(parents=True, exist_ok=True)
        compiled = jinja2.FileSystemBytecodeCache(str(folder))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        bytecode_cache=compiled,
    )
    env.globals.update(_gettext(load_translations(theme_dirs, site.language)))
    env.filters.update(_filters(site.language))
    env.globals["site"] = site
    env.globals.update(_metadata(site))
    env.globals["cached"] = _cached_calls()
    return env


def _cached_calls(size: int = 16_384) -> Any:
    """`cached(macro, *args)`: a macro's output, remembered for equal arguments.

    An article's entry reads the same on every listing that shows it (home, category,
    author, tags, year, month): about eight renders of one value per article. The key is
    the arguments' values (frozen records hash by value), so an edited entry is a new key,
    and the UTC offsets of their dates: an aware datetime equals the same instant in another
    zone, which reads otherwise. The cache lives as long as the environment (a preview keeps
    it between builds) and is bounded.
    """

    @lru_cache(maxsize=size)
    def remembered(macro: Any, offsets: tuple[object, ...], *args: Any) -> Any:
        return macro(*args)

    def cached(macro: Any, *args: Any) -> Any:
        return remembered(macro, tuple(map(_date_offset, args)), *args)

    return cached


def _date_offset(value: object) -> object:
    """The UTC offset of a record's `date` (an Entry's), None for anything else."""
    date = getattr(value, "date", None)
    return date.utcoffset() if isinstance(date, datetime) else None


def _metadata(site: SiteInfo) -> dict[str, Any]:
    """JSON-LD builders and the OpenGraph locale, bound to the site (see render/metadata.py)."""
    return {
        "news_article_data": lambda page: metadata.news_article(page, site),
        "breadcrumb_data": lambda trail: metadata.breadcrumb_list(trail, site),
        "absolute_url": lambda url: metadata.absolute_url(url, site),
        "og_locale": metadata.og_locale(site.language),
        "picture": images.picture,
        "social_image": lambda article: metadata.social_image(article, site),
    }


def _gettext(translations: NullTranslations) -> dict[str, Any]:
    """`_()` and `ngettext()` for templates, as plain functions.

    Jinja's i18n extension routes every call through the template context (~16 µs each,
    a dozen per page); plain functions cost a dictionary lookup. Results are plain text,
    so autoescape still escapes them and the values formatted into them.
    """

    @lru_cache(maxsize=4096)
    def lookup(message: str) -> str:
        return translations.gettext(message)

    def gettext(message: str, **values: Any) -> str:
        text = lookup(message)
        return text % values if values else text

    def ngettext(singular: str, plural: str, count: int, **values: Any) -> str:
        return translations.ngettext(singular, plural, count) % {"num": count, **values}

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def _filters(language: str) -> dict[str, Any]:
    return {
        "dateline": lambda d: dates.dateline(d, language),
        "day_dateline": lambda d: dates.day_dateline(d, language),
        "short_date": lambda d: dates.short_date(d, language),
        "long_date": lambda d: dates.long_date(d, language),
        "month_name": lambda m, y=None: dates.month_name(m, language, y),
        "number": lambda n: dates.number(n, language),
        "license_url": license_url,
        "isodate": lambda d: d.isoformat(timespec="seconds"),
        # UTC, so that a plain string sort (Pagefind's sort) is chronological across zones
        "utc_isodate": lambda d: d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }

"""Where a theme lives and what it ships: template folders, static files, catalogs."""

from __future__ import annotations

import atexit
import contextlib
from collections.abc import Callable, Iterator
from importlib.resources import as_file, files
from pathlib import Path

import rcssmin  # type: ignore[import-untyped]
import rjsmin  # type: ignore[import-untyped]

from archivegen.config import SiteConfig
from archivegen.errors import ConfigError


def _bundled_themes() -> Path:
    """The folder of the themes shipped as `archivegen.themes` (top-level themes/ in a checkout)."""
    # Jinja's FileSystemLoader, the static copy and the watcher need a real folder: as_file gives
    # the installed one as it is; a zipped install it extracts until exit (Python 3.12+ only).
    stack = contextlib.ExitStack()
    atexit.register(stack.close)
    return stack.enter_context(as_file(files("archivegen.themes")))


BUNDLED_THEMES = _bundled_themes()


def theme_dirs(config: SiteConfig) -> list[Path]:
    """The theme's folder: the site's own `themes/NAME`, else the bundled theme of that name."""
    for base in (config.root / "themes", BUNDLED_THEMES):
        folder = (base / config.theme).resolve()
        if (folder / "templates").is_dir():
            return [folder]
    raise ConfigError(
        f"theme {config.theme!r} not found in themes/ or the bundled themes", field="theme"
    )


def template_dirs(config: SiteConfig, theme: list[Path]) -> list[Path]:
    """The template lookup chain: the site's own templates/ first, then the theme's."""
    own = config.root / config.templates_dir
    chain = [own] if own.is_dir() else []
    return chain + [folder / "templates" for folder in theme]


def static_files(config: SiteConfig, theme: list[Path]) -> Iterator[tuple[str, bytes]]:
    """Static assets under /static/: the site's own files override the theme's."""
    seen: set[str] = set()
    for folder in [config.root / config.static_dir, *(t / "static" for t in theme)]:
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts = path.relative_to(folder).parts
            relative = "static/" + "/".join(parts)
            if relative not in seen and not any(part.startswith(".") for part in parts):
                seen.add(relative)
                yield relative, minify_static(relative, path.read_bytes())


MINIFIERS: dict[str, Callable[[str], str]] = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def minify_static(relative: str, data: bytes) -> bytes:
    """Stylesheets and scripts minified (rcssmin, rjsmin); `.min.*` and non-UTF-8 files as
    they are, and any other file."""
    stem, dot, extension = relative.rpartition(".")
    minify = MINIFIERS.get(dot + extension)
    if minify is None or stem.endswith(".min"):
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    return minify(text).encode("utf-8")

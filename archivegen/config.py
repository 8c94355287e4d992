"""site.yaml -> a typed, validated SiteConfig.

Every key is declared once, as a dataclass field with its type and default; the validator
walks those declarations, so an unknown key or a wrong type is an error that names the
line and the key, and suggests the closest valid key.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import types
import typing
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from archivegen.errors import ConfigError, raise_all
from archivegen.safeurl import link_problem, web_url_problem
from archivegen.yamlsafe import StrictConstructor, refusal

CONFIG_FILE = "site.yaml"


@dataclass(frozen=True, slots=True)
class Permalinks:
    """URL patterns; `{slug}`, `{yyyy}`, `{mm}`, `{dd}` and `{n}` are filled in."""

    article: str = "/{yyyy}/{mm}/{dd}/{slug}/"
    category: str = "/kategori/{slug}/"
    author: str = "/penulis/{slug}/"
    tag: str = "/tag/{slug}/"
    year: str = "/arsip/{yyyy}/"
    month: str = "/arsip/{yyyy}/{mm}/"
    day: str = "/arsip/{yyyy}/{mm}/{dd}/"
    categories: str = "/kategori/"
    authors: str = "/penulis/"
    tags: str = "/tag/"
    archive: str = "/arsip/"
    search: str = "/cari/"
    page: str = "halaman/{n}/"


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    """How article bodies are rendered."""

    allow_html: bool = False
    typographer: bool = False


@dataclass(frozen=True, slots=True)
class License:
    """`license:` in site.yaml: the licence of the archive's content, credited on every page."""

    name: str = ""  # e.g. CC BY-SA 4.0 (a Creative Commons name with its version is linked)
    url: str = ""  # the licence's text, when its name is not one archivegen knows
    credit: str = ""  # whom the licence asks to credit: authors, the source and its address


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """`import:` in site.yaml: how `archivegen import` fills what a source lacks."""

    defaults: dict[str, Any] = field(default_factory=dict)  # field -> value, e.g. category


# fields an import takes from its source or works out itself, never from a default
_NOT_DEFAULTABLE = frozenset(
    {"title", "date", "updated", "source", "slug", "aliases", "captured", "date_source",
     "date_precision", "import_key", "import_digest"}
)  # fmt: skip


def default_field_problem(name: str, value: object) -> str | None:
    """Why `name: value` cannot be an import default, or None when it can."""
    if name in _NOT_DEFAULTABLE:
        return "is read from each source, it cannot have a default"
    if name == "draft":
        return None if isinstance(value, bool) else "must be true or false"
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(i, str) and i.strip() for i in items):
        return "must be text (or, for author and tags, a list of text)"
    return None


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The whole of site.yaml, validated, with paths resolved against the site's folder."""

    title: str = "Arsip Berita"
    base_url: str = "http://127.0.0.1:8000/"
    description: str = ""
    language: str = "id"
    timezone: str = "Asia/Jakarta"
    content_dir: str = "content"
    output_dir: str = "public"
    theme: str = "default"
    templates_dir: str = "templates"
    static_dir: str = "static"
    page_size: int = 20
    pagination: str = "stable"  # numbered from the oldest page; or "newest_first"
    feed_size: int = 20
    related_count: int = 5
    max_article_bytes: int = 5_000_000
    max_shrink: float = 0.25  # a build losing a larger share of the articles stops
    taxonomies: tuple[str, ...] = ("category", "author", "tag")
    permalinks: Permalinks = field(default_factory=Permalinks)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    search: bool = True
    license: License = field(default_factory=License)
    logo: str = ""  # the site's logo (a path on the site or an http(s) URL): publisher.logo
    params: dict[str, Any] = field(default_factory=dict)
    deploy: tuple[dict[str, Any], ...] = ()
    imports: ImportOptions = field(default_factory=ImportOptions, metadata={"key": "import"})
    root: Path = field(default=Path("."), metadata={"internal": True})

    @property
    def content_path(self) -> Path:
        """The folder of Markdown articles."""
        return (self.root / self.content_dir).resolve()

    @property
    def output_path(self) -> Path:
        """The folder the site is written to."""
        return (self.root / self.output_dir).resolve()

    @property
    def site_url(self) -> str:
        """base_url without its trailing slash, for joining with absolute paths."""
        return self.base_url.rstrip("/")


TAXONOMIES = ("category", "author", "tag")
PAGINATIONS = ("stable", "newest_first")
_PLACEHOLDERS = {"slug", "yyyy", "mm", "dd", "n"}
_PATTERN_CHARS = re.compile(r"[A-Za-z0-9/_.~-]|\{(?:slug|yyyy|mm|dd|n)\}")


def load_config(path: Path, overrides: dict[str, Any] | None = None) -> SiteConfig:
    """Read and validate site.yaml; `overrides` (from the command line) win over the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "not found (run `archivegen init` to create a site, or pass --config)", path=path
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read: {exc}", path=path) from None
    data, lines = _parse_yaml(text, path)
    data.update(overrides or {})
    return config_from_mapping(data, root=path.parent.resolve(), path=path, lines=lines)


def config_from_mapping(
    data: dict[str, Any],
    *,
    root: Path,
    path: Path | str = CONFIG_FILE,
    lines: dict[str, int] | None = None,
) -> SiteConfig:
    """Validate a mapping (as from site.yaml) into a SiteConfig, reporting every error."""
    errors: list[ConfigError] = []
    values = _build(SiteConfig, data, "", errors, str(path), lines or {})
    if not errors:
        errors.extend(_check_semantics(values, str(path), lines or {}))
    raise_all(errors)
    return dataclasses.replace(typing.cast(SiteConfig, values), root=root)


class _ConfigLoader(StrictConstructor, yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and alias bombs."""


def _parse_yaml(text: str, path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    loader = _ConfigLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        why = refusal(exc, 1, "the file", lambda: _key_lines(node))
        raise ConfigError(why.message, path=path, line=why.line, field=why.field) from None
    finally:
        loader.dispose()
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError("must be a mapping of settings (title: ..., base_url: ...)", path=path)
    return data, _key_lines(node)


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Each dotted key (`license.url`) of a composed document, with its line."""
    lines: dict[str, int] = {}
    _collect_lines(node, "", lines)
    return lines


def _collect_lines(node: yaml.Node | None, prefix: str, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            dotted = f"{prefix}{key.value}"
            lines[dotted] = key.start_mark.line + 1
            _collect_lines(value, dotted + ".", lines)


def _build(
    cls: type[Any],
    data: Any,
    prefix: str,
    errors: list[ConfigError],
    path: str,
    lines: dict[str, int],
) -> Any:
    where = prefix.rstrip(".") or None
    if not isinstance(data, dict):
        errors.append(_error(path, lines, where, f"must be a mapping, not {_kind(data)}"))
        return cls()
    hints = typing.get_type_hints(cls)
    # a YAML key that is a Python keyword (`import`) names its field in the field's metadata
    names = {
        f.metadata.get("key", f.name): f.name
        for f in dataclasses.fields(cls)
        if not f.metadata.get("internal")
    }
    known = list(names)
    values: dict[str, Any] = {}
    for key, value in data.items():
        dotted = prefix + str(key)
        if str(key) not in names:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(known)})"
            errors.append(_error(path, lines, dotted, f"unknown key{hint}"))
            continue
        name = names[str(key)]
        values[name] = _coerce(hints[name], value, dotted, errors, path, lines)
    return cls(**values)


def _coerce(
    hint: Any, value: Any, dotted: str, errors: list[ConfigError], path: str, lines: dict[str, int]
) -> Any:
    if dataclasses.is_dataclass(hint):
        return _build(typing.cast(type[Any], hint), value, dotted + ".", errors, path, lines)
    origin = typing.get_origin(hint)
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        if not isinstance(value, list):
            errors.append(_error(path, lines, dotted, f"must be a list, not {_kind(value)}"))
            return ()
        return tuple(_coerce(inner, item, dotted, errors, path, lines) for item in value)
    expected = origin or hint
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(expected, type) and isinstance(value, expected):
        if expected is int and isinstance(value, bool):
            errors.append(_error(path, lines, dotted, "must be a whole number, not true/false"))
        return value
    if isinstance(hint, types.UnionType):
        return value
    errors.append(_error(path, lines, dotted, f"must be {_describe(expected)}, not {_kind(value)}"))
    return value


def _check_semantics(config: SiteConfig, path: str, lines: dict[str, int]) -> list[ConfigError]:
    problems: list[tuple[str, str]] = []
    for key, url in (("base_url", config.base_url), ("license.url", config.license.url)):
        problem = web_url_problem(url) if url or key == "base_url" else None
        if problem:
            problems.append((key, problem))
    try:
        zoneinfo.ZoneInfo(config.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        problems.append(("timezone", f"{config.timezone!r} is not a time zone (e.g. Asia/Jakarta)"))
    from babel import Locale, UnknownLocaleError  # ~30 ms: only once the file is read

    try:
        Locale.parse(config.language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        problems.append(("language", f"{config.language!r} is not a known language (e.g. id, en)"))
    for number in ("page_size", "feed_size", "max_article_bytes"):
        if getattr(config, number) < 1:
            problems.append((number, "must be at least 1"))
    if config.pagination not in PAGINATIONS:
        problems.append(("pagination", f"must be one of {', '.join(PAGINATIONS)}"))
    if not 0.0 <= config.max_shrink <= 1.0:
        problems.append(("max_shrink", "must be a share between 0 and 1 (e.g. 0.25 for 25%)"))
    for name in config.taxonomies:
        if name not in TAXONOMIES:
            problems.append(("taxonomies", f"{name!r} is not one of {', '.join(TAXONOMIES)}"))
    problems.extend(_check_permalinks(config.permalinks))
    if config.logo and not _is_logo(config.logo):
        problems.append(("logo", "must be an http(s) URL or a path on the site starting with /"))
    for name, value in config.imports.defaults.items():
        problem = default_field_problem(str(name), value)
        if problem:
            problems.append((f"import.defaults.{name}", problem))
    return [_error(path, lines, key, message) for key, message in problems]


def _is_logo(value: str) -> bool:
    # a path on the site (no climbing, no scheme, no `//host`) or an http(s) URL with a host
    if link_problem(value):
        return False
    if value.startswith(("http://", "https://")):
        return "." in value.split("/")[2] and not any(c in value for c in ' <>"\\')
    return (
        value.startswith("/")
        and not value.startswith("//")
        and ".." not in value.split("/")
        and not any(c in value for c in ' <>"\\:')
    )


def _check_permalinks(permalinks: Permalinks) -> list[tuple[str, str]]:
    problems = []
    for f in dataclasses.fields(permalinks):
        pattern = getattr(permalinks, f.name)
        key = f"permalinks.{f.name}"
        names = {part.split("}")[0] for part in pattern.split("{")[1:]}
        if names - _PLACEHOLDERS:
            problems.append((key, f"unknown placeholder(s) {sorted(names - _PLACEHOLDERS)}"))
        problems.extend((key, problem) for problem in _pattern_problems(pattern))
        if f.name != "page" and not pattern.startswith("/"):
            problems.append((key, "must start with /"))
    if "{slug}" not in permalinks.article:
        problems.append(("permalinks.article", "must contain {slug}"))
    if "{n}" not in permalinks.page:
        problems.append(("permalinks.page", "must contain {n}"))
    return problems


def _pattern_problems(pattern: str) -> list[str]:
    # a pattern becomes folders in public/ and addresses on a server: an escape (`%2e%2e`)
    # is decoded by the server into `..`, a hidden folder is skipped by Pagefind and by
    # many hosts, and a pattern not ending in / names a file with no extension
    problems = []
    if _PATTERN_CHARS.sub("", pattern):
        problems.append("may hold only letters, digits, - _ ~ . / and {placeholders}")
    segments = pattern.strip("/").split("/")
    if any(segment.startswith(".") for segment in segments):
        problems.append("must not hold a segment starting with . (`..` or a hidden folder)")
    if "//" in pattern:
        problems.append("must not hold an empty segment (//)")
    if not pattern.endswith("/"):
        problems.append("must end with / (each page is a folder's index.html)")
    return problems


def _error(path: str, lines: dict[str, int], key: str | None, message: str) -> ConfigError:
    return ConfigError(message, path=path, line=lines.get(key or ""), field=key)


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
    }.get(type(value), "a mapping" if isinstance(value, dict) else type(value).__name__)


def _describe(expected: Any) -> str:
    return {bool: "true or false", int: "a whole number", str: "text", dict: "a mapping"}.get(
        expected, getattr(expected, "__name__", str(expected))
    )

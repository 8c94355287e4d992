"""Split, parse and write YAML front matter: the on-disk form of an article.

Parsing keeps dates as strings (the YAML timestamp resolver is switched off) so one
date parser, with one clear error message, decides what a date is. Writing always goes
through the YAML serializer, so any title round-trips exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from archivegen.errors import ContentError
from archivegen.yamlsafe import StrictConstructor, refusal

FENCE = "---"
# the order fields are written in; unknown fields follow in their own order
FIELD_ORDER = (
    "title",
    "date",
    "updated",
    "date_source",
    "date_precision",
    "author",
    "category",
    "tags",
    "image",
    "image_caption",
    "source",
    "captured",
    "section",
    "slug",
    "aliases",
    "draft",
)

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(StrictConstructor, _BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader (C speed where available) that leaves timestamps as plain strings and
    refuses duplicate keys and alias bombs."""


class _FrontMatterDumper(yaml.SafeDumper):
    """SafeDumper that writes date strings unquoted (`date: 2022-10-04T18:23:00+07:00`)."""


def _without_timestamps(resolvers: dict[Any, Any]) -> dict[Any, Any]:
    return {
        first: [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in resolvers.items()
    }


_FrontMatterLoader.yaml_implicit_resolvers = _without_timestamps(
    _BaseLoader.yaml_implicit_resolvers
)
_FrontMatterDumper.yaml_implicit_resolvers = _without_timestamps(
    yaml.SafeDumper.yaml_implicit_resolvers
)


@dataclass(frozen=True, slots=True)
class FrontMatterText:
    """A file cut in two: the YAML text and the body, with the body's first line number."""

    yaml_text: str
    body: str
    body_line: int


def split_front_matter(text: str, path: str) -> FrontMatterText:
    """Cut `---`-fenced YAML off the top of a Markdown file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise ContentError("the file is empty (expected front matter between --- lines)", path=path)
    first, _, rest = text.partition("\n")
    if first.rstrip() != FENCE:
        raise ContentError(
            "no front matter: the file must start with a --- line", path=path, line=1
        )
    end = _find_closing_fence(rest)
    if end is None:
        raise ContentError("front matter is not closed by a --- line", path=path, line=1)
    yaml_text = rest[:end]
    after = rest[end:].partition("\n")[2]
    body_line = yaml_text.count("\n") + 3
    return FrontMatterText(yaml_text=yaml_text, body=after, body_line=body_line)


def _find_closing_fence(rest: str) -> int | None:
    if rest.startswith(FENCE) and rest[3:4] in ("", "\n", "\r", " "):
        return 0
    pos = 0
    while True:
        found = rest.find("\n" + FENCE, pos)
        if found < 0:
            return None
        tail = rest[found + 4 : found + 5]
        if tail in ("", "\n", "\r", " "):
            return found + 1
        pos = found + 1


def parse_front_matter(yaml_text: str, path: str) -> dict[str, Any]:
    """Parse the YAML of a front matter into a mapping, or raise a ContentError with its line."""
    try:
        data = yaml.load(yaml_text, Loader=_FrontMatterLoader)
    except yaml.YAMLError as exc:
        why = refusal(exc, 2, "front matter", lambda: field_lines(yaml_text))
        raise ContentError(why.message, path=path, line=why.line or 1, field=why.field) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise ContentError(
            f"front matter is {kind}; it must be a mapping of fields (title: ..., date: ...)",
            path=path,
            line=2,
        )
    return {str(k): v for k, v in data.items()}


def field_lines(yaml_text: str) -> dict[str, int]:
    """Map each top-level key to its line in the file (the YAML starts on line 2).

    Only called when an error must name a line: the fast path never composes nodes.
    """
    try:
        node = yaml.compose(yaml_text, Loader=_FrontMatterLoader)
    except yaml.YAMLError:
        return {}
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 2 for k, _ in node.value}


def dump_front_matter(fields: Mapping[str, Any], body: str) -> str:
    """Write an article file: fenced YAML (known fields first) then the Markdown body."""
    ordered = {k: fields[k] for k in FIELD_ORDER if k in fields and fields[k] is not None}
    ordered.update({k: v for k, v in fields.items() if k not in ordered and v is not None})
    yaml_text = yaml.dump(
        ordered,
        Dumper=_FrontMatterDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1000,
    )
    return f"{FENCE}\n{yaml_text}{FENCE}\n\n{body.strip()}\n"

"""The record of moved articles: every address an article had before an edit moved it.

An edited title changes the slug, and so the address; the old one was published and
must keep working. The build compares each re-read article's address with the one its
last build read (the parse cache, or the preview's state) and appends each old address
to `redirects.tsv` beside site.yaml, one `old-address<TAB>article file` line, written
atomically. The file is content, not cache: `--clean`, a deleted `.archivegen/` and a
fresh clone keep it, and the user commits it with the articles. archivegen never edits an
article file to remember a move (a file the user may have open in an editor); the record
lists only moves, so a site whose articles never moved has no such file. Every build
reads it back and gives each article its recorded addresses as aliases.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from archivegen.config import SiteConfig
from archivegen.content.aliases import clean_alias
from archivegen.content.files import FileStamp
from archivegen.content.model import Article
from archivegen.errors import ContentError, raise_all
from archivegen.graph.urls import fill
from archivegen.output.atomic import write_atomic

if TYPE_CHECKING:  # every build reads RECORD_FILE; only a full build parses articles
    from archivegen.content.loader import LoadedArticle

RECORD_FILE = "redirects.tsv"
HEADER = (
    "# Old addresses of moved articles (archivegen adds a line when an edit changes an\n"
    "# article's address). Commit it with the content; a line may be removed by hand.\n"
)
Parsed = Mapping[str, tuple[FileStamp, "LoadedArticle"]]
Moves = dict[str, tuple[str, ...]]  # article file (as source_path) -> its old addresses


def record_path(config: SiteConfig) -> Path:
    """Where the record lives: beside site.yaml, with the content it describes."""
    return config.root / RECORD_FILE


def article_url(article: Article, config: SiteConfig) -> str:
    """An article's address by its permalink (before any clash suffix)."""
    return fill(config.permalinks.article, slug=article.slug, date=article.date)


def moved(old: Parsed, new: Parsed, config: SiteConfig) -> list[tuple[str, str, str]]:
    """(old address, new address, article file) for each article whose address differs
    from the one its last build read."""
    found = []
    for path, (_, loaded) in new.items():
        before = old.get(path)
        if before is None or before[1].article is None or loaded.article is None:
            continue
        was, now = article_url(before[1].article, config), article_url(loaded.article, config)
        if was != now:
            found.append((was, now, loaded.article.source_path))
    return found


def read_moves(path: Path) -> Moves:
    """The recorded old addresses of each article file; bad lines are errors naming them."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError(f"cannot be read: {exc}", path=path.name) from None
    moves: dict[str, list[str]] = {}
    errors: list[ContentError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        old, tab, source = line.partition("\t")
        try:
            if not tab or not source.strip():
                raise ValueError("is not `old-address<TAB>article file`")
            moves.setdefault(source.strip(), []).append(clean_alias(old))
        except ValueError as exc:
            errors.append(ContentError(f"{old!r} {exc}", path=path.name, line=number))
    raise_all(errors)
    return {source: tuple(dict.fromkeys(olds)) for source, olds in moves.items()}


def record_moves(path: Path, known: Moves, found: Sequence[tuple[str, str]]) -> Moves:
    """Append the moves not yet recorded (atomically); the record as it now stands."""
    new = [(old, src) for old, src in dict.fromkeys(found) if old not in known.get(src, ())]
    if not new:
        return known
    try:
        before = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        before = HEADER
    lines = "".join(f"{old}\t{source}\n" for old, source in new)
    write_atomic(path, (before.rstrip("\n") + "\n" + lines).encode())
    merged = {source: list(olds) for source, olds in known.items()}
    for old, source in new:
        merged.setdefault(source, []).append(old)
    return {source: tuple(olds) for source, olds in merged.items()}


def with_moves(articles: Sequence[Article], moves: Moves, config: SiteConfig) -> list[Article]:
    """The articles, each with its recorded old addresses among its aliases (except the
    address it has now: an article may move back)."""
    if not moves:
        return list(articles)
    out = []
    for article in articles:
        olds = moves.get(article.source_path)
        if olds:
            now = article_url(article, config)
            extra = tuple(o for o in olds if o != now and o not in article.aliases)
            article = dataclasses.replace(article, aliases=article.aliases + extra)
        out.append(article)
    return out


def follow_moves(
    articles: Sequence[Article], old: Parsed, new: Parsed, config: SiteConfig
) -> tuple[list[Article], tuple[tuple[str, str], ...]]:
    """Record the moves since the last build, give every article its recorded old
    addresses: (the articles, each move this build made as (old address, new address))."""
    found = moved(old, new, config)
    known = read_moves(record_path(config))
    moves = record_moves(record_path(config), known, [(was, src) for was, _, src in found])
    return with_moves(articles, moves, config), tuple((was, now) for was, now, _ in found)

"""Which articles a build added or edited since the last one, when only their pages need
making again (`graph/changes.py` says which pages those are); else why the whole graph.

The last build's state is its cache: every article it loaded (and so the ones it
published) and every page's fingerprint. Against it, an article is added (a new file, or
one that comes out of an embargo), edited in place (it shows differently where it was), or
unchanged. What the pages of the others depend on must be as it was: no article gone or
moved (its date, terms, draft, aliases: its `placement`), no address taken from another,
no term spelled otherwise, the same site-wide values (the render salt: the navigation).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from archivegen.content.files import FileStamp
from archivegen.content.loader import LoadedArticle
from archivegen.content.model import Article
from archivegen.graph.changes import Changed
from archivegen.graph.layout import Layout
from archivegen.graph.patch import placement
from archivegen.graph.shards import search_shards
from archivegen.graph.taxonomy import most_common_spelling, names_of, term_slug
from archivegen.graph.urls import fill
from archivegen.pipeline.context import BuildContext
from archivegen.pipeline.selection import select_articles

Parsed = Mapping[str, tuple[FileStamp, LoadedArticle]]
TAXONOMY_KINDS = ("category", "author", "tag")


def find_changes(
    context: BuildContext, layout: Layout, before: Parsed, now: Parsed
) -> Changed | str:
    """The articles added and edited since the build that left `before`, or why the
    whole graph must be made (a sentence for `archivegen build -v`)."""
    published = _published_before(context, before)
    position = {article.source_path: i for i, article in enumerate(layout.ordered)}
    was, loaded = _by_article(before), _by_article(now)
    gone = sorted(set(published) - set(position))
    if gone:
        return f"{gone[0]} is no longer published"
    added: list[int] = []
    edited: list[int] = []
    for path, index in position.items():
        new, old = loaded[path], published.get(path)
        if old is None:
            added.append(index)
        elif new is not was.get(path) and new.article != old:
            assert new.article is not None  # published: it loaded
            if placement(new.article) != placement(old):
                return f"{path} moves in the site (its date, terms or aliases changed)"
            if new.article.revisions != old.revisions:
                return f"{path} has other earlier versions"
            edited.append(index)
    refusal = _added_refusal(layout, added) or _spelling_refusal(layout, added)
    if refusal:
        return refusal
    return Changed(frozenset(added), frozenset(edited), _moved_shards(layout, set(added)))


def _by_article(parsed: Parsed) -> dict[str, LoadedArticle]:
    """The cache's entries by their article's source path (the cache's keys are files)."""
    return {e.article.source_path: e for _, e in parsed.values() if e.article is not None}


def _published_before(context: BuildContext, before: Parsed) -> dict[str, Article]:
    """The articles the last build published, by file (an embargo that lifted since is an
    addition now)."""
    loaded = [entry.article for _, entry in before.values() if entry.article is not None]
    last, _, _ = select_articles(loaded, context.options, context.now)
    return {article.source_path: article for article in last}


def _added_refusal(layout: Layout, added: Sequence[int]) -> str:
    """Why an added article needs the whole graph: it has old addresses, copies another or
    is copied, or its address is another article's too."""
    copied = {a.duplicate_of for a in layout.ordered if a.duplicate_of}
    pattern = layout.config.permalinks.article
    for index in added:
        article = layout.ordered[index]
        path = article.source_path
        if article.aliases:
            return f"{path} is added with old addresses (aliases)"
        if article.duplicate_of or path in copied:
            return f"{path} is added as a copy, or is the original of one"
        if fill(pattern, slug=article.slug, date=article.date) in layout.clashes:
            return f"{path} is added at an address another article has"
    return ""


def _spelling_refusal(layout: Layout, added: Sequence[int]) -> str:
    """Why an added article needs the whole graph: a term it names is now spelled as it
    spells it (every page linking that term shows the new name)."""
    added_set = set(added)
    checked: set[tuple[str, str]] = set()
    for index in added:
        for kind in TAXONOMY_KINDS:
            grouping = layout.groupings[kind]
            for name in names_of(kind)(layout.ordered[index]):
                slug = term_slug(name)
                if (kind, slug) in checked:
                    continue
                checked.add((kind, slug))
                spelled: Counter[str] = Counter()
                for member in grouping.members[slug]:
                    if member not in added_set:
                        for other in dict.fromkeys(names_of(kind)(layout.ordered[member])):
                            if term_slug(other) == slug:
                                spelled[other] += 1
                now = grouping.terms[slug].name
                if spelled and most_common_spelling(spelled) != now:
                    return f"the {kind} {most_common_spelling(spelled)!r} is now spelled {now!r}"
    return ""


def _moved_shards(layout: Layout, added: set[int]) -> frozenset[int]:
    """The articles that were there before and whose search shard changed (a year grew
    into quarters, a new month took the newest month's articles back into their quarter)."""
    kept = [i for i in range(len(layout.ordered)) if i not in added]
    before = search_shards([layout.ordered[i] for i in kept])
    return frozenset(i for i, shard in zip(kept, before, strict=True) if layout.shards[i] != shard)

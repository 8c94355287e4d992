"""The rebuild decision: up to date, patch these articles, or a full build, and why.

Asked before a build does anything, it reads only what it must to answer: the stamps of
the files said to have changed and, for an edited article, its file (an edit that moves
the article in the site needs the full layout); otherwise the stamps of every input,
against the state the last build left. The answer is a value the build follows and its
report carries (`archivegen build -v` prints it).
"""

from __future__ import annotations

import enum
import os
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archivegen.content.files import FileStamp
from archivegen.content.images import IMAGE_SUFFIXES, is_remote
from archivegen.output.cache import BuildState, CacheStore
from archivegen.output.manifest import commit_interrupted, manifest_file_digest
from archivegen.output.staging import check_output_dir
from archivegen.pipeline.context import BuildContext, BuildMode
from archivegen.pipeline.inputs import BuildInputs, scan_inputs

if TYPE_CHECKING:  # the patch path imports them when it runs: an up-to-date build needs none
    from archivegen.content.loader import LoadedArticle
    from archivegen.content.model import Article
    from archivegen.graph.patch import GraphIndex
    from archivegen.graph.site import SiteGraph
    from archivegen.pipeline.state import SiteState

OUTPUT_CHANGED = "the output folder changed since the last build"
COMMIT_INTERRUPTED = "the last build stopped inside its commit (the site is repaired)"
EMBARGO_LIFTED = "an embargoed article's date has come"
CONTENT_CHANGED = "content changed"


class RebuildKind(enum.Enum):
    """The three paths of a build."""

    UP_TO_DATE = "up to date"
    PATCH = "patch"  # the last graph, with edited articles swapped in
    CHANGES = "changes"  # a full build's load, then only the pages showing what changed
    FULL = "full build"  # every article loaded (the unchanged from the cache), laid out anew


@dataclass(frozen=True, slots=True)
class ArticleEdits:
    """Edited article files, read and swapped into the last graph: what a patch renders."""

    stamps: Mapping[str, FileStamp]  # their new stamps
    loaded: Mapping[str, tuple[FileStamp, LoadedArticle]]  # their new cache entries
    graph: SiteGraph  # the last graph with the edited articles swapped in
    index: GraphIndex  # where each article of that graph shows
    touched: list[int]  # positions of the pages that show an edited article


@dataclass(frozen=True, slots=True)
class Scan:
    """Every input stamped, and what the last build left, for a full build to start from."""

    inputs: BuildInputs
    saved: BuildState  # the last build's state ({} with --clean)
    live_manifest: str  # the digest of the output's manifest as it is now


@dataclass(frozen=True, slots=True)
class Rebuild:
    """Which path a build takes, and why."""

    kind: RebuildKind
    reason: str
    edits: ArticleEdits | None = None  # PATCH
    scan: Scan | None = None  # FULL, and UP_TO_DATE when every input was stamped
    summary: tuple[int, int] = (0, 0)  # UP_TO_DATE: the (articles, pages) of the output

    @property
    def up_to_date(self) -> bool:
        """True when the build has nothing to do."""
        return self.kind is RebuildKind.UP_TO_DATE

    def __str__(self) -> str:
        return f"{self.kind.value}: {self.reason}"


def choose_rebuild(
    context: BuildContext,
    last: SiteState | None,
    changed: Collection[str] | None,
    store: CacheStore,
) -> Rebuild:
    """Up to date, patch the edited articles, or a full build; `changed`: the files known
    to have changed since `last` (a preview's watcher), if known."""
    refusal = None
    if changed is not None and last is not None:
        found = _patch_or_refusal(context, last, changed)
        if isinstance(found, Rebuild):
            return found
        refusal = found
    return _scanned(context, last, store, refusal)


def _patch_or_refusal(
    context: BuildContext, last: SiteState, changed: Collection[str]
) -> Rebuild | str:
    """A patch (or nothing to do), else why the edits need the full layout."""
    from archivegen.graph.patch import index_graph, patch_graph, patch_refusal
    from archivegen.pipeline.moves import article_url

    stamps = _restamped(last.articles, changed, context.config.content_path)
    if isinstance(stamps, str):
        return stamps
    if _embargo_lifted(last.saved, context):
        return EMBARGO_LIFTED
    if not stamps:
        reason = "the changed files are as the last build read them"
        return Rebuild(RebuildKind.UP_TO_DATE, reason, summary=last.saved.summary)
    if commit_interrupted(context.config.output_path):
        return COMMIT_INTERRUPTED
    if manifest_file_digest(context.config.output_path) != last.saved.output_manifest_digest:
        return OUTPUT_CHANGED
    read = _read_edits(last, stamps, context)
    if isinstance(read, str):
        return read
    pairs, loaded = read
    if last.graph is None:
        return "the last build kept only the pages it changed"
    for old, new in pairs:  # the full build records its old address as a redirect
        if article_url(old, context.config) != article_url(new, context.config):
            return f"{new.source_path} moves to a new address (its old one is kept)"
    index = last.index or index_graph(last.graph)
    pattern = context.config.permalinks.article
    patched = patch_graph(last.graph, index, pairs, pattern)
    if patched is None:  # the edits move an article: say how
        return patch_refusal(last.graph, index, pairs, pattern) or "the edits move an article"
    edits = ArticleEdits(stamps, loaded, *patched)
    return Rebuild(RebuildKind.PATCH, f"edited {', '.join(sorted(stamps))}", edits=edits)


def _scanned(
    context: BuildContext, last: SiteState | None, store: CacheStore, refusal: str | None
) -> Rebuild:
    """Stamp every input and compare with the last build's state."""
    config, options = context.config, context.options
    check_output_dir(config.output_path, config.root, [config.content_path, *context.theme])
    scan = Scan(
        scan_inputs(config, context.theme, context.options_key),
        _last_saved(last, store, options.clean),
        manifest_file_digest(config.output_path),
    )
    reason = _why_full(context, scan, refusal)
    if reason is None and context.mode is BuildMode.PREVIEW and last is None:
        reason = "the preview learns the site"  # so that its first edit is patched
    if reason is None:
        summary = scan.saved.summary
        return Rebuild(RebuildKind.UP_TO_DATE, "no input changed", scan=scan, summary=summary)
    return Rebuild(RebuildKind.FULL, reason, scan=scan)


def _last_saved(last: SiteState | None, store: CacheStore, clean: bool) -> BuildState:
    """What the last build left: nothing with --clean, this process's, or the disk's."""
    if clean:
        return BuildState()
    return last.saved if last is not None else store.state()


def _why_full(context: BuildContext, scan: Scan, refusal: str | None) -> str | None:
    """Why the output is not up to date (None: it is): the first cause found."""
    saved, inputs = scan.saved, scan.inputs
    if context.options.clean:
        return "--clean"
    if commit_interrupted(context.config.output_path):
        return COMMIT_INTERRUPTED
    if not saved.inputs_digest:
        return "no build cache to start from"
    if saved.inputs_digest != inputs.digest:
        return _input_change(inputs, saved, context.config.root, refusal)
    if _embargo_lifted(saved, context):
        return EMBARGO_LIFTED
    if scan.live_manifest != saved.output_manifest_digest:
        return OUTPUT_CHANGED
    return None


def _input_change(inputs: BuildInputs, saved: BuildState, root: Path, refusal: str | None) -> str:
    """Which inputs changed since the saved build, in words (for the content: why the
    edits could not be patched, when that was tried)."""
    part = inputs.changed_part(saved.input_parts)
    if part == "content" and refusal:
        return refusal
    if part == "theme":  # the theme's files, and the content's images (stamped with them)
        changed = inputs.theme_change(saved.theme_files, root)
        image = changed.lower().endswith(IMAGE_SUFFIXES)
        return f"{'an image' if image else 'theme'} changed ({changed})"
    return CONTENT_CHANGED if part == "content" else f"{part} changed"


def _embargo_lifted(saved: BuildState, context: BuildContext) -> bool:
    return saved.next_embargo is not None and context.now.timestamp() >= saved.next_embargo


def _restamped(
    known: Mapping[str, tuple[FileStamp, LoadedArticle]], changed: Collection[str], content: Path
) -> dict[str, FileStamp] | str:
    """The new stamps of the changed files, or why they are not all known article files."""
    stamps: dict[str, FileStamp] = {}
    for path in sorted(changed):
        cached = known.get(path)
        if cached is None:
            new = path.endswith(".md") and Path(path).is_relative_to(content)
            return f"{path} is {'a new article' if new else 'not an article'}"
        try:
            stat = os.stat(path)
        except OSError:
            return f"{path} was deleted"
        if (stat.st_size, stat.st_mtime_ns) != cached[0]:
            stamps[path] = (stat.st_size, stat.st_mtime_ns)
    return stamps


def _read_edits(
    last: SiteState, stamps: Mapping[str, FileStamp], context: BuildContext
) -> tuple[list[tuple[Article, Article]], dict[str, tuple[FileStamp, LoadedArticle]]] | str:
    """(old, new) articles and their new cache entries, or why a full build must run."""
    from archivegen.content.loader import load_article_file

    pairs, loaded = [], {}
    for path, stamp in stamps.items():
        outcome = load_article_file(Path(path), context.config, with_body=False)
        old = last.articles[path][1]
        if outcome.article is None or old.article is None:
            return f"{path} has errors to report"  # the full build reports them
        if _local_image(outcome.article) or _local_image(old.article):
            return f"{path} shows a local image (measured and resized by a full build)"
        if outcome.assumed_timezone != old.assumed_timezone:
            return f"{path}: whether its date names a zone changed"  # the build's warning
        pairs.append((old.article, outcome.article))
        loaded[path] = (stamp, outcome)
    return pairs, loaded


def _local_image(article: Article) -> bool:
    lead = bool(article.image) and not is_remote(article.image or "")
    return lead or bool(article.body_image_paths)

"""Saved HTML pages through trafilatura: main text as Markdown, plus the page's metadata."""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, tzinfo

import trafilatura
from trafilatura.settings import Document
from trafilatura.utils import load_html

from archivegen.content.images import is_remote
from archivegen.errors import ImportError_
from archivegen.importers.dates import WIB
from archivegen.importers.html_dates import PageDates, page_dates, saved_at
from archivegen.importers.html_markdown import XmlElement as HtmlElement
from archivegen.importers.html_markdown import body_to_markdown, safe_url
from archivegen.importers.html_meta import page_meta, split_keywords, squash
from archivegen.importers.listing import listing_reason
from archivegen.importers.model import DateSource, ImportedArticle, NotAnArticle
from archivegen.importers.people import split_authors


@dataclass(frozen=True, slots=True)
class HtmlExtract:
    """What a saved page yields: metadata, the Markdown body, and a listing verdict."""

    title: str | None
    byline: str | None  # as the page prints it
    authors: tuple[str, ...]
    dates: PageDates
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    site_name: str | None
    url: str | None
    image: str | None
    body: str
    not_article: str | None  # why the page is a home or listing page


def extract_html(
    text: str,
    default_zone: tzinfo = WIB,
    *,
    captured: datetime | None = None,
    address: str | None = None,
) -> HtmlExtract:
    """Run trafilatura on a page and turn its main text into Markdown.

    A crawl knows what the page itself may not say: when it was fetched (`captured`, the
    reference for relative dates) and from where (`address`, which wins over the page's
    canonical URL: links and pictures are resolved against the URL actually fetched).
    """
    tree = _parse(text)
    doc, body = _main_text(tree)
    if doc is None or body is None:
        return _empty(tree)
    if tree.find(".//img") is not None:
        # this pass only places pictures among the paragraphs: no fallback extractors
        _add_pictures(body, _extract(tree, with_metadata=False, include_images=True, fast=True))
    url = address or (safe_url(doc.url) if doc.url else _canonical(tree))
    meta = page_meta(tree)
    title = meta.title or squash(doc.title)
    byline = meta.byline or doc.author
    return HtmlExtract(
        title=title,
        byline=byline,
        authors=split_authors(byline.replace(";", ",")) if byline else (),
        dates=page_dates(
            tree, meta.published, doc.date, title, url, default_zone, captured or saved_at(text)
        ),
        categories=split_keywords(doc.categories),
        tags=split_keywords(doc.tags),
        site_name=meta.site_name or doc.sitename or None,
        url=url,
        image=_lead_image(doc.image, url),
        body=body_to_markdown(body, base_url=url, skip_title=title or ""),
        # plain text (no links or formatting) shows a listing's teasers and timestamps best
        not_article=listing_reason(tree, lambda: trafilatura.extract(text) or ""),
    )


def _lead_image(image: str | None, page_url: str | None) -> str | None:
    """The page's image as an absolute http(s) URL (a relative `/static/...` joined to the
    page's address); None if it cannot be one: the build would look for it in content/."""
    found = safe_url(image, page_url) if image else None
    return found if found and is_remote(found) else None


def _main_text(tree: HtmlElement) -> tuple[Document | None, HtmlElement | None]:
    """The page's metadata and main text: trafilatura's precise extraction, repaired.

    favor_precision drops more boilerplate (related links, captions, promotions) than the
    default focus, but it also cuts links out of sentences and now and then whole paragraphs
    of the article: see _repair. When it keeps less than half the default's text it cut into
    the article itself, and the default's text is the article's.
    """
    precise = _extract(tree, with_metadata=True, favor_precision=True)
    default = _extract(tree, with_metadata=precise is None)
    meta = precise or default
    if precise is None or default is None:
        return meta, meta.body if meta is not None else None
    if 2 * _length(precise.body) < _length(default.body):
        return meta, default.body
    return meta, _repair(precise.body, default.body)


def _repair(precise: HtmlElement, default: HtmlElement) -> HtmlElement:
    """The precise blocks, each replaced by its default twin (precision cuts words out of
    sentences around links), with the prose paragraphs and section headings it dropped put
    back."""
    wide = _leaf_blocks(default)
    blocks = _leaf_blocks(precise)
    runs = _align([_block_tokens(b) for b in blocks], [_block_tokens(b) for b in wide])
    # text precision kept without a twin must not come back a second time from the default
    alone = Counter(
        t for run, n in runs if n is None for k in run for t in _block_tokens(blocks[k])
    )
    out = precise.makeelement("body", {})
    done = 0
    for run, n in runs:
        if n is not None:
            # before the first twin lie the title, standfirst and kicker, which precision drops
            out.extend(_dropped(wide[done:n], alone, headed=done > 0))
            done = n + 1
        if n is not None and len(run) == 1:
            out.append(copy.deepcopy(wide[n]))
        else:  # blocks of their own, or the finer paragraphs of one default block
            out.extend(copy.deepcopy(blocks[k]) for k in run)
    if done:  # after the last twin: the dropped prose that follows it
        out.extend(_dropped(wide[done:], alone, headed=False))
    return out


def _align(blocks: list[list[str]], wide: list[list[str]]) -> list[tuple[list[int], int | None]]:
    """Runs of precise blocks, each with its default twin (holding the same words, or these
    and fewer as many again) or None."""
    runs: list[tuple[list[int], int | None]] = []
    done = k = 0  # the default blocks before done are placed or passed over
    while k < len(blocks):
        n = _container(blocks[k], wide, done)
        words, j = list(blocks[k]), k + 1
        # precision may split one default paragraph in two: a run of blocks shares the twin
        while n is not None and j < len(blocks) and _within(words + blocks[j], wide[n]):
            words, j = words + blocks[j], j + 1
        if n is not None and len(wide[n]) <= 2 * len(words):
            runs.append((list(range(k, j)), n))
            done = n + 1
        else:
            runs.extend(([b], None) for b in range(k, j))
        k = j
    return runs


_WINDOW = 40  # how far ahead in the default's blocks a twin is looked for


def _container(tokens: list[str], wide: list[list[str]], start: int) -> int | None:
    """The first default block from start on with the same words, else one holding them."""
    if not tokens:
        return None
    window = range(start, min(len(wide), start + _WINDOW))
    same = next((n for n in window if wide[n] == tokens), None)
    return same if same is not None else next((n for n in window if _within(tokens, wide[n])), None)


def _within(tokens: list[str], wider: list[str]) -> bool:
    """Whether all but a tenth of the words are among the wider block's."""
    missing = sum((Counter(tokens) - Counter(wider)).values())
    return bool(tokens) and len(tokens) <= len(wider) and missing <= 0.1 * len(tokens)


def _dropped(blocks: list[HtmlElement], alone: Counter[str], *, headed: bool) -> list[HtmlElement]:
    """What precision dropped from a run of default blocks that reads as the article's own:
    paragraphs of sentences without links, each with the heading just before it, and (when
    headed: a kept block follows the run) a last section heading."""
    found: list[HtmlElement] = []
    for n, block in enumerate(blocks):
        if not _is_prose(block, alone):
            continue
        heading = blocks[n - 1] if n and blocks[n - 1].tag == "head" else None
        if heading is not None and (not found or found[-1] is not heading):
            found.append(heading)
        found.append(block)
    if headed and blocks and blocks[-1].tag == "head":
        found.append(blocks[-1])
    return [copy.deepcopy(b) for b in found]


def _is_prose(block: HtmlElement, alone: Counter[str]) -> bool:
    text = " ".join("".join(block.itertext()).split())
    tokens = _tokens(text)
    return (
        block.tag == "p"
        and len(text) >= _PROSE_CHARS
        and text.endswith(_SENTENCE_ENDS)
        and not block.xpath(".//ref")
        and sum((Counter(tokens) & alone).values()) < 0.5 * len(tokens)
    )


_PROSE_CHARS = 80
_SENTENCE_ENDS = tuple('.!?…。！？"”’»')
_BLOCKS = frozenset({"p", "head", "list", "quote", "code", "table", "graphic"})
_CJK_OR_WORD = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]|[^\W\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]+"
)


def _leaf_blocks(body: HtmlElement) -> list[HtmlElement]:
    """The blocks of trafilatura's XML in order, looking into the divs that only group them."""
    leaves: list[HtmlElement] = []
    for el in body:
        if el.tag in ("div", "section") and len(el) and all(c.tag in _BLOCKS for c in el):
            leaves.extend(_leaf_blocks(el))
        elif el.tag in _BLOCKS or el.tag in ("div", "section"):
            leaves.append(el)
    return leaves


def _block_tokens(block: HtmlElement) -> list[str]:
    return _tokens("".join(block.itertext()))


def _tokens(text: str) -> list[str]:
    # a Chinese or Japanese character is a word of its own: that text has no spaces
    return _CJK_OR_WORD.findall(text.lower())


def _add_pictures(body: HtmlElement, pictured: Document | None) -> None:
    """Put the pictures of an extraction with images into the text, among the same blocks.

    The text comes from extractions without images: with them trafilatura keeps captions,
    "more/less" toggles and page chrome. Only a picture between two blocks of the text is
    the article's; the page's lead picture is its `image` field.
    """
    if pictured is None:
        return
    blocks = _leaf_blocks(body)
    words = [_block_tokens(b) for b in blocks]
    pending: list[HtmlElement] = []
    done = 0
    for leaf in _leaf_blocks(pictured.body):
        if leaf.tag == "graphic":
            pending.append(leaf)
            continue
        n = _container(_block_tokens(leaf), words, done)
        if n is not None:
            for picture in pending if done else ():
                blocks[n].addprevious(_detached(picture))
            pending, done = [], n + 1
        pending.extend(leaf.iter("graphic"))  # a picture inside a block comes after its start


def _detached(el: HtmlElement) -> HtmlElement:
    twin = copy.deepcopy(el)
    twin.tail = None
    return twin


def _extract(
    tree: HtmlElement,
    *,
    with_metadata: bool,
    favor_precision: bool = False,
    include_images: bool = False,
    fast: bool = False,
) -> Document | None:
    doc = trafilatura.bare_extraction(
        tree,
        fast=fast,
        with_metadata=with_metadata,
        favor_precision=favor_precision,
        include_formatting=True,
        include_links=True,
        include_images=include_images,
        include_tables=True,
        include_comments=False,
        # dates from markup only: htmldate's extensive search guesses from any number in the text
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    return doc if isinstance(doc, Document) and doc.body is not None else None


def _length(body: HtmlElement) -> int:
    # characters, not words: Chinese and Japanese text has no spaces between words
    return sum(len(run) for run in "".join(body.itertext()).split())


def read_html(
    text: str,
    origin: str,
    default_zone: tzinfo = WIB,
    *,
    captured: datetime | None = None,
    address: str | None = None,
) -> ImportedArticle:
    """One saved page into an article; listing pages are refused; the date may be missing."""
    page = extract_html(text, default_zone, captured=captured, address=address)
    if page.not_article:
        raise NotAnArticle(
            f"not an article: a home or listing page ({page.not_article})", path=origin
        )
    if not page.body.strip():
        raise ImportError_("no article text found on the page", path=origin)
    if not page.title:
        raise ImportError_("no title found on the page", path=origin, field="title")
    extra = [(k, v) for k, v in (("site_name", page.site_name), ("image", page.image)) if v]
    return ImportedArticle(
        title=page.title,
        date=page.dates.published,
        body=page.body,
        origin=origin,
        authors=page.authors,
        category=page.categories[0] if page.categories else None,
        tags=page.tags,
        source=page.url,
        extra=tuple(extra),
        updated=page.dates.updated,
        captured=page.dates.captured,
        date_source=DateSource.RELATIVE if page.dates.relative else None,
        date_has_time=page.dates.has_time,
        date_problem=page.dates.problem,
    )


def _parse(text: str) -> HtmlElement:
    tree = load_html(text)
    if tree is None:
        raise ImportError_("not readable HTML")
    return tree


def _canonical(tree: HtmlElement) -> str | None:
    for href in tree.xpath('//link[@rel="canonical"]/@href'):
        url = safe_url(str(href))
        if url and url.startswith("http"):
            return url
    return None


def _empty(tree: HtmlElement) -> HtmlExtract:
    meta = page_meta(tree)
    return HtmlExtract(
        title=meta.title,
        byline=meta.byline,
        authors=(),
        dates=page_dates(tree, meta.published, None, meta.title, None, WIB),
        categories=(),
        tags=(),
        site_name=meta.site_name,
        url=_canonical(tree),
        image=None,
        body="",
        not_article=listing_reason(tree, lambda: ""),
    )

"""Search quality of a built site: precision, recall and rank agreement per query class.

Used by `bench_search.py --quality`. For queries drawn from the built article pages, it
compares three answers:
- the ground truth: the articles whose indexed text holds every query word in a form with
  the same Indonesian Snowball stem (the `snowballstemmer` package: the algorithm Pagefind's
  stemmer compiles). Indexed text is what Pagefind reads: the `data-pagefind-body` element
  without `data-pagefind-ignore` subtrees nor the elements Pagefind skips (footer, nav,
  form, script…). Word rule, Pagefind's: split at whitespace, lowercase, keep letters and
  digits only (`7.000` → `7000`); a word with ASCII punctuation inside (`anak-anak`,
  `Kabupaten/Kota`) also counts as each of its parts;
- the sharded site as built, through its own search page (`search.js`) in Chromium;
- one unsharded Pagefind index over the same pages (`SearchIndexer` with no shard names),
  served by the same page and script (`data-shards="all"`).
Precision = |answer ∩ truth| / |answer| (1.0 for an empty answer), recall = |answer ∩ truth|
/ |truth| (1.0 for an empty truth); rank agreement = the share of the sharded answer's
first 10 (by relevance) that are the unsharded answer's first 10.
"""

from __future__ import annotations

import random
import re
import shutil
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import snowballstemmer  # type: ignore[import-untyped]
from lxml import html as lxml_html

from archivegen.search import SearchIndexer

SKIPPED = ("footer", "nav", "form", "script", "style", "noscript", "svg", "template")
WORD = re.compile(r"[^\w]|_", re.UNICODE)
ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
STEM = snowballstemmer.stemmer("indonesian")
PER_CLASS = 36  # 6 classes: 216 queries
MAX_RESULTS = 80  # queries are drawn so that the truth stays under this (all results shown)
SHARD_FILTER = re.compile(r'data-pagefind-filter="shard:([^"]*)"')


@dataclass
class Article:
    url: str
    shard: str
    stems: set[str]
    byline: str


@dataclass
class Corpus:
    articles: list[Article] = field(default_factory=list)
    pages: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # stem → urls
    surface: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # stem → words
    names: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # Capitalised


def normal(word: str) -> str:
    """A word as Pagefind indexes it: lowercase, letters and digits only."""
    return WORD.sub("", word.lower())


def stems_of(token: str) -> set[str]:
    """The stems a token is indexed under: the whole word, and its parts at ASCII punctuation
    and at case and digit boundaries (Pagefind's fossick/splitting.rs, through convert_case's
    default boundaries: "Kabupaten/Kota" is also "kabupaten" and "kota", "dangdutIkke" also
    "dangdut" and "ikke", "Rp799" also "rp" and "799")."""
    parts = [part for piece in ASCII_PUNCTUATION.split(token) for part in case_parts(piece)]
    forms = {normal(token)} | {normal(piece) for piece in ASCII_PUNCTUATION.split(token)}
    forms |= {normal(part) for part in parts}
    return {STEM.stemWord(form) for form in forms if form}


def case_parts(word: str) -> list[str]:
    """A word cut where convert_case 0.6 cuts by default: lower→upper ("dangdutIkke"), an
    acronym before a capitalised word ("WKWeb"), and between letters and digits."""
    parts, start = [], 0
    for i in range(1, len(word)):
        before, here, after = word[i - 1], word[i], word[i + 1 : i + 2]
        if (
            (before.islower() and here.isupper())
            or (before.isupper() and here.isupper() and after.islower())
            or (before.isalpha() and here.isdigit())
            or (before.isdigit() and here.isalpha())
        ):
            parts.append(word[start:i])
            start = i
    parts.append(word[start:])
    return parts


def read_article(relative: str, data: bytes) -> Article | None:
    """One built page's URL, shard, indexed stems and byline (None: not an article)."""
    tree = lxml_html.fromstring(data)
    body = tree.find(".//*[@data-pagefind-body]")
    if body is None:
        return None
    byline = " ".join(body.xpath(".//*[@data-pagefind-meta='byline']//text()")).strip()
    for node in body.xpath(".//*[@data-pagefind-ignore]") + body.xpath(
        " | ".join(f".//{tag}" for tag in SKIPPED)
    ):
        if node.getparent() is not None:
            node.drop_tree()
    text = " ".join(body.itertext())
    found = SHARD_FILTER.search(data.decode("utf-8"))
    url = "/" + relative.removesuffix("index.html")
    stems = set().union(*(stems_of(token) for token in text.split())) if text else set()
    article = Article(url, found.group(1) if found else "", stems, byline)
    article.stems.discard("")
    return article


def read_corpus(pages: dict[str, bytes]) -> Corpus:
    """Every article page's stems, and the words (with their capitals) behind each stem."""
    corpus = Corpus()
    for relative, data in pages.items():
        article = read_article(relative, data)
        if article is None:
            continue
        corpus.articles.append(article)
        for stem in article.stems:
            corpus.pages[stem].add(article.url)
        text = lxml_html.fromstring(data).find(".//*[@data-pagefind-body]").text_content()
        for token in text.split():
            word = token.strip(".,;:!?\"'()“”‘’")
            if word.isalpha() and len(word) >= 4:
                corpus.surface[STEM.stemWord(normal(word))].add(word)
                if word[0].isupper() and not word.isupper():
                    corpus.names[word] += 1
    return corpus


def truth(corpus: Corpus, query: str) -> set[str]:
    """The articles holding every word of `query` in a form of the same stem."""
    # a word of punctuation only ("-" in "Adhi Prasetya - Sepakbola") is no word to Pagefind
    words = [normal(w) for w in query.split() if normal(w)]
    sets = [corpus.pages.get(STEM.stemWord(word), set()) for word in words]
    return set.intersection(*sets) if sets else set()


def draw_queries(corpus: Corpus, seed: int = 17) -> dict[str, list[str]]:
    """PER_CLASS queries per class, drawn from the corpus with a fixed seed."""
    rng = random.Random(seed)
    shard_of = {a.url: a.shard for a in corpus.articles}
    spread = {stem: {shard_of[u] for u in urls} for stem, urls in corpus.pages.items()}
    usable = {s for s, urls in corpus.pages.items() if 2 <= len(urls) <= MAX_RESULTS}

    def words(stems: list[str]) -> list[str]:
        pool = sorted(min(corpus.surface[s]).lower() for s in stems if corpus.surface.get(s))
        return rng.sample(pool, min(PER_CLASS, len(pool)))

    one = [s for s in usable if len(spread[s]) == 1 and len(s) >= 5]
    wide = min(8, max(2, len({a.shard for a in corpus.articles}) // 2))
    many = [s for s in usable if len(spread[s]) >= wide and len(corpus.pages[s]) >= 10]
    names = sorted(
        word
        for word, count in corpus.names.items()
        if count >= 3 and STEM.stemWord(normal(word)) in usable and word.lower() not in STOP
    )
    reporters = sorted({a.byline for a in corpus.articles if a.byline and "," not in a.byline})
    reporters = [r for r in reporters if len(truth(corpus, r)) <= MAX_RESULTS]
    many_words = words(many)
    return {
        "one shard": words(one),
        "many shards": many_words,
        "names": rng.sample(names, min(PER_CLASS, len(names))),
        "reporters": rng.sample(reporters, min(PER_CLASS, len(reporters))),
        "misspellings": [misspell(w, rng, corpus) for w in many_words],
        "nonsense": [nonsense(rng, many_words or ["tanpa"]) for _ in range(PER_CLASS)],
    }


STOP = {"yang", "dari", "untuk", "dengan", "pada", "dalam", "akan", "atau", "oleh"}


def misspell(word: str, rng: random.Random, corpus: Corpus) -> str:
    """A typo of `word` (two inner letters swapped, or one dropped) that no article holds."""
    for _ in range(50):
        i = rng.randrange(1, len(word) - 1)
        typo = (
            word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            if rng.random() < 0.5
            else (word[:i] + word[i + 1 :])
        )
        if STEM.stemWord(typo) not in corpus.pages:
            return typo
    return word + "q"


def nonsense(rng: random.Random, words: list[str]) -> str:
    """Letters no word has; half of them begin with a real word (a shard's fallback bait)."""
    tail = "".join(rng.choice("qxzvj") for _ in range(5))
    return rng.choice(words) + tail if rng.random() < 0.5 else tail


def unsharded_site(out: Path, pages: dict[str, bytes], language: str, scratch: Path) -> Path:
    """A copy of the site (hard links) whose search uses one unsharded index, `pagefind/all/`."""
    site = scratch / "unsharded"
    shutil.copytree(out, site, copy_function=_link, ignore=shutil.ignore_patterns("pagefind"))
    indexer = SearchIndexer(site, language, reuse=False)
    for relative, data in pages.items():
        indexer.add(relative, data)
    indexer.write(_FolderSink(site, scratch))
    for search_page in site.rglob("index.html"):
        data = search_page.read_bytes()
        if b"data-shards=" in data:
            search_page.unlink()  # a hard link: do not write through it into the real site
            search_page.write_bytes(re.sub(rb'data-shards="[^"]*"', b'data-shards="all"', data))
    return site


def _link(source: str, target: str) -> None:
    Path(target).hardlink_to(source)


class _FolderSink:
    """Writes the unsharded bundle's files under `pagefind/all/` of a folder."""

    def __init__(self, root: Path, scratch: Path) -> None:
        self.root, self.tmp = root, scratch

    def _path(self, relative: str) -> Path:
        path = self.root / "pagefind" / "all" / relative.removeprefix("pagefind/")
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write(self, relative: str, data: bytes) -> bool:
        self._path(relative).write_bytes(data)
        return True

    def write_file(self, relative: str, path: Path, digest: str) -> bool:
        shutil.move(path, self._path(relative))
        return True

    def can_keep(self, relative: str, digest: str) -> bool:
        return False

    def keep(self, relative: str) -> bool:
        return False

    def scratch(self, label: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=f"quality-{label}-", dir=self.tmp))


@dataclass
class Answer:
    urls: list[str]  # in the page's order (relevance)
    seconds: float


def answers(page: Any, base: str, search_url: str, queries: list[str]) -> Iterator[Answer]:
    """Each query typed into the search page (sorted by relevance); every result listed."""
    page.goto(f"{base}{search_url}?sort=relevance")
    page.wait_for_function("() => document.getElementById('search-status').textContent")
    for query in queries:
        started = time.perf_counter()
        page.fill("#search-input", query)
        page.press("#search-input", "Enter")
        page.wait_for_function(SETTLED, arg=query, timeout=120_000)
        while page.is_visible("#search-more"):
            show_more(page, query)
        links = page.locator("#search-results .entry-title a")
        urls = [urlsplit(h or "").path for h in links.evaluate_all(HREFS)]
        yield Answer(urls, time.perf_counter() - started)


def show_more(page: Any, query: str) -> None:
    """Click "more" and wait for more results (a click landing mid-render is tried again)."""
    shown = page.locator("#search-results li").count()
    for _ in range(3):
        page.click("#search-more")
        try:
            page.wait_for_function(MORE, arg=shown, timeout=20_000)
            return
        except Exception:  # playwright's TimeoutError
            if not page.is_visible("#search-more"):
                return
    raise RuntimeError(f"{query!r}: 'more' shows nothing after {shown} results")


# settled: the status names this query and the first page of results is drawn
SETTLED = """q => {
  const status = document.getElementById('search-status').textContent;
  if (!status.includes('\u201c' + q + '\u201d')) return false;
  const n = parseInt(status, 10);
  if (status.startsWith('Tidak') || status.startsWith('No ')) return true;
  return document.querySelectorAll('#search-results li').length === Math.min(n, 10);
}"""
MORE = "n => document.querySelectorAll('#search-results li').length > n"
HREFS = "links => links.map(a => a.getAttribute('href'))"


@dataclass
class Scores:
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    base_precision: list[float] = field(default_factory=list)
    base_recall: list[float] = field(default_factory=list)
    agreement: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def score(scores: Scores, want: set[str], sharded: Answer, unsharded: Answer) -> None:
    """Add one query's figures to its class."""
    for answer, precision, recall in (
        (sharded, scores.precision, scores.recall),
        (unsharded, scores.base_precision, scores.base_recall),
    ):
        got = set(answer.urls)
        precision.append(len(got & want) / len(got) if got else 1.0)
        recall.append(len(got & want) / len(want) if want else 1.0)
    top, base_top = sharded.urls[:10], set(unsharded.urls[:10])
    scores.agreement.append(len(base_top & set(top)) / len(top) if top else float(not base_top))
    scores.seconds.append(sharded.seconds)


def print_scores(by_class: dict[str, Scores], counts: dict[str, int]) -> None:
    """One line per query class."""
    head = ("class", "queries", "P sharded", "R sharded", "P unsharded", "R unsharded",
            "top-10 agree", "s/query")  # fmt: skip
    print("\n" + " | ".join(head))
    mean = statistics.fmean
    for name, s in by_class.items():
        cells = (name, str(counts[name]), f"{mean(s.precision):.3f}", f"{mean(s.recall):.3f}",
                 f"{mean(s.base_precision):.3f}", f"{mean(s.base_recall):.3f}",
                 f"{mean(s.agreement):.3f}", f"{mean(s.seconds):.2f}")  # fmt: skip
        print(" | ".join(cells))


def measure_quality(out: Path, search_url: str, language: str, pages: dict[str, bytes]) -> None:
    """Draw the queries, run them on the sharded and the unsharded site, print the table."""
    import browserkit
    from playwright.sync_api import sync_playwright

    corpus = read_corpus(pages)
    queries = draw_queries(corpus)
    flat = [q for qs in queries.values() for q in qs]
    with tempfile.TemporaryDirectory(prefix="bench-quality-") as scratch:
        unsharded = unsharded_site(out, pages, language, Path(scratch))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(browserkit.CHROMIUM), args=browserkit.CHROMIUM_ARGS
            )
            got = {}
            for label, site in (("sharded", out), ("unsharded", unsharded)):
                with browserkit.serve_folder(site) as base:
                    tab = browser.new_context().new_page()
                    got[label] = list(answers(tab, base, search_url, flat))
            browser.close()
    by_class: dict[str, Scores] = {}
    answers_of = iter(zip(got["sharded"], got["unsharded"], strict=True))
    for name, qs in queries.items():
        scores = by_class.setdefault(name, Scores())
        for query in qs:
            sharded, base = next(answers_of)
            want = truth(corpus, query)
            score(scores, want, sharded, base)
            if set(sharded.urls) != want or set(base.urls) != want:
                print(f"  [{name}] {query!r}: truth {len(want)}, sharded {len(sharded.urls)}"
                      f" ({len(set(sharded.urls) - want)} not in truth), unsharded"
                      f" {len(base.urls)} ({len(set(base.urls) - want)} not in truth)")  # fmt: skip
    print_scores(by_class, {name: len(qs) for name, qs in queries.items()})

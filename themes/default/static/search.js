// The archive's search page: a small client of Pagefind's JS API (pagefind.js).
//
// Safety rule: whatever the reader typed and whatever the index holds goes into the page as
// text (textContent, value), never as HTML. The excerpt too: it is cut from the page's
// plain text (Pagefind's fragment `content`) and built of text nodes and <mark> elements.
//
// State lives in the URL (?q=…&category=…&year=…&sort=…), so any search can be linked.
//
// The index is sharded by calendar range: a year, a quarter or a month ("2016", "2015-q4",
// "2015-03"; data-shards, newest first as the build sorts them): the first shard's pagefind.js
// is loaded and the others are merged into it (mergeIndex), so filter counts add up
// across shards. Pagefind orders merged results by score alone, and a sort's score is a
// rank within one shard; so a date sort runs one search per shard (a hidden `shard`
// filter) and concatenates them in shard order: shards are calendar ranges, so the
// concatenation is the global date order.
//
// Matching rule: a result must contain every query word, or a form Pagefind's stemmer maps
// to it. Pagefind's plain search matches each word as a prefix and, in an index that has no
// word starting with it, falls back to the longest indexed prefix of it ("k" for
// "kazakhstan"): every shard lacking the word returns such junk, and it outranks the real
// hits. Pagefind's exact search (a quoted term) looks the stem up and nothing else, so each
// word is also searched quoted and only pages every word's exact search found are kept; the
// plain search still gives the excerpt and the filter counts.
//
// Relevance is the same whatever the shards. Pagefind scores a page against its own shard:
// BM25's idf is ln((N - n + .5) / (n + .5) + 1) with N the shard's pages and n those
// matching the word, so merged scores of shards of different sizes do not compare. With
// page length and metadata fields left out of the ranking (RANKING: both use per-index
// figures), a word's score is that idf times a part that depends on the page alone; so each
// page's score is divided by its shard's idf and multiplied by the archive's (N summed over
// the shards, n = the pages the word's exact search finds), summed over the query's words.

const PAGE_SIZE = 10;
const FILTER_KEYS = ["category", "year", "author", "tag"];
const SORTS = { newest: { date: "desc" }, oldest: { date: "asc" }, relevance: null };
const DEFAULT_SORT = "newest";
const SHOWN_VALUES = 12; // filter values shown before "Show all"
const TYPING_DELAY_MS = 250;
const COUNTED_PAGES = 200; // a several-word query counts filters from this many fragments
const EXCERPT_WORDS = 30;
// Scores closer than this (relative) are ties, newest first: the division above recovers a
// score to about 1e-7, and it must not order equal pages by their shard.
const TIE = 1e-5;
const META_FIELDS = ["title", "category", "byline", "date", "image", "image_alt", "image_caption"];
// Pagefind also scores the words a query word begins ("elektrikdan" for "elektrik"), but only
// those in the index chunks it loads for the word, so their share depends on where a chunk
// ends: different in each shard and in one index. A steep term similarity weighs them ~1e-8
// of the word's own forms (Pagefind's length bonus, exp(s·(exp(−d²/8) − 1)) for a length
// difference d − 1), and the saturation scaled by the same bonus keeps BM25's curve for them.
const SIMILARITY = 60;
const OWN_FORM_BONUS = Math.exp(SIMILARITY * (Math.exp(-1 / 8) - 1));
const RANKING = {
  pageLength: 0,
  termSimilarity: SIMILARITY,
  termSaturation: 1.4 * OWN_FORM_BONUS, // Pagefind's default k1, on the scaled term counts
  metaWeights: Object.fromEntries(META_FIELDS.map((name) => [name, 0])),
};

const root = document.getElementById("search");
const strings = JSON.parse(document.getElementById("search-strings").textContent);
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const sortSelect = document.getElementById("search-sort");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const groups = document.getElementById("search-filter-groups");

const state = readUrl();
const expanded = new Set(); // filter groups showing all their values
let pagefind = null;
let shards = []; // shard names, newest first
let shardSizes = null; // pages per shard, or null when the pages do not say (no ranking fix)
let results = [];
let shown = 0;
let generation = 0; // bumped by every search; late answers of older searches are dropped
let typingTimer = null;

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  const filters = {};
  for (const key of FILTER_KEYS) filters[key] = new Set(params.getAll(key));
  const sort = Object.hasOwn(SORTS, params.get("sort")) ? params.get("sort") : DEFAULT_SORT;
  return { q: (params.get("q") || "").trim(), sort, filters };
}

function writeUrl() {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const key of FILTER_KEYS) for (const value of state.filters[key]) params.append(key, value);
  if (state.sort !== DEFAULT_SORT) params.set("sort", state.sort);
  const query = params.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// "{count} results for “{query}”" -> nodes; every value is inserted as text.
function message(template, values) {
  const fragment = document.createDocumentFragment();
  for (const part of template.split(/(\{\w+\})/)) {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name === "query") fragment.append(element("strong", null, values.query));
    else if (name && name in values) fragment.append(String(values[name]));
    else if (part) fragment.append(part);
  }
  return fragment;
}

function setStatus(template, values = {}) {
  statusLine.replaceChildren(message(template, values));
}

function plural(one, other, count) {
  const rule = new Intl.PluralRules(root.dataset.lang || "id").select(count);
  return rule === "one" ? one : other;
}

function activeFilters() {
  const filters = {};
  for (const key of FILTER_KEYS) {
    if (state.filters[key].size) filters[key] = { any: [...state.filters[key]] };
  }
  return filters;
}

async function run() {
  const ticket = ++generation;
  writeUrl();
  const filters = activeFilters();
  if (!state.q && Object.keys(filters).length === 0) {
    results = [];
    list.replaceChildren();
    moreButton.hidden = true;
    renderFilters(await pagefind.filters(), null);
    setStatus(strings.prompt);
    return;
  }
  setStatus(strings.searching);
  const [search, exact] = await Promise.all([
    pagefind.search(state.q || null, { filters }),
    exactMatches(state.q, filters),
  ]);
  const allowed = exact && exact.ids;
  let ordered = search.results;
  if (SORTS[state.sort]) ordered = await sortedAcrossShards(filters);
  else if (exact) ordered = await rankedAcrossShards(exact, filters, search.results);
  if (ticket !== generation || search === null) return; // a newer search took over
  results = allowed ? ordered.filter((result) => allowed.has(result.id)) : ordered;
  shown = 0;
  list.replaceChildren();
  const counts = exact ? await exactCounts(exact, results, search) : search;
  if (ticket !== generation) return;
  renderFilters(counts.filters, counts.totalFilters);
  announce(results.length);
  await showMore(ticket);
}

// The query's words as Pagefind will see them: only those with a letter or digit (Pagefind
// drops punctuation, so "—" alone is no word).
function queryWords(query) {
  return query.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
}

// The pages holding every word of `query` (or a form stemming to it) as { ids, searches },
// or null when the plain search needs no check (no query, or a phrase the reader quoted).
async function exactMatches(query, filters) {
  if (!query || /^\s*".+"\s*$/.test(query)) return null;
  const words = queryWords(query.replaceAll('"', " "));
  const searches = await Promise.all(
    words.map((word) => pagefind.search(`"${word}"`, { filters })),
  );
  let ids = null;
  for (const search of searches) {
    const found = new Set((search ? search.results : []).map((result) => result.id));
    ids = ids ? new Set([...ids].filter((id) => found.has(id))) : found;
  }
  return { ids: ids || new Set(), words, searches };
}

// Filter counts of the kept results. One word: its exact search counted them. Several: the
// kept pages' own filters, read from their fragments when they are few (COUNTED_PAGES);
// past that, the plain search's counts (which may include pages lacking a word).
async function exactCounts(exact, kept, plain) {
  if (exact.searches.length === 1 && exact.searches[0]) return exact.searches[0];
  if (kept.length > COUNTED_PAGES) return plain;
  const pages = await Promise.all(kept.map((result) => result.data()));
  const filters = {};
  for (const key of FILTER_KEYS) filters[key] = {};
  for (const page of pages) {
    for (const key of FILTER_KEYS) {
      for (const value of (page.filters || {})[key] || []) {
        filters[key][value] = (filters[key][value] || 0) + 1;
      }
    }
  }
  const selected = FILTER_KEYS.some((key) => state.filters[key].size);
  return { filters, totalFilters: selected ? plain.totalFilters : filters };
}

async function sortedAcrossShards(filters) {
  const sort = SORTS[state.sort];
  const order = sort.date === "asc" ? [...shards].reverse() : shards;
  const perShard = await Promise.all(
    order.map((shard) =>
      pagefind.search(state.q || null, { filters: { ...filters, shard: { any: [shard] } }, sort }),
    ),
  );
  return perShard.flatMap((search) => (search ? search.results : []));
}

// The kept pages of `candidates` by archive-wide relevance (see the top of this file).
async function rankedAcrossShards(exact, filters, candidates) {
  const kept = candidates.filter((result) => exact.ids.has(result.id));
  if (!shardSizes || kept.length < 2) return kept;
  const archivePages = Object.values(shardSizes).reduce((sum, n) => sum + n, 0);
  const holding = shardsHoldingEvery(exact.searches);
  const score = new Map();
  const perWord = exact.words.map(async (word, i) => {
    const archiveIdf = idf(archivePages, exact.searches[i].unfilteredResultCount);
    const found = await searchByShard(word, filters, holding);
    for (const result of found.results) {
      if (!exact.ids.has(result.id)) continue;
      const shard = found.shardOf(result);
      const part = (result.score / idf(shardSizes[shard], found.matching[shard] || 0)) * archiveIdf;
      score.set(result.id, (score.get(result.id) || 0) + part);
    }
    return found.shardOf;
  });
  const [shardOf] = await Promise.all(perWord); // every kept page holds every word
  const newer = await newestFirst(exact.words[0], filters, holding, shardOf);
  return byScore(kept, score, newer);
}

// Ties are ordered newest first, a rule that does not depend on the shards either (Pagefind's
// page ids do: they differ between a shard's index and an unsharded one): a page's shard
// (newest first, as `shards`), then its place in its shard's date order (a date-sorted
// search scores a page by its rank within its own index).
async function newestFirst(word, filters, holding, shardOf) {
  const among = shards.length === 1 ? filters : { ...filters, shard: { any: holding } };
  const search = await pagefind.search(word, { filters: among, sort: { date: "desc" } });
  const rank = new Map(search.results.map((result) => [result.id, result.score]));
  return (a, b) =>
    shards.indexOf(shardOf(a)) - shards.indexOf(shardOf(b)) ||
    (rank.get(b.id) ?? 0) - (rank.get(a.id) ?? 0);
}

function idf(pages, matching) {
  return Math.log((pages - matching + 0.5) / (matching + 0.5) + 1);
}

// The shards where every word's exact search found a page: only they hold kept pages.
function shardsHoldingEvery(searches) {
  if (shards.length === 1) return shards;
  return shards.filter((shard) => searches.every((search) => search.filters.shard?.[shard] > 0));
}

// One word's plain search in `holding`: its results, the shard of each, and how many of each
// shard's pages match the word (Pagefind's n: unfiltered, every form the word begins). A
// result does not say its shard; one search per bit of a shard's position in `holding` (the
// shards with that bit set) does: a page's position is the bits of the searches it is in.
// That is 1 + log2(shards) searches, where one per shard would scan every shard each time.
async function searchByShard(word, filters, holding) {
  if (shards.length === 1) {
    const search = await pagefind.search(word, { filters });
    return {
      results: search.results,
      shardOf: () => shards[0],
      matching: { [shards[0]]: search.unfilteredResultCount },
    };
  }
  const among = (names) => pagefind.search(word, { filters: { ...filters, shard: { any: names } } });
  const bits = Math.ceil(Math.log2(holding.length));
  const [all, ...masks] = await Promise.all([
    among(holding),
    ...Array.from({ length: bits }, (_, bit) => among(holding.filter((_, i) => (i >> bit) & 1))),
  ]);
  const position = new Map();
  masks.forEach((search, bit) => {
    for (const result of search.results) {
      position.set(result.id, (position.get(result.id) || 0) | (1 << bit));
    }
  });
  return {
    results: all.results,
    shardOf: (result) => holding[position.get(result.id) || 0],
    matching: all.totalFilters.shard || {},
  };
}

// Highest score first; a run of scores within TIE of each other is one tie, `newer` first.
function byScore(results, score, newer) {
  const sorted = [...results].sort((a, b) => (score.get(b.id) || 0) - (score.get(a.id) || 0));
  const ordered = [];
  let tie = [];
  let previous = null;
  for (const result of sorted) {
    const value = score.get(result.id) || 0;
    if (previous !== null && previous - value > TIE * previous) {
      ordered.push(...tie.sort(newer));
      tie = [];
    }
    tie.push(result);
    previous = value;
  }
  ordered.push(...tie.sort(newer));
  return ordered;
}

// Pages per shard from the `shard` filter of every page (the unsharded index: one for all).
function sizesOf(counts) {
  if (!counts) return null;
  if (shards.length === 1) {
    return { [shards[0]]: Object.values(counts).reduce((sum, n) => sum + n, 0) };
  }
  return shards.every((shard) => counts[shard] > 0) ? { ...counts } : null;
}

function announce(count) {
  if (count === 0) {
    setStatus(state.q ? strings.none : strings.none_filtered, { query: state.q });
  } else if (state.q) {
    setStatus(plural(strings.results_one, strings.results_other, count), {
      count,
      query: state.q,
    });
  } else {
    setStatus(plural(strings.filtered_one, strings.filtered_other, count), { count });
  }
}

async function showMore(ticket) {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const pages = await Promise.all(batch.map((result) => result.data()));
  if (ticket !== generation) return;
  list.append(...pages.map(renderResult));
  shown += batch.length;
  moreButton.hidden = shown >= results.length;
}

function renderResult(page) {
  const meta = page.meta || {};
  const item = element("li", "entry search-result");
  const line = element("p", "entry-meta");
  if (meta.category) line.append(element("span", "entry-category", meta.category));
  if (meta.category && meta.date) line.append(" · ");
  if (meta.date) line.append(element("span", "entry-date", meta.date));
  const heading = element("h3", "entry-title");
  const link = element("a", null, meta.title || page.url);
  link.href = page.url;
  heading.append(link);
  const excerpt = element("p", "entry-excerpt");
  excerpt.append(...excerptNodes(page, meta));
  item.append(line, heading, excerpt);
  return item;
}

// Pagefind's excerpt is the densest window of hits, which for a hit in the title is the
// page's first words: the headline again, right under the headline. So the excerpt is cut
// here from the page text after its header (kicker, title, byline: the words up to the end
// of the title and the byline that follows it), around the first hit in the body, with the
// hits marked. Word positions are Pagefind's: the text split at whitespace. Text only.
function excerptNodes(page, meta) {
  const words = (page.content || "").split(/[\r\n\s]+/);
  const start = bodyStart(words, meta);
  const hits = new Set(page.locations || []);
  const first = [...hits].filter((at) => at >= start).sort((a, b) => a - b)[0];
  const from = first === undefined ? start : Math.max(start, first - 5);
  const nodes = [];
  words.slice(from, from + EXCERPT_WORDS).forEach((word, i) => {
    if (i > 0) nodes.push(document.createTextNode(" "));
    nodes.push(hits.has(from + i) ? element("mark", null, word) : document.createTextNode(word));
  });
  if (from + EXCERPT_WORDS < words.length) nodes.push(document.createTextNode(" …"));
  return nodes;
}

// Where the body starts: after the title's words (found near the top) and the byline's.
function bodyStart(words, meta) {
  // Pagefind ends a heading's text with "." and keeps the page's punctuation: compare bare
  const bare = (word) => word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  const title = (meta.title || "").split(/\s+/).filter(Boolean);
  const byline = (meta.byline || "").split(/\s+/).filter(Boolean);
  const lower = words.slice(0, 80).map(bare);
  const at = (sequence, from) => {
    const want = sequence.map(bare);
    for (let i = from; i + want.length <= lower.length; i++) {
      if (want.every((word, k) => lower[i + k] === word)) return i + want.length;
    }
    return -1;
  };
  const afterTitle = title.length ? at(title, 0) : -1;
  if (afterTitle < 0) return 0;
  const afterByline = byline.length ? at(byline, afterTitle) : -1;
  return afterByline >= 0 && afterByline <= afterTitle + byline.length + 2
    ? afterByline
    : afterTitle;
}

// Counts: within a group that has a selection, the counts ignore the filters (what choosing
// another value would give for this query); elsewhere they count the current results.
function renderFilters(counts, totals) {
  const focused = document.activeElement?.dataset?.filterKey
    ? [document.activeElement.dataset.filterKey, document.activeElement.value]
    : null;
  const blocks = FILTER_KEYS.map((key) => {
    const source = state.filters[key].size && totals ? totals : counts;
    return filterGroup(key, (source && source[key]) || {});
  }).filter(Boolean);
  if (FILTER_KEYS.some((key) => state.filters[key].size)) blocks.push(clearButton());
  groups.replaceChildren(...blocks);
  if (focused) {
    const again = [...groups.querySelectorAll("input")].find(
      (box) => box.dataset.filterKey === focused[0] && box.value === focused[1],
    );
    again?.focus();
  }
}

function filterGroup(key, values) {
  const selected = state.filters[key];
  const entries = Object.entries(values).filter(([value, n]) => n > 0 || selected.has(value));
  if (entries.length === 0) return null;
  entries.sort(([a, m], [b, n]) =>
    key === "year" ? b.localeCompare(a) : n - m || a.localeCompare(b, root.dataset.lang),
  );
  const visible = expanded.has(key)
    ? entries
    : entries.filter(([value], i) => i < SHOWN_VALUES || selected.has(value));
  const fieldset = element("fieldset", "search-filter");
  fieldset.append(element("legend", null, strings.filters[key] || key));
  for (const [value, count] of visible) fieldset.append(filterOption(key, value, count));
  if (visible.length < entries.length) {
    const all = element("button", "search-show-all");
    all.type = "button";
    all.append(message(strings.show_all, { count: entries.length }));
    all.addEventListener("click", () => {
      expanded.add(key);
      run().catch(fail);
    });
    fieldset.append(all);
  }
  return fieldset;
}

function filterOption(key, value, count) {
  const label = element("label", "search-filter-option");
  const box = element("input");
  box.type = "checkbox";
  box.value = value;
  box.dataset.filterKey = key;
  box.checked = state.filters[key].has(value);
  box.addEventListener("change", () => {
    if (box.checked) state.filters[key].add(value);
    else state.filters[key].delete(value);
    run().catch(fail);
  });
  label.append(box, " ", element("span", "search-filter-name", value), " ");
  label.append(element("span", "count", `(${count})`));
  return label;
}

function clearButton() {
  const button = element("button", "search-clear", strings.clear);
  button.type = "button";
  button.addEventListener("click", () => {
    for (const key of FILTER_KEYS) state.filters[key].clear();
    run().catch(fail);
  });
  return button;
}

function fail(error) {
  console.error("search failed:", error);
  setStatus(strings.error);
}

function searchNow() {
  window.clearTimeout(typingTimer);
  state.q = input.value.trim();
  run().catch(fail);
}

async function start() {
  root.hidden = false;
  input.value = state.q;
  sortSelect.value = state.sort;
  try {
    const bundle = new URL(root.dataset.bundle, window.location.href);
    shards = (root.dataset.shards || "").split(/\s+/).filter(Boolean);
    if (shards.length === 0) throw new Error("the archive has no search index yet");
    pagefind = await import(new URL(`${shards[0]}/pagefind.js`, bundle).href);
    await pagefind.options({ excerptLength: EXCERPT_WORDS, ranking: RANKING });
    await pagefind.init();
    for (const shard of shards.slice(1)) {
      await pagefind.mergeIndex(new URL(`${shard}/`, bundle).pathname, { ranking: RANKING });
    }
    // Filter data loads lazily; without it the first search reports no filter counts.
    shardSizes = sizesOf((await pagefind.filters()).shard);
  } catch (error) {
    fail(error);
    return;
  }
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    searchNow();
  });
  input.addEventListener("input", () => {
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(searchNow, TYPING_DELAY_MS);
  });
  sortSelect.addEventListener("change", () => {
    state.sort = sortSelect.value;
    run().catch(fail);
  });
  moreButton.addEventListener("click", () => showMore(generation).catch(fail));
  await run();
}

start().catch(fail);

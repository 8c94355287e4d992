"""What Pagefind's Indonesian index matches: affixes, clitics, reduplication, numbers.

    python benchmarks/probe_indonesian.py

Builds a tiny archive (one sentence per article), then asks Pagefind in Debian Chromium
which articles each query finds. The table backs the claims in docs/search.md.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench_search import CHROMIUM, CHROMIUM_ARGS, serve

from archivegen.build import BuildOptions, build_site
from archivegen.config import load_config
from archivegen.content.frontmatter import dump_front_matter

SENTENCES = {
    "reduplikasi": "Pemerintah memberikan bantuan kepada anak-anak korban banjir.",
    "klitik": "Bukunya terjual habis dalam sehari di toko itu.",
    "berlari": "Para pelari berlari mengelilingi stadion utama.",
    "laris": "Dagangan kue itu laris manis sejak pagi.",
    "konfiks": "Perekonomian daerah dibahas dalam rapat kebijakan.",
    "memper": "Penonton merasa dipermainkan oleh panitia acara.",
    "angka": "Harga cabai naik 7.000 rupiah, inflasi 3,5 persen.",
    "singkatan": "Presiden Joko Widodo (Jokowi) tiba di DKI Jakarta.",
    "masing": "Masing-masing peserta membawa bekal sendiri.",
    "kesehatan": "Dinas kesehatan menyehatkan warga lewat senam pagi.",
    "perintah": "Komandan memberi perintah mundur kepada pasukan.",
    "sisipan": "Tangannya gemetar ketika menunjuk dengan telunjuk.",
    "sayur": "Pedagang sayur-mayur mengeluhkan harga pupuk.",
    "ejaan": "Ribuan warga Rusia menyeberang ke Kazakhstan.",
    "nasal": "Wartawan menulis, mengirim, memukul gong dan menyapu lantai.",
}
# (query, why it is asked): a hit that is not a prefix of the word in the text is stemming
QUERIES = [
    ("anak", "reduplication anak-anak, split at the hyphen"),
    ("anak-anak", "the reduplicated form itself"),
    ("masing", "masing-masing, split at the hyphen"),
    ("mayur", "second half of sayur-mayur"),
    ("membantu", "me- + bantu vs bantuan: stemming, not prefix"),
    ("beri", "memberikan: meN- ... -kan"),
    ("buku", "bukunya: the clitic -nya"),
    ("lari", "berlari, pelari (and laris, by prefix)"),
    ("berlari", "ber-: the stem finds pelari too?"),
    ("ekonomi", "perekonomian: per-...-an"),
    ("main", "dipermainkan: di-per-...-kan"),
    ("sehat", "kesehatan, menyehatkan"),
    ("pemerintah", "pe- stripped: does it find perintah?"),
    ("getar", "gemetar: infix -em-"),
    ("tulis", "menulis: meN- + t"),
    ("kirim", "mengirim: meN- + k"),
    ("pukul", "memukul: meN- + p"),
    ("sapu", "menyapu: meN- + s"),
    ("menulis", "the affixed form itself"),
    ("tunjuk", "menunjuk and telunjuk (infix -el-)"),
    ("7000", "7.000 written with a thousands dot"),
    ("3,5", "a decimal comma"),
    ("35", "is 3,5 indexed as 35?"),
    ("jokowi", "a name in brackets"),
    ("joko widodo", "two words"),
    ("kazakstan", "a misspelling of Kazakhstan"),
    ("kaza", "a prefix of Kazakhstan"),
    ('"korban banjir"', "a quoted phrase, in order"),
    ('"banjir korban"', "a quoted phrase, reversed"),
]


def main() -> None:
    """Build the probe archive, run every query, print query -> articles found."""
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="probe-id-") as scratch:
        root = Path(scratch)
        write_archive(root)
        config = load_config(root / "site.yaml")
        build_site(config, BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC)))
        with serve(config.output_path) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{base}/cari/")
            found = page.evaluate(SEARCH_ALL, [query for query, _ in QUERIES])
            browser.close()
    width = max(len(q) for q, _ in QUERIES)
    hits = max(len(", ".join(found[q])) for q, _ in QUERIES)
    for query, why in QUERIES:
        print(f"{query:{width}}  ->  {', '.join(found[query]) or '-':{hits}}   {why}")


SEARCH_ALL = """async (queries) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const found = {};
  for (const q of queries) {
    const search = await pagefind.search(q);
    const pages = await Promise.all(search.results.map((r) => r.data()));
    found[q] = pages.map((p) => p.url.split("/").filter(Boolean).pop());
  }
  return found;
}"""


def write_archive(root: Path) -> None:
    (root / "site.yaml").write_text("title: Probe\nbase_url: https://probe.example/\n", "utf-8")
    for day, (slug, sentence) in enumerate(SENTENCES.items(), start=1):
        fields = {
            "title": f"Uji {day}",  # a neutral title: only the sentence may match
            "date": f"2023-01-{day:02d}T08:00:00+07:00",
            "category": "Uji",
            "slug": slug,
        }
        path = root / "content" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_front_matter(fields, sentence), encoding="utf-8")


if __name__ == "__main__":
    main()

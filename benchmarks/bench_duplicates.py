"""Duplicate detection: quality on hand-labelled pairs, time per article and memory.

    python benchmarks/bench_duplicates.py

Quality: the pairs of benchmarks/duplicate_pairs.json (rows of the indonews CSVs in
../shared/corpus, each labelled by reading both texts: a copy of one story or not) are scored
by the chosen method, MinHash of 5-word shingles (archivegen.duplicates), and by the other
candidate, trafilatura's Simhash; precision and recall at archivegen's threshold, and a sweep.
Time and memory: every distinct article of the corpus (indonews and IndoSum, as
benchmarks/corpus.py reads them) is signed and paired by each method; memory is the peak
of Python's allocations (numpy's included) while the signatures and the index are held.
"""

from __future__ import annotations

import csv
import json
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path

from datasketch import MinHashLSH
from trafilatura.deduplication import Simhash

from archivegen.duplicates import (
    MEASURED_PRECISION,
    MEASURED_RECALL,
    PERMUTATIONS,
    THRESHOLD,
    shingles,
    signature,
)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import SHARED, read_sources  # noqa: E402

LABELS = HERE / "duplicate_pairs.json"
SWEEP = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
Scored = list[tuple[float, bool]]


def indonews_bodies() -> dict[tuple[str, int], str]:
    """Each indonews record's body by (file name, 1-based record number)."""
    csv.field_size_limit(10_000_000)
    bodies = {}
    for path in sorted((SHARED / "indonews").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=1):
                bodies[(path.name, number)] = row.get("isi_berita") or row.get("content") or ""
    return bodies


def labelled_texts() -> list[tuple[str, str, bool]]:
    bodies = indonews_bodies()
    pairs = json.loads(LABELS.read_text(encoding="utf-8"))["pairs"]
    return [
        (
            bodies[(p["a"]["file"], p["a"]["row"])],
            bodies[(p["b"]["file"], p["b"]["row"])],
            p["duplicate"],
        )
        for p in pairs
    ]


def minhash_similarity(a: str, b: str) -> float:
    sa, sb = signature(a), signature(b)
    return float(sa.jaccard(sb)) if sa is not None and sb is not None else 0.0


def exact_jaccard(a: str, b: str) -> float:
    sa, sb = set(shingles(a)), set(shingles(b))
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def simhash_similarity(a: str, b: str) -> float:
    return Simhash(a).similarity(Simhash(b))


def precision_recall(scored: Scored, threshold: float) -> tuple[float, float]:
    hits = [label for score, label in scored if score >= threshold]
    positives = sum(label for _, label in scored)
    precision = sum(hits) / len(hits) if hits else 1.0
    return precision, sum(hits) / positives if positives else 1.0


def best_f1(scored: Scored) -> tuple[float, float, float]:
    """The threshold with the best F1 on these pairs, and its precision and recall."""
    best = (0.0, 0.0, 0.0, -1.0)
    for threshold in sorted({score for score, _ in scored}):
        p, r = precision_recall(scored, threshold)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[3]:
            best = (threshold, p, r, f1)
    return best[:3]


def report_quality(pairs: Sequence[tuple[str, str, bool]]) -> None:
    positives = sum(label for *_, label in pairs)
    print(f"Labelled pairs: {len(pairs)} ({positives} copies, {len(pairs) - positives} not)")
    methods: dict[str, Callable[[str, str], float]] = {
        "minhash": minhash_similarity,
        "exact jaccard": exact_jaccard,
        "simhash": simhash_similarity,
    }
    scores = {name: [(f(a, b), label) for a, b, label in pairs] for name, f in methods.items()}
    p, r = precision_recall(scores["minhash"], THRESHOLD)
    print(f"archivegen (MinHash, 5-word shingles) at {THRESHOLD:.2f}: P {p:.2f}, R {r:.2f}")
    if (round(p, 2), round(r, 2)) != (MEASURED_PRECISION, MEASURED_RECALL):
        print(f"  archivegen/duplicates.py states P {MEASURED_PRECISION}, R {MEASURED_RECALL}")
    for name, scored in scores.items():
        t, bp, br = best_f1(scored)
        sweep = "  ".join(
            "{:.2f}: P {:.2f} R {:.2f}".format(s, *precision_recall(scored, s)) for s in SWEEP
        )
        print(f"  {name:13} best F1 at {t:.3f}: P {bp:.2f} R {br:.2f} | {sweep}")
    for name in ("minhash", "simhash"):
        negatives = sorted(score for score, label in scores[name] if not label)
        print(f"  {name}: highest score of a non-copy {negatives[-1]:.3f}")


def report_cost(texts: Sequence[str]) -> None:
    print(f"Corpus: {len(texts)} distinct articles (indonews + IndoSum)")
    for name, run in (("minhash", _minhash_pairs), ("simhash", _simhash_pairs)):
        started = time.perf_counter()
        signed, found = run(texts)
        total = time.perf_counter() - started
        tracemalloc.start()  # a second run: tracing slows Python several times over
        run(texts)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"  {name}: {signed / len(texts) * 1000:.2f} ms per article to sign, "
            f"{total:.1f} s in all with pairing, {peak / 1e6:.1f} MB peak, {found} pairs"
        )


def _minhash_pairs(texts: Sequence[str]) -> tuple[float, int]:
    """(seconds spent signing, pairs found at THRESHOLD) through archivegen's LSH index."""
    started = time.perf_counter()
    signatures = [signature(text) for text in texts]
    signed = time.perf_counter() - started
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    found = 0
    for key, sig in enumerate(signatures):
        if sig is None:
            continue
        found += sum(1 for o in lsh.query(sig) if sig.jaccard(signatures[o]) >= THRESHOLD)
        lsh.insert(key, sig)
    return signed, found


def _simhash_pairs(texts: Sequence[str]) -> tuple[float, int]:
    """(seconds spent signing, pairs at 0.906 = at most 6 of 64 bits apart); trafilatura
    has no index for Simhash, so every pair is compared."""
    started = time.perf_counter()
    hashes = [Simhash(text).hash for text in texts]
    signed = time.perf_counter() - started
    found = 0
    for i, h in enumerate(hashes):
        found += sum(1 for other in hashes[:i] if (h ^ other).bit_count() <= 6)
    return signed, found


def main() -> None:
    if not SHARED.is_dir():
        sys.exit(f"the shared corpus is missing: {SHARED}")
    report_quality(labelled_texts())
    report_cost(["\n\n".join(s.paragraphs) for s in read_sources()])


if __name__ == "__main__":
    main()

"""Copies of one story among articles: MinHash signatures of word shingles, paired through LSH.

A syndicated or re-published copy keeps most of the original's sentences, so the two texts
share most of their 5-word shingles; two outlets' own stories of one event share names and
numbers but few runs of five words. The similarity of two texts is the Jaccard index of
their shingle sets, estimated from 128-permutation MinHash signatures (datasketch), and LSH
over the signatures finds the candidate pairs without comparing every pair. Why MinHash
rather than trafilatura's Simhash, and how the threshold was chosen on hand-labelled pairs
of the indonews corpus: docs/duplicates.md and benchmarks/bench_duplicates.py.

Pure: texts in, pairs out. `check/duplicates.py` reads the content folder, and
`importers/duplicates.py` notes an import's copies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from datasketch import LeanMinHash, MinHash, MinHashLSH

SHINGLE_WORDS = 5
PERMUTATIONS = 128
THRESHOLD = 0.45  # estimated Jaccard at or above which two texts are reported as copies
# what benchmarks/bench_duplicates.py measured at THRESHOLD on benchmarks/duplicate_pairs.json
MEASURED_PRECISION = 0.81
MEASURED_RECALL = 0.76
LABELLED_PAIRS = 62

# a new MinHash draws its 128 permutations afresh, most of the cost of signing a short text;
# a copy of this empty one shares them (the same values, a fifth of the time)
_EMPTY = MinHash(num_perm=PERMUTATIONS)
_WORD = re.compile(r"\w+")
# a Markdown link's or image's target: addresses are not the story's words
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two texts that look like copies of one story: `first` was added before `second`."""

    first: str
    second: str
    similarity: float  # the estimated Jaccard index of their shingle sets, 0..1


def shingles(text: str) -> list[bytes]:
    """The text's distinct runs of SHINGLE_WORDS words, lowercased (none for a shorter text).

    Words are runs of letters and digits, so punctuation, Markdown marks and spacing do not
    count; a word a scraper glued to its neighbour (lost space around a link) costs the
    few shingles that hold it.
    """
    words = _WORD.findall(_LINK_TARGET.sub("]", text).lower())
    runs = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    return [run.encode() for run in sorted(runs)]


def signature(text: str) -> LeanMinHash | None:
    """The text's MinHash signature; None for a text too short to have a shingle."""
    found = shingles(text)
    if not found:
        return None
    minhash = _EMPTY.copy()
    minhash.update_batch(found)
    return LeanMinHash(minhash)  # a third of the memory: no hash functions of its own


class DuplicateFinder:
    """Texts added one at a time; each addition answers which earlier texts it copies."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
        self._signatures: dict[str, LeanMinHash] = {}

    def add(self, key: str, text: str) -> list[tuple[str, float]]:
        """Index `text` under `key`; the earlier keys it copies, most similar first.

        LSH only proposes candidates (it misses a few pairs just above the threshold and
        proposes some below it); each is kept when its estimated Jaccard reaches the
        threshold.
        """
        sig = signature(text)
        if sig is None or key in self._signatures:
            return []
        matches = []
        for other in self._lsh.query(sig):
            similarity = float(sig.jaccard(self._signatures[other]))
            if similarity >= self.threshold:
                matches.append((other, similarity))
        self._lsh.insert(key, sig)
        self._signatures[key] = sig
        return sorted(matches, key=lambda match: (-match[1], match[0]))


def find_duplicates(
    texts: Iterable[tuple[str, str]], threshold: float = THRESHOLD
) -> list[DuplicatePair]:
    """Every pair of (key, text) items that look like copies, most similar first; in each
    pair `first` is the one that came earlier in `texts`."""
    finder = DuplicateFinder(threshold)
    pairs = [
        DuplicatePair(other, key, similarity)
        for key, text in texts
        for other, similarity in finder.add(key, text)
    ]
    return sorted(pairs, key=lambda p: (-p.similarity, p.first, p.second))

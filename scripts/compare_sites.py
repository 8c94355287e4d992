"""Compare two built sites: every file byte for byte, Pagefind's run-dependent chunks by count.

For a change that must not change the output (a restructuring, a speed-up): build the same
site with the old code and the new, then

    python scripts/compare_sites.py OLD_PUBLIC NEW_PUBLIC

Pagefind writes its filter and meta chunks in a run-dependent order, so two indexings of the
same pages differ in those files (and in the files naming them: the entry file, archivegen's
state file, the manifest's hashes of them); they are compared by count per folder. Every
other file, the index's fragments and word chunks included, must be identical. Exits 1 on
any difference, listing the first ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

MANIFEST = ".archivegen-manifest.json"
RUN_DEPENDENT = ("/filter/", ".pf_meta", "pagefind-entry.json", "archivegen-index.json")


def files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def run_dependent(name: str) -> bool:
    return name.startswith("pagefind/") and any(part in name for part in RUN_DEPENDENT)


def kind(name: str) -> str:
    """`pagefind/2016/filter/*.pf_filter`: the folder and the extension of a file."""
    folder, _, base = name.rpartition("/")
    return f"{folder}/*{Path(base).suffix}"


def differences(old: Path, new: Path) -> list[str]:
    """What differs between two built sites, beyond Pagefind's run-dependent bytes."""
    a, b = files(old), files(new)
    found = []
    for name in sorted(set(a) | set(b)):
        if run_dependent(name) or name == MANIFEST:
            continue
        if name not in a or name not in b:
            found.append(f"only in {'the first' if name in a else 'the second'}: {name}")
        elif a[name].read_bytes() != b[name].read_bytes():
            found.append(f"differs: {name}")
    chunks_a = Counter(kind(n) for n in a if run_dependent(n))
    chunks_b = Counter(kind(n) for n in b if run_dependent(n))
    if chunks_a != chunks_b:
        found.append(f"Pagefind chunks differ: {chunks_a - chunks_b} / {chunks_b - chunks_a}")
    if _stable_manifest(old) != _stable_manifest(new):
        found.append("the manifests differ outside Pagefind's run-dependent chunks")
    return found


def _stable_manifest(site: Path) -> tuple[int, dict[str, str]]:
    hashes = json.loads((site / MANIFEST).read_text(encoding="utf-8"))["files"]
    return len(hashes), {k: v for k, v in hashes.items() if not run_dependent(k)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    found = differences(args.old, args.new)
    compared = sum(1 for name in files(args.old) if run_dependent(name))
    print(f"{len(files(args.old))} files vs {len(files(args.new))}; {compared} chunks by count")
    print("\n".join(found[:30]) or "identical")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()

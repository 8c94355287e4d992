"""Why the sharded index step slows down more than one Pagefind run on a busy machine.

The same article pages of a built site are indexed in several ways, each timed on a quiet
machine and beside a background load, so that only the way of running Pagefind differs:

- `one run`: one Pagefind process over every article page (what Hugo + Pagefind does);
- `shards, N at a time`: one Pagefind process per search shard, N running at once (what
  `archivegen build` does, with N = its workers);
- `shards, N at a time, RAYON_NUM_THREADS=1`: the same with one indexing thread each.

Each line gives the wall time and the CPU time the Pagefind processes used (user + system).

Pages are hard-linked into scratch folders first (not timed), as the build does. The loads
are started in their own session (`setsid`) at `nice 19`, as a low-priority job started
from another terminal would be: with the kernel's autogroup scheduling, which most
distributions enable, `nice` then orders processes only within a session, not between.

    python benchmarks/bench_search_load.py SITE/public-search        # a built site, with search
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from archivegen.search.runner import pagefind_binary

SHARD = re.compile(rb'data-pagefind-filter="shard:([^"]+)"')
BURNER = "while True: pass"
WRITER = (
    "import os, sys\n"
    "d = sys.argv[1]\n"
    "i = 0\n"
    "while True:\n"
    "    p = os.path.join(d, str(i % 20000))\n"
    "    with open(p, 'wb') as f: f.write(os.urandom(4096))\n"
    "    if i % 500 == 0: os.sync()\n"
    "    i += 1\n"
)


def article_pages(site: Path) -> dict[str, list[Path]]:
    """The site's indexed pages by shard (the `shard` filter each article page carries)."""
    shards: dict[str, list[Path]] = defaultdict(list)
    for page in site.rglob("index.html"):
        head = page.read_bytes()
        found = SHARD.search(head)
        if found:
            shards[found.group(1).decode()].append(page)
    return dict(shards)


def link_tree(pages: list[Path], site: Path, into: Path) -> None:
    for page in pages:
        target = into / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(page, target)


def index(folder: Path, threads: int | None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAGEFIND_", "RAYON_"))}
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    command = [str(pagefind_binary()), "--site", str(folder / "site"), "--output-path",
               str(folder / "bundle"), "--force-language", "id", "--quiet"]  # fmt: skip
    subprocess.run(command, check=True, env=env, cwd=folder, stdout=subprocess.DEVNULL)


def timed(folders: list[Path], at_once: int, threads: int | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the Pagefind processes) of indexing these folders."""
    for folder in folders:
        shutil.rmtree(folder / "bundle", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        list(pool.map(lambda f: index(f, threads), folders))
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


@contextmanager
def load(kind: str, scratch: Path) -> Iterator[None]:
    """A background load in its own session at nice 19: `cpu` (a busy loop per core) or
    `io` (a writer of small files that syncs), or none."""
    processes = []
    cores = os.cpu_count() or 1
    if kind == "cpu":
        processes = [
            subprocess.Popen(
                ["nice", "-n", "19", sys.executable, "-c", BURNER], start_new_session=True
            )
            for _ in range(cores)
        ]
    elif kind == "io":
        (scratch / "io").mkdir(exist_ok=True)
        processes = [
            subprocess.Popen(
                ["nice", "-n", "19", sys.executable, "-c", WRITER, str(scratch / "io")],
                start_new_session=True,
            )
        ]
    time.sleep(0.5 if processes else 0)
    try:
        yield
    finally:
        for process in processes:
            process.kill()
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, help="a built site's output folder (search on)")
    parser.add_argument("--loads", nargs="+", default=["none", "cpu", "io"])
    args = parser.parse_args()
    shards = article_pages(args.site)
    total = sum(len(p) for p in shards.values())
    print(f"{total} article pages in {len(shards)} shards; {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(dir=args.site.parent) as tmp:
        scratch = Path(tmp)
        whole = scratch / "whole"
        link_tree([p for pages in shards.values() for p in pages], args.site, whole / "site")
        parts = []
        for name, pages in sorted(shards.items()):
            link_tree(pages, args.site, scratch / name / "site")
            parts.append(scratch / name)
        workers = os.cpu_count() or 1
        ways = [
            ("one run", [whole], 1, None),
            (f"shards, {workers} at a time", parts, workers, None),
            ("shards, 1 at a time", parts, 1, None),
            (f"shards, {workers} at a time, RAYON_NUM_THREADS=1", parts, workers, 1),
        ]
        print(f"{'load':<6} {'way':<44} {'seconds':>8} {'CPU s':>8}")
        for kind in args.loads:
            for label, folders, at_once, threads in ways:
                with load(kind, scratch):
                    seconds, cpu = timed(folders, at_once, threads)
                print(f"{kind:<6} {label:<44} {seconds:8.2f} {cpu:8.2f}", flush=True)


if __name__ == "__main__":
    main()

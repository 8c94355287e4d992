"""Redirect maps at archive scale: the cost of laying out and writing the maps for many
aliases, their size, the time nginx takes to load the map, and the time it answers them.

    python benchmarks/bench_redirects.py                  # 10,000 and 100,000 aliases
    python benchmarks/bench_redirects.py --sizes 20000

Aliases are made up the way an importer records them (`/read/yyyy/mm/dd/<id>/<slug>` and
`/berita.php?id=<n>`, half each) over articles with one alias each; the layout is the
build's own (`alias_rules`, `redirect_map_pages`, `render_redirect_map`). nginx is Debian's
(`/usr/sbin/nginx`), loaded with `nginx -t` on the map and then run on 127.0.0.1 to answer
1,000 aliases one request at a time. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import socket
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archivegen.content.model import Article
from archivegen.graph.model import RedirectMapPage
from archivegen.graph.redirects import alias_rules, redirect_map_pages, redirect_pages
from archivegen.render.redirects import render_redirect_map

NGINX = "/usr/sbin/nginx"


def articles(count: int) -> tuple[list[Article], list[str]]:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    made, urls = [], []
    for n in range(count):
        day = start + timedelta(hours=n)
        slug = f"berita-nomor-{n}"
        old = f"/read/{day:%Y/%m/%d}/{500000 + n}/{slug}" if n % 2 else f"/berita.php?id={n}"
        made.append(
            Article(
                source_path=f"content/{n}.md",
                title=slug,
                date=day,
                slug=slug,
                category="Dunia",
                aliases=(old,),
            )
        )
        urls.append(f"/{day:%Y/%m/%d}/{slug}/")
    return made, urls


def nginx_figures(folder: Path, maps: dict[str, bytes], sample: list[str]) -> str:
    (folder / "redirects.nginx.conf").write_bytes(maps["nginx"])
    keys = maps["nginx"].count(b'" "')  # one per map entry
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    conf = folder / "nginx.conf"
    conf.write_text(
        f"daemon off; master_process off; pid {folder}/pid; error_log {folder}/err.log;\n"
        "events { worker_connections 64; }\n"
        f"http {{ access_log off; client_body_temp_path {folder}/b; proxy_temp_path {folder}/p;"
        f" fastcgi_temp_path {folder}/f; uwsgi_temp_path {folder}/u; scgi_temp_path {folder}/s;"
        f" map_hash_bucket_size 256; map_hash_max_size {keys * 4};"
        f" include {folder}/redirects.nginx.conf;\n"
        f" server {{ listen 127.0.0.1:{port}; root {folder};"
        " if ($archivegen_redirect) { return 301 $archivegen_redirect; } } }\n",
        encoding="utf-8",
    )
    began = time.perf_counter()
    subprocess.run([NGINX, "-t", "-q", "-c", str(conf)], check=True)
    load = time.perf_counter() - began
    server = subprocess.Popen([NGINX, "-c", str(conf)])
    try:
        for _ in range(600):  # a large map takes seconds to hash
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        began = time.perf_counter()
        moved = 0
        for uri in sample:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", uri)
            moved += connection.getresponse().status == 301
            connection.close()
        per_request = (time.perf_counter() - began) / len(sample) * 1000
    finally:
        server.terminate()
        server.wait(10)
    return (
        f"nginx -t {load:.2f} s, {moved}/{len(sample)} answered 301, {per_request:.2f} ms/request"
    )


def run(count: int) -> None:
    made, urls = articles(count)
    began = time.perf_counter()
    warnings: list[str] = []
    rules = alias_rules(made, urls, urls, warnings)
    pages = [*redirect_map_pages(rules), *redirect_pages(rules)]
    maps = {p.syntax: render_redirect_map(p) for p in pages if isinstance(p, RedirectMapPage)}
    seconds = time.perf_counter() - began
    sizes = ", ".join(f"{name} {len(data) / 1e6:.2f} MB" for name, data in maps.items())
    refresh = len(pages) - len(maps)
    print(
        f"{count:>7} aliases: layout + maps {seconds:.2f} s; {sizes}; {refresh} meta-refresh pages"
    )
    if Path(NGINX).is_file():
        sample = [alias for alias, _ in rules[:: max(1, len(rules) // 1000)]][:1000]
        with tempfile.TemporaryDirectory() as folder:
            print("         " + nginx_figures(Path(folder), maps, sample))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    for count in parser.parse_args().sizes:
        run(count)


if __name__ == "__main__":
    main()

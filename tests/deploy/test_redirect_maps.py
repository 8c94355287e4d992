"""The redirect maps a build writes, served for real: every alias (paths and path+query)
replayed against Debian's nginx on 127.0.0.1 with the generated map, and its 301 target
checked; `_redirects` and `.htaccess` parsed back (no Netlify or Apache here); hostile
aliases never break out of a map line."""

from __future__ import annotations

import http.client
import re
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from deploykit import free_port, stop, wait_for_port
from sitekit import SiteFactory, write_article

from archivegen.build import BuildOptions, build_site
from archivegen.config import SiteConfig
from archivegen.errors import ArchivegenError, ContentError

NOW = BuildOptions(now=datetime(2024, 1, 1, tzinfo=UTC), workers=1)
NGINX = "/usr/sbin/nginx"
TARGET = "/2023/02/01/pindah/"
# the old site's addresses, as importers and editors give them, and how a client asks them
ALIASES = {
    "/read/2022/10/04/549506/ratusan-ribu-warga": ["/read/2022/10/04/549506/ratusan-ribu-warga",
                                                   "/read/2022/10/04/549506/ratusan-ribu-warga/"],
    "/berita.php?id=5": ["/berita.php?id=5"],
    "/berita.php?id=5&hal=2": ["/berita.php?id=5&hal=2"],
    "/lama.html": ["/lama.html"],
    "/judul dengan spasi/": ["/judul%20dengan%20spasi/", "/judul%20dengan%20spasi"],
    "/kota/médan?q=a b": ["/kota/m%C3%A9dan?q=a%20b"],
}  # fmt: skip
HOSTILE = [
    '/x";\n    "/admin" "https://evil.example/',  # break out of an nginx map string
    "/x $host ${evil}",
    "/x\\ny",
    "/x' onload='alert(1)",
    "/x%0d%0aLocation: https://evil.example/",  # an encoded CR LF stays encoded
    "/x [R=302]\nRewriteRule ^ https://evil.example/",
    "/x /evil 302\n/y",
    "/ünï/çødé",
]


def aliased_site(make_site: SiteFactory, aliases: list[str]) -> SiteConfig:
    config = make_site(fillers=3)
    write_article(
        config.content_path, "dunia/pindah.md", title="Pindah", slug="pindah",
        date="2023-02-01T08:00:00+07:00", category="Dunia", aliases=aliases,
    )  # fmt: skip
    build_site(config, NOW)
    return config


@dataclass
class Nginx:
    port: int
    process: subprocess.Popen[bytes]

    def get(self, uri: str) -> tuple[int, str | None]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest("GET", uri, skip_accept_encoding=True)  # sent as it is, unencoded
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        connection.close()
        return response.status, response.getheader("Location")


StartNginx = Callable[[Path], Nginx]


@pytest.fixture
def nginx_serving(tmp_path: Path) -> Iterator[StartNginx]:
    if not Path(NGINX).is_file():
        pytest.skip("needs Debian's nginx (make test-deps installs it)")
    started: list[subprocess.Popen[bytes]] = []

    def start(public: Path) -> Nginx:
        port = free_port()
        conf = tmp_path / "nginx.conf"
        conf.write_text(nginx_config(public, port, tmp_path), encoding="utf-8")
        check = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr  # the generated map is valid nginx
        with (tmp_path / "nginx.out").open("wb") as log:
            process = subprocess.Popen([NGINX, "-c", str(conf)], stdout=log, stderr=log)
        started.append(process)
        wait_for_port(port, process)
        return Nginx(port, process)

    yield start
    for process in started:
        stop(process)


def nginx_config(public: Path, port: int, work: Path) -> str:
    return f"""daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    map_hash_bucket_size 256;
    map_hash_max_size 4096;
    include {public}/redirects.nginx.conf;
    server {{
        listen 127.0.0.1:{port};
        server_name arsip.example;
        root {public};
        if ($archivegen_redirect) {{ return 301 $archivegen_redirect; }}
    }}
}}
"""


def test_nginx_answers_every_alias_with_a_301_to_its_article(
    make_site: SiteFactory, nginx_serving: StartNginx
) -> None:
    config = aliased_site(make_site, list(ALIASES))
    server = nginx_serving(config.output_path)
    for alias, requests in ALIASES.items():
        for uri in requests:
            status, location = server.get(uri)
            assert status == 301, (alias, uri, status)
            assert location is not None and location.endswith(TARGET), (uri, location)
    # the article itself, another query and a stranger are not redirected
    assert server.get(TARGET) == (200, None)
    assert server.get("/berita.php?id=6")[0] == 404
    assert server.get("/berita.php")[0] == 404


def test_nginx_loads_a_map_of_hostile_aliases_and_none_escapes(
    make_site: SiteFactory, nginx_serving: StartNginx
) -> None:
    config = aliased_site(make_site, [a for a in HOSTILE if "\n" not in a])
    nginx_map = (config.output_path / "redirects.nginx.conf").read_text(encoding="ascii")
    body = "\n".join(line for line in nginx_map.splitlines() if not line.startswith("#"))
    assert '"/admin"' not in body and "$host" not in body and "'" not in body
    entries = re.findall(r'^    "([^"\s]*)" "([^"\s]*)";$', nginx_map, re.MULTILINE)
    assert len(entries) == len(nginx_map.splitlines()) - 8  # comments, map {, default, }
    assert {target for _, target in entries} == {TARGET}
    server = nginx_serving(config.output_path)
    # asked as a browser sends it; the map holds the canonical (upper-case) escapes
    status, location = server.get("/x%0D%0ALocation%3A%20https%3A//evil.example/")
    assert status == 301 and location is not None and location.endswith(TARGET)
    assert server.get("/admin")[0] == 404


@pytest.mark.parametrize("hostile", [a for a in HOSTILE if "\n" in a])
def test_an_alias_with_a_newline_is_refused_naming_file_and_field(
    make_site: SiteFactory, hostile: str
) -> None:
    with pytest.raises(ArchivegenError) as caught:
        aliased_site(make_site, [hostile])
    assert "dunia/pindah.md" in str(caught.value) and "aliases" in str(caught.value)
    assert "control character" in str(caught.value)


def test_netlify_redirects_parse_to_the_rules(make_site: SiteFactory) -> None:
    config = aliased_site(make_site, [*ALIASES, *(a for a in HOSTILE if "\n" not in a)])
    rules = {}
    for line in (config.output_path / "_redirects").read_text(encoding="ascii").splitlines():
        if line.startswith("#"):
            continue
        fields = line.split(" ")  # Netlify splits on whitespace: none may hide in a field
        path, *query, target, status = fields
        assert status == "301" and target == TARGET and path.startswith("/")
        assert all(re.fullmatch(r"[^=\s]+=[^\s]*", q) for q in query)
        rules[(path, tuple(query))] = target
    assert ("/berita.php", ("id=5", "hal=2")) in rules
    assert ("/read/2022/10/04/549506/ratusan-ribu-warga", ()) in rules
    assert ("/judul%20dengan%20spasi/", ()) in rules


def test_htaccess_rules_match_the_request_lines_of_every_alias(make_site: SiteFactory) -> None:
    config = aliased_site(make_site, [*ALIASES, *(a for a in HOSTILE if "\n" not in a)])
    lines = (config.output_path / ".htaccess").read_text(encoding="ascii").splitlines()
    assert lines[1] == "RewriteEngine On"
    conditions = []
    for cond, rule in zip(lines[2::2], lines[3::2], strict=True):
        found = re.fullmatch(r"RewriteCond %\{THE_REQUEST\} (\S+)", cond)
        assert found is not None, cond  # one token: no space breaks the pattern out
        assert rule == f"RewriteRule ^ {TARGET}? [R=301,L]"
        conditions.append(re.compile(found.group(1)))
    for requests in ALIASES.values():
        for uri in requests:
            line = f"GET {uri} HTTP/1.1"
            assert sum(bool(c.match(line)) for c in conditions) == 1, line
    assert not any(c.match("GET /berita.php?id=6 HTTP/1.1") for c in conditions)


def test_only_paths_get_meta_refresh_pages_and_no_map_is_in_the_sitemap(
    make_site: SiteFactory,
) -> None:
    config = aliased_site(make_site, list(ALIASES))
    public = config.output_path
    assert (public / "read/2022/10/04/549506/ratusan-ribu-warga/index.html").is_file()
    assert (public / "lama.html").is_file()
    assert not list(public.glob("berita.php*")) and not (public / "judul dengan spasi").exists()
    files = [public / "sitemap.xml", *public.glob("sitemaps/*.xml")]  # the index, its parts
    sitemap = "".join(f.read_text(encoding="utf-8") for f in files)
    assert sitemap.count("https://arsip.example/2023/02/01/pindah/</loc>") == 1  # the article
    assert not re.search(r"redirects|htaccess|berita\.php|read/2022", sitemap)


def test_a_site_without_aliases_still_writes_an_empty_nginx_map(
    make_site: SiteFactory, nginx_serving: StartNginx
) -> None:
    config = make_site(fillers=2)
    build_site(config, NOW)
    server = nginx_serving(config.output_path)  # an include of an empty map still loads
    assert server.get("/")[0] == 200


def test_an_alias_at_a_map_file_is_an_error_of_its_article(make_site: SiteFactory) -> None:
    config = make_site(fillers=3)
    write_article(
        config.content_path, "dunia/pindah.md", title="Pindah", slug="pindah",
        date="2023-02-01T08:00:00+07:00", category="Dunia", aliases=["/_redirects", "/lama/"],
    )  # fmt: skip
    with pytest.raises(ContentError) as raised:
        build_site(config, NOW)
    assert str(raised.value) == (
        "content/dunia/pindah.md:6: aliases: '/_redirects' is the address of a file the "
        "build writes itself (or lies under one)"
    )
    assert not config.output_path.exists()

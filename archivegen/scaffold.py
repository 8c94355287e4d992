"""`archivegen init`: a new archive that builds as it is (site.yaml + one example article)."""

from __future__ import annotations

from pathlib import Path

from archivegen.errors import OutputError
from archivegen.output.atomic import write_atomic

SITE_YAML = """\
# archivegen site configuration. Every key is optional; these are the defaults worth changing.
title: Arsip Berita
base_url: http://127.0.0.1:8000/
description: Arsip berita yang dapat dicari.
language: id            # id, en, ... (dates and interface strings)
timezone: Asia/Jakarta  # for article dates written without a UTC offset
page_size: 20
"""

EXAMPLE_ARTICLE = """\
---
title: Selamat Datang di Arsip Berita
date: 2024-01-15T09:30:00+07:00
author: Redaksi
category: Pengumuman
tags: [arsip, panduan]
image_caption: Ilustrasi/Redaksi
---

Ini adalah artikel contoh. Tambahkan artikel Anda sebagai berkas Markdown di folder `content/`,
masing-masing dengan *front matter* YAML: judul, tanggal dengan zona waktu, penulis dan kategori.

Jalankan `archivegen build` untuk membangun arsip ke folder `public/`.
"""

FILES = {
    "site.yaml": SITE_YAML,
    "content/pengumuman/2024-01-15-selamat-datang.md": EXAMPLE_ARTICLE,
}


def create_site(directory: Path) -> list[Path]:
    """Write a new site into an empty (or new) folder; never overwrite anything."""
    try:
        if directory.exists() and any(directory.iterdir()):
            raise OutputError(
                f"{directory} is not empty; `archivegen init` only writes into a new folder"
            )
        created = []
        for relative, text in FILES.items():
            path = directory / relative
            write_atomic(path, text.encode("utf-8"))
            created.append(path)
    except OSError as exc:  # /proc, a read-only disk, a file in the way, a full disk
        reason = f"cannot create the site: {exc.strerror or exc}"
        raise OutputError(reason, path=exc.filename or directory) from None
    return created

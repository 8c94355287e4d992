"""Run the Pagefind binary (from the `pagefind_bin` package) over a folder of pages.

Why the binary and not Pagefind's Python API (`pagefind.index.PagefindIndex`): the API
drives the same binary in service mode, but its client polls for replies every 0.1 s, which
costs ~0.25 s per bundle whatever its size; with a bundle per shard that fixed cost was
most of an incremental build's index step. One `pagefind --site DIR` run costs 0.09 s for
50 pages, 0.35 s for 250 and 1.4 s for 1,000 (2 cores), and writes the same files.

The run is isolated from the caller: it starts in the scratch folder (Pagefind reads a
`pagefind.yml`/`.toml`/`.json` from its working directory) and without the `PAGEFIND_*`
variables of the environment (Pagefind reads its options from them too), so only the
arguments given here shape the index.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from functools import lru_cache
from importlib import import_module, metadata
from pathlib import Path

from archivegen.errors import SearchError

BINARY_VARIABLE = "PAGEFIND_BINARY_PATH"  # as Pagefind's own Python API: use this binary
FULL_DISK_BYTES = 1_000_000  # less free than this after a failed run: the disk was why
INSTALL_HINT = "install it with `pip install 'pagefind[bin]'` or set `search: false` in site.yaml"


@lru_cache(maxsize=1)  # package metadata lookups cost ~9 ms, once per shard otherwise
def pagefind_version() -> str:
    """The installed Pagefind binary's version: a new version may write a different index."""
    for name in ("pagefind_bin", "pagefind-bin", "pagefind_bin_extended", "pagefind"):
        try:
            return f"{name}=={metadata.version(name)}"
        except metadata.PackageNotFoundError:
            continue
    return "unknown"


def pagefind_binary() -> Path:
    """The Pagefind executable: `$PAGEFIND_BINARY_PATH`, else the one `pagefind_bin` ships.

    The order is that of Pagefind's Python API: the variable, then the extended binary
    (`pagefind_bin_extended`), then the standard one (`pagefind_bin`).
    """
    override = os.environ.get(BINARY_VARIABLE)
    if override:
        path = Path(override)
        if not path.is_file():
            raise SearchError(
                f"the Pagefind binary was not found: {BINARY_VARIABLE} names {path}, "
                "which is not a file",
                field="search",
            )
        return path
    problems = []
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            module = import_module(package)
            found: Path = module.get_executable()  # the package's own lookup
            return found
        except ImportError:
            problems.append(f"no {package} package")
        except (FileNotFoundError, AttributeError) as exc:
            problems.append(f"{package}: {exc}")
    raise SearchError(
        f"the Pagefind binary was not found ({'; '.join(problems)}): {INSTALL_HINT}",
        field="search",
    )


def run_pagefind(site: Path, bundle: Path, language: str) -> int:
    """Index every HTML page under `site` into the folder `bundle`; return the page count.

    Raises SearchError with Pagefind's own message when it fails.
    """
    binary = pagefind_binary()
    command = [
        str(binary),
        "--site",
        str(site.resolve()),
        "--output-path",
        str(bundle.resolve()),
        # one index in the site's language (Indonesian stemming for `id`), whatever the
        # pages' <html lang> says
        "--force-language",
        language.lower(),
        "--quiet",  # only warnings and errors
    ]
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    try:
        done = subprocess.run(
            command,
            cwd=site.parent,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except OSError as exc:  # not executable, wrong architecture, vanished meanwhile
        raise SearchError(
            f"the Pagefind binary {binary} could not be run ({exc}): {INSTALL_HINT}",
            field="search",
        ) from None
    if done.returncode != 0:
        _check_disk(bundle)
        message = _message(done.stderr) or _message(done.stdout) or "no message"
        raise SearchError(
            f"Pagefind failed (exit status {done.returncode}): {message}", field="search"
        )
    try:
        return _page_count(bundle)
    except SearchError:
        _check_disk(bundle)  # Pagefind does not always say it could not write
        raise


def _check_disk(bundle: Path) -> None:
    """Raise the full disk as itself, when that is why Pagefind's bundle is missing or cut."""
    try:
        free = shutil.disk_usage(bundle.parent).free
    except OSError:
        return
    if free < FULL_DISK_BYTES:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(bundle))


def _page_count(bundle: Path) -> int:
    """The pages Pagefind indexed, from the entry file of the bundle it wrote."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        return sum(int(language["page_count"]) for language in entry["languages"].values())
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SearchError(
            f"Pagefind wrote no readable pagefind-entry.json in {bundle} ({exc})",
            field="search",
        ) from None


def _message(output: bytes) -> str:
    """Pagefind's output as one line per distinct line, in order (it repeats its errors)."""
    lines = output.decode("utf-8", "replace").splitlines()
    return "\n".join(dict.fromkeys(line.rstrip() for line in lines if line.strip()))

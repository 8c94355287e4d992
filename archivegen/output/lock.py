"""One build of an output folder at a time: a lock file in its build cache folder.

Two builds writing one folder would interleave their commits and each leave files the
other's manifest does not list. A POSIX record lock (`lockf`) belongs to the process that
took it: render workers forked while it is held do not inherit it, and the kernel drops it
when the process dies, however it dies, so a killed build never leaves the site locked.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archivegen.errors import OutputError
from archivegen.output.cache import cache_folder
from archivegen.output.staging import remove_leftovers

LOCK_FILE = "build.lock"


@contextmanager
def build_lock(root: Path, output: Path) -> Iterator[None]:
    """Hold the output's lock for the block, or refuse at once if another build holds it.

    Whoever holds it is the only build of this output: what other builds left beside it
    (staging folders of a killed build) is removed first.
    """
    output = output.resolve()
    path = cache_folder(root, output) / LOCK_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(f"cannot create the build lock {path}: {exc.strerror}") from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise OutputError(
                f"another archivegen build is writing {output} (process {holder}); "
                "wait for it to finish, then build again"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        remove_leftovers(output)
        yield
    finally:
        os.close(fd)  # releases the lock

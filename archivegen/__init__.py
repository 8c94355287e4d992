"""archivegen: a static site generator for news archives."""

from importlib import metadata

# pyproject.toml's [project] version is the one source; the installed metadata carries it.
__version__ = metadata.version("archivegen")

"""archivegen: a static site generator for news archives."""

# The one source of the version: pyproject.toml reads it from here (setuptools `attr:`,
# without importing the package), and an up-to-date build never pays for the installed
# metadata's lookup (~45 ms).
__version__ = "0.1.0"

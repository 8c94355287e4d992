"""Site search: a Pagefind index of the article pages, built in-process during the build.

The build hands every rendered article page to a `SearchIndexer` (`search.index`); the
indexer either reuses the last build's bundles (no article of theirs changed) or builds them
again with Pagefind (`search.bundle`, through `search.runner`), and writes the index files
through the build's staged output, so a failed build never leaves a half-written index.
"""

from archivegen.search.bundle import INDEX_DIR, STATE_FILE, FileSink
from archivegen.search.index import PendingIndex, SearchIndexer, SearchReport

__all__ = ["INDEX_DIR", "STATE_FILE", "FileSink", "PendingIndex", "SearchIndexer", "SearchReport"]

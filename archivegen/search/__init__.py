"""Site search: a Pagefind index of the article pages, built in-process during the build.

The build hands every rendered article page to a `SearchIndexer`; the indexer either reuses
the last build's index (no article changed) or runs Pagefind, and writes the index files
through the build's staged output, so a failed build never leaves a half-written index.
"""

from archivegen.search.index import (
    INDEX_DIR,
    STATE_FILE,
    FileSink,
    PendingIndex,
    SearchIndexer,
    SearchReport,
)

__all__ = ["INDEX_DIR", "STATE_FILE", "FileSink", "PendingIndex", "SearchIndexer", "SearchReport"]

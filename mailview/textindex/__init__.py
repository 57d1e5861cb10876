"""The webmail's own full-text index of a person's mail: one SQLite FTS5 file per person.

No Django, no IMAP: `store.TextIndex` keeps, per folder, which UIDs are indexed (keyed by
UIDVALIDITY) and their words; `match.fts_query` turns a search term into an FTS5 query that
nothing typed can break out of. The services (`mailview/services/fulltext/`) fill it from
IMAP and ask it.
"""
from __future__ import annotations

from .match import fts_query, tokens
from .store import FolderIndex, IndexedDoc, TextIndex, index_path, remove_index

__all__ = ["FolderIndex", "IndexedDoc", "TextIndex", "fts_query", "index_path", "remove_index", "tokens"]

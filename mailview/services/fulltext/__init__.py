"""Full-text search of message bodies with the webmail's own index (`mailview/textindex/`).

Why an index of our own: Dovecot's fts-xapian, measured on this stack, indexed 7.5
messages/s (a 100k mailbox would take ~4 hours); the bar is 500/s. One SQLite FTS5 file
per person under `WEBMAIL_SEARCH_INDEX_DIR` (numbers: `bash bench/run.sh fts`, README).

- `indexing.py`: filling it from IMAP in a Celery task (`mailview.search_index_fill`), in
  big UID batches per folder, incrementally by UID and UIDVALIDITY; asked for at sign-in,
  by the search page and by the live sync when mail arrives; progress; removal.
- `lookup.py`: answering a folder's search from it, checked against the server (UIDs that
  left are dropped; mail that arrived after the last fill is searched on the server).
"""

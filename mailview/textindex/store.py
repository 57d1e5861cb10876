"""One person's full-text index: a SQLite file with an FTS5 table. No Django, no IMAP.

Tables:

- `folders`: per IMAP folder its UIDVALIDITY, `next_uid` (every UID below it has been
  looked at: indexed, or was not there), how many messages the server had at the last
  look (`total`) and how many are indexed;
- `docs`: one row per indexed message (folder, UID, arrival time as Unix seconds); its
  rowid is the FTS row's (AUTOINCREMENT: a rowid is never handed out twice);
- `words`: the FTS5 table (subject, people, body), contentless (`content=''`): only the
  index is kept, never the text, so it stays small and holds no copy of the mail.

A contentless table cannot forget a row without the row's text (SQLite < 3.43 has no
`contentless_delete`), so a message that left the folder, or a folder whose UIDVALIDITY
changed, loses its `docs` rows and every lookup joins `docs`: the FTS entries left behind
match nothing. `orphans` counts them; past a share of the index the folder is dropped and
indexed again (the caller decides, see `FolderIndex.orphans`).

One writer at a time (the caller's lock); readers any time (WAL). Lookups run the FTS query
first and fetch each hit's `docs` row by rowid (`CROSS JOIN` fixes that order: left to its
planner, SQLite scans the folder's documents and probes the hits, or runs the FTS query once
per document; 3x to 1000x slower).
"""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    uidvalidity INTEGER NOT NULL,
    next_uid INTEGER NOT NULL DEFAULT 1,
    total INTEGER NOT NULL DEFAULT 0,
    indexed INTEGER NOT NULL DEFAULT 0,
    orphans INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    folder INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    date INTEGER NOT NULL,
    UNIQUE (folder, uid)
);
CREATE VIRTUAL TABLE IF NOT EXISTS words USING fts5(
    subject, people, body, content='', tokenize='unicode61 remove_diacritics 2'
);
"""


def index_path(directory: str | os.PathLike[str], user_key: str | int) -> Path:
    """Where a person's index lives: `<directory>/user-<key>.sqlite3` (the key is a number)."""
    key = int(user_key)
    return Path(directory) / f"user-{key}.sqlite3"


def remove_index(path: str | os.PathLike[str]) -> bool:
    """Delete an index file and its WAL/SHM companions; True when anything was there."""
    removed = False
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{os.fspath(path)}{suffix}")
            removed = True
        except FileNotFoundError:
            pass
    return removed


@dataclass(frozen=True)
class FolderIndex:
    name: str
    uidvalidity: int
    next_uid: int  # every UID below this has been looked at
    total: int  # messages in the folder at the last look
    indexed: int
    orphans: int

    @property
    def complete(self) -> bool:
        """Everything the server had at the last look is indexed."""
        return self.indexed >= self.total


@dataclass(frozen=True)
class IndexedDoc:
    uid: int
    date: int  # arrival, Unix seconds
    subject: str
    people: str
    body: str


class TextIndex:
    """A person's index file, opened per use (`with TextIndex.open(path) as index:`)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    @classmethod
    @contextmanager
    def open(cls, path: str | os.PathLike[str], *, create: bool = True) -> Iterator[TextIndex]:
        """Open (and with `create`, make) the index at `path`. FileNotFoundError without it."""
        path = Path(path)
        if not create and not path.exists():
            raise FileNotFoundError(str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        with closing(connection):
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            index = cls(connection)
            if create:
                index._migrate()
            yield index

    def _migrate(self) -> None:
        row = None
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError:
            pass
        if row is not None and row[0] == str(SCHEMA_VERSION):
            return
        with self._write():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.db.execute(statement)
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    @contextmanager
    def _write(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- what the index was made with ----------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def clear(self, *, meta: dict[str, str] | None = None) -> None:
        """Forget every folder and document (the text is to be read again, differently), and
        record `meta`: one transaction."""
        with self._write():
            self.db.execute("DELETE FROM docs")
            self.db.execute("DELETE FROM folders")
            self.db.execute("INSERT INTO words (words) VALUES ('delete-all')")
            for key, value in (meta or {}).items():
                self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- folders ------------------------------------------------------------------

    def folders(self) -> dict[str, FolderIndex]:
        rows = self.db.execute("SELECT name, uidvalidity, next_uid, total, indexed, orphans FROM folders").fetchall()
        return {r[0]: FolderIndex(*r) for r in rows}

    def folder(self, name: str) -> FolderIndex | None:
        row = self.db.execute("SELECT name, uidvalidity, next_uid, total, indexed, orphans FROM folders WHERE name = ?", (name,)).fetchone()
        return FolderIndex(*row) if row else None

    def folder_start(self, name: str, *, uidvalidity: int, total: int) -> FolderIndex:
        """The folder's entry for a pass over it: made when new; emptied when its UIDVALIDITY
        changed (every UID is void); its `total` set to what the server has now."""
        with self._write():
            row = self.db.execute("SELECT id, uidvalidity FROM folders WHERE name = ?", (name,)).fetchone()
            if row is None:
                self.db.execute("INSERT INTO folders (name, uidvalidity, total) VALUES (?, ?, ?)", (name, uidvalidity, total))
            elif row[1] != uidvalidity:
                self._drop_docs(row[0])
                self.db.execute("UPDATE folders SET uidvalidity = ?, next_uid = 1, indexed = 0, total = ? WHERE id = ?", (uidvalidity, total, row[0]))
            else:
                self.db.execute("UPDATE folders SET total = ? WHERE id = ?", (total, row[0]))
        found = self.folder(name)
        assert found is not None
        return found

    def folder_total(self, name: str, total: int) -> None:
        """What the server has in a folder now (for progress), without starting a pass."""
        self.db.execute("UPDATE folders SET total = ? WHERE name = ?", (total, name))

    def folder_forget(self, names: Iterable[str]) -> None:
        """Folders gone from the server: their entries and documents."""
        with self._write():
            for name in names:
                row = self.db.execute("SELECT id FROM folders WHERE name = ?", (name,)).fetchone()
                if row is not None:
                    self._drop_docs(row[0])
                    self.db.execute("DELETE FROM folders WHERE id = ?", (row[0],))

    def folder_reset(self, name: str) -> None:
        """Index the folder again from its first UID (its documents are dropped)."""
        with self._write():
            row = self.db.execute("SELECT id FROM folders WHERE name = ?", (name,)).fetchone()
            if row is not None:
                self._drop_docs(row[0])
                self.db.execute("UPDATE folders SET next_uid = 1, indexed = 0 WHERE id = ?", (row[0],))

    def _drop_docs(self, folder_id: int) -> None:
        dropped = self.db.execute("DELETE FROM docs WHERE folder = ?", (folder_id,)).rowcount
        self.db.execute("UPDATE folders SET orphans = orphans + ? WHERE id = ?", (max(dropped, 0), folder_id))

    # -- documents ------------------------------------------------------------------

    def add(self, name: str, docs: Iterable[IndexedDoc], *, next_uid: int) -> int:
        """Index documents of a folder (a UID already there is skipped) and move the folder's
        `next_uid` on: one transaction. Returns how many were added."""
        added = 0
        with self._write():
            row = self.db.execute("SELECT id, next_uid FROM folders WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise KeyError(name)
            folder_id = row[0]
            for doc in docs:
                cursor = self.db.execute("INSERT OR IGNORE INTO docs (folder, uid, date) VALUES (?, ?, ?)", (folder_id, doc.uid, doc.date))
                if cursor.rowcount != 1:
                    continue
                self.db.execute(
                    "INSERT INTO words (rowid, subject, people, body) VALUES (?, ?, ?, ?)",
                    (cursor.lastrowid, doc.subject, doc.people, doc.body),
                )
                added += 1
            self.db.execute(
                "UPDATE folders SET next_uid = MAX(next_uid, ?), indexed = indexed + ? WHERE id = ?", (next_uid, added, folder_id)
            )
        return added

    def remove(self, name: str, uids: Iterable[int]) -> int:
        """Forget messages that left a folder; returns how many were indexed."""
        wanted = sorted({int(u) for u in uids})
        if not wanted:
            return 0
        removed = 0
        with self._write():
            row = self.db.execute("SELECT id FROM folders WHERE name = ?", (name,)).fetchone()
            if row is None:
                return 0
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                removed += self.db.execute(f"DELETE FROM docs WHERE folder = ? AND uid IN ({marks})", (row[0], *chunk)).rowcount  # noqa: S608 - marks only
            self.db.execute(
                "UPDATE folders SET indexed = MAX(0, indexed - ?), orphans = orphans + ? WHERE id = ?", (removed, removed, row[0])
            )
        return removed

    def uids(self, name: str) -> list[int]:
        """Every indexed UID of a folder, ascending."""
        return [r[0] for r in self.db.execute(
            "SELECT uid FROM docs WHERE folder = (SELECT id FROM folders WHERE name = ?) ORDER BY uid", (name,)
        )]

    def dates(self, name: str, uids: Iterable[int] | None = None) -> dict[int, int]:
        """UID → arrival (Unix seconds) of indexed messages of a folder (all, or these)."""
        rows = self.db.execute(
            "SELECT uid, date FROM docs WHERE folder = (SELECT id FROM folders WHERE name = ?)", (name,)
        ).fetchall()
        if uids is None:
            return dict(rows)
        wanted = set(uids)
        return {uid: when for uid, when in rows if uid in wanted}

    def match_dated(self, name: str, expression: str) -> dict[int, int]:
        """Like `match`, with each UID's arrival (Unix seconds): UID → date."""
        rows = self.db.execute(
            "SELECT d.uid, d.date FROM words CROSS JOIN docs d ON d.rowid = words.rowid "
            "WHERE words MATCH ? AND d.folder = (SELECT id FROM folders WHERE name = ?)",
            (expression, name),
        )
        return dict(rows.fetchall())

    def newest(self, name: str, expression: str, *, limit: int) -> tuple[int, list[tuple[int, int]]]:
        """How many messages of a folder match, and the `limit` newest as (UID, arrival),
        newest first: the count and the order done inside SQLite, in one pass."""
        rows = self.db.execute(
            "SELECT d.uid, d.date, COUNT(*) OVER () FROM words CROSS JOIN docs d ON d.rowid = words.rowid "
            "WHERE words MATCH ? AND d.folder = (SELECT id FROM folders WHERE name = ?) ORDER BY d.date DESC, d.uid DESC LIMIT ?",
            (expression, name, max(0, int(limit))),
        ).fetchall()
        if not rows:
            return 0, []
        return int(rows[0][2]), [(int(uid), int(when)) for uid, when, _ in rows]

    def match(self, name: str, expression: str) -> set[int]:
        """UIDs of a folder whose subject, people or body match an FTS5 expression (built by
        `match.fts_query`, never raw input)."""
        rows = self.db.execute(
            "SELECT d.uid FROM words CROSS JOIN docs d ON d.rowid = words.rowid "
            "WHERE words MATCH ? AND d.folder = (SELECT id FROM folders WHERE name = ?)",
            (expression, name),
        )
        return {r[0] for r in rows}

    def size_bytes(self) -> int:
        page_size = self.db.execute("PRAGMA page_size").fetchone()[0]
        pages = self.db.execute("PRAGMA page_count").fetchone()[0]
        return int(page_size) * int(pages)

    def optimize(self) -> None:
        """Merge the FTS segments (smaller and faster after a big initial fill)."""
        self.db.execute("INSERT INTO words (words) VALUES ('optimize')")

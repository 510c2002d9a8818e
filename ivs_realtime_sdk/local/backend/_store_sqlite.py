"""Durable state: the backends of every account and region kept in one SQLite file.

The store knows rows, not rules. A backend hands it the pieces of its state
(one per stage, configuration, composition and public key, plus its
identity and its bookkeeping) after each public method, under the backend's
lock; the store writes the pieces that changed since the last write, and the
events sent since then, in one transaction, committed before the method
returns, so before any response is sent.

Journal mode and synchronous level: WAL with ``synchronous=NORMAL``. A commit
in WAL mode has written its frames to the WAL file through the operating
system before it returns, so a process killed with SIGKILL at any moment
loses no acknowledged change (the kernel holds the pages), and the next open
replays the WAL. ``NORMAL`` skips the fsync of each commit: a power cut or a
kernel crash may lose the last commits, but never damages the database
(SQLite's documentation on WAL). For a development server that trade is
right; writers do not wait for a disk flush.

Pieces are pickled (as moto's ``MOTO_PERSISTENCE_FILEPATH`` does): the file
is the user's own, in a directory they named. Keys (cryptography objects)
are written as PEM. The file carries SQLite's ``application_id`` and a
schema version in ``user_version``; a file that is not SQLite, not ours, or
of another version is refused with one line and left as it is.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import sqlite3
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ...errors import ConfigurationError

__all__ = [
    "APPLICATION_ID",
    "FILE_NAME",
    "SCHEMA_VERSION",
    "SqliteStore",
    "StateDirectoryError",
    "dumps",
    "loads",
]

#: The file in the state directory.
FILE_NAME = "ivs-realtime-local.sqlite3"
#: SQLite's ``application_id`` of the file: "IVSR".
APPLICATION_ID = 0x49565352
#: The version of the schema and of the pieces' layout; another version is refused.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE pieces (
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (account, region, kind, key)
) WITHOUT ROWID;
CREATE TABLE events (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
"""

Piece = tuple[str, str]
Scope = tuple[str, str]


class StateDirectoryError(ConfigurationError):
    """The state directory cannot be used; the message is one line with the fix."""


# -- pickling, with keys as PEM ----------------------------------------------------------


def _private_key(pem: bytes) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):  # pragma: no cover - we wrote it
        raise TypeError("not an EC private key")
    return key


def _public_key(pem: bytes) -> ec.EllipticCurvePublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, ec.EllipticCurvePublicKey):  # pragma: no cover - we wrote it
        raise TypeError("not an EC public key")
    return key


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, ec.EllipticCurvePrivateKey):
            pem = obj.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            return _private_key, (pem,)
        if isinstance(obj, ec.EllipticCurvePublicKey):
            pem = obj.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            return _public_key, (pem,)
        return NotImplemented


def dumps(value: object) -> bytes:
    """Pickle ``value``, keys as PEM."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


def loads(data: bytes) -> Any:
    """Unpickle what :func:`dumps` wrote."""
    return pickle.loads(data)


# -- the store ---------------------------------------------------------------------------


class SqliteStore:
    """One SQLite file holding the pieces of every backend and the events sent."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        """Open (or create) the state file in ``directory``.

        Raises:
            StateDirectoryError: The directory cannot be written, or the file is
                damaged, foreign or of another schema version. Nothing is changed.
        """
        self.directory = Path(directory)
        self.path = self.directory / FILE_NAME
        self._check_directory()
        # An empty file is one whose creation was cut short: nothing to lose.
        fresh = not self.path.exists() or self.path.stat().st_size == 0
        if not fresh:
            self._check_file()
        self._db = self._connect(fresh=fresh)
        self._lock = threading.Lock()
        # What was last written, per scope: piece -> bytes, so that only changes are written.
        self._written: dict[Scope, dict[Piece, bytes]] = {}
        self._events_written = 0
        self._closed = False

    def _connect(self, *, fresh: bool) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            if fresh:
                # In the main file (a rollback journal), so that the header names the
                # schema's version even if the process dies before a checkpoint.
                db.executescript(
                    f"PRAGMA journal_mode=DELETE; BEGIN; {_SCHEMA}"
                    f" PRAGMA application_id={APPLICATION_ID};"
                    f" PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
                )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.Error as exc:
            raise StateDirectoryError(
                f"cannot open the state file {self.path}: {exc}; "
                "check the directory's permissions and free space"
            ) from None
        return db

    def _check_directory(self) -> None:
        where = self.directory
        if not where.exists():
            try:
                where.mkdir(parents=True)
            except OSError as exc:
                raise StateDirectoryError(
                    f"cannot create the state directory {where}: {exc.strerror}; "
                    "give a directory this process can create and write"
                ) from None
        if not where.is_dir():
            raise StateDirectoryError(
                f"the state directory {where} is not a directory; give a directory"
            )
        if not os.access(where, os.W_OK | os.X_OK) or (
            self.path.exists() and not os.access(self.path, os.R_OK | os.W_OK)
        ):
            raise StateDirectoryError(
                f"the state directory {where} is not writable by this process; "
                "make it writable or give another --state-dir"
            )

    def _check_file(self) -> None:
        # The header is read as bytes, and the tables with SQLite's immutable flag (no
        # lock, no -wal or -shm file made), so a file we refuse is left as it was.
        damaged = StateDirectoryError(
            f"the state file {self.path} is damaged or not an SQLite database; "
            "move it away or give another --state-dir"
        )
        with self.path.open("rb") as file:
            header = file.read(100)
        if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
            raise damaged
        version = int.from_bytes(header[60:64], "big", signed=True)
        application_id = int.from_bytes(header[68:72], "big", signed=True)
        if application_id != APPLICATION_ID:
            raise StateDirectoryError(
                f"the state file {self.path} belongs to another program; "
                "move it away or give another --state-dir"
            )
        if version != SCHEMA_VERSION:
            raise StateDirectoryError(
                f"the state file {self.path} has schema version {version}, this "
                f"ivs-realtime-sdk reads version {SCHEMA_VERSION}; use the ivs-realtime-sdk "
                "that wrote it, or give another --state-dir"
            )
        try:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
                db.execute("SELECT count(*) FROM pieces").fetchone()
                db.execute("SELECT count(*) FROM events").fetchone()
        except sqlite3.Error:
            raise damaged from None

    # -- reading -----------------------------------------------------------------------

    def load(self) -> tuple[dict[Scope, dict[Piece, Any]], list[dict[str, Any]]]:
        """Every scope's pieces (unpickled) and the events, oldest first.

        Raises:
            StateDirectoryError: A piece cannot be read back.
        """
        scopes: dict[Scope, dict[Piece, Any]] = {}
        try:
            with self._lock:
                for account, region, kind, key, data in self._db.execute(
                    "SELECT account, region, kind, key, data FROM pieces"
                ):
                    scope = (account, region)
                    self._written.setdefault(scope, {})[(kind, key)] = data
                    scopes.setdefault(scope, {})[(kind, key)] = loads(data)
                events = [
                    loads(data)
                    for (data,) in self._db.execute("SELECT data FROM events ORDER BY seq")
                ]
                self._events_written = len(events)
        except Exception:
            raise StateDirectoryError(
                f"the state file {self.path} is damaged (a record cannot be read); "
                "move it away or give another --state-dir"
            ) from None
        return scopes, events

    # -- writing -----------------------------------------------------------------------

    def save(
        self,
        scope: Scope,
        pieces: Mapping[Piece, bytes],
        events_after: Callable[[int], Iterable[dict[str, Any]]],
    ) -> None:
        """Write what changed in ``scope``'s pieces, and the events the file lacks.

        ``events_after(n)`` returns the events sent after the first ``n``.
        """
        with self._lock:
            self._reopen()
            events = events_after(self._events_written)
            written = self._written.setdefault(scope, {})
            changed = [(p, data) for p, data in pieces.items() if written.get(p) != data]
            gone = [p for p in written if p not in pieces]
            new_events = [dumps(event) for event in events]
            if not changed and not gone and not new_events:
                return
            db = self._db
            db.execute("BEGIN")
            try:
                db.executemany(
                    "INSERT OR REPLACE INTO pieces VALUES (?, ?, ?, ?, ?)",
                    [(*scope, kind, key, data) for (kind, key), data in changed],
                )
                db.executemany(
                    "DELETE FROM pieces WHERE account=? AND region=? AND kind=? AND key=?",
                    [(*scope, kind, key) for kind, key in gone],
                )
                db.executemany(
                    "INSERT INTO events VALUES (?, ?)",
                    [(self._events_written + i + 1, data) for i, data in enumerate(new_events)],
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            for piece, data in changed:
                written[piece] = data
            for piece in gone:
                del written[piece]
            self._events_written += len(new_events)

    @property
    def events_written(self) -> int:
        """How many events the file holds."""
        return self._events_written

    def replace_events(self, events: Iterable[dict[str, Any]]) -> None:
        """Replace the stored events (after a reset forgot some)."""
        data = [dumps(event) for event in events]
        with self._lock:
            self._reopen()
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM events")
            self._db.executemany(
                "INSERT INTO events VALUES (?, ?)", [(i + 1, d) for i, d in enumerate(data)]
            )
            self._db.execute("COMMIT")
            self._events_written = len(data)

    def close(self) -> None:
        """Close the file (everything is already committed); a later write opens it again."""
        with self._lock:
            self._db.close()
            self._closed = True

    def _reopen(self) -> None:
        # Under the lock: a server stopped and started again writes on.
        if self._closed:
            self._db = self._connect(fresh=False)
            self._closed = False

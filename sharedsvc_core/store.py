"""The store: one DuckDB file. This is the only module that opens DuckDB.

How the command line and the dashboard share one file
-----------------------------------------------------
DuckDB lets one process at a time open a file for writing, and while it has the file
open no other process can open it at all. A dashboard that kept a connection open
would lock out the nightly ``load``. So the store never keeps the file open between
pieces of work:

* every read opens the file read-only, runs its queries and closes it (tens of
  milliseconds); the dashboard caches results, keyed by :func:`Store.version`, so it
  only opens the file again when the file has changed;
* every write opens it read-write, runs the whole load inside ``BEGIN ... COMMIT``
  and closes it;
* when another process holds the file, the open is retried with a short back-off
  for up to ``SHAREDSVC_LOCK_WAIT`` seconds (default 15) before :class:`StoreBusy`
  is raised, which the command line reports in one plain line with exit code 2.

Most reads ask about the present, so each write that adds a submission or a rollback
also rewrites, in its own transaction, a snapshot of the present: one table for each
``*_as_of`` macro in :data:`SNAPSHOTS` (new returns leave the tables they cannot
change as they were, and a small returns load patches the returns and cells it
touches). A read-only query for the present (named
parameter ``$as_of`` equal to :data:`FOREVER`) reads those tables instead of working
out again which of the millions of rows count. It falls back to the macros whenever the
snapshot does not match the store and the macros (a store not yet upgraded by ``init``).

Besides the store, :func:`scratch` opens an in-memory database that is thrown away, for
reading and checking a large file before the store is opened (bulk_csv.py).

Inside one process a readers-writer gate serialises writes (two threads loading at
once take turns, and both loads are recorded) and keeps reads and writes apart,
because DuckDB refuses to open one file with two configurations in one process.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
DEFAULT_DB = Path("data") / "sharedsvc.duckdb"
DEFAULT_LOCK_WAIT = 15.0
FOREVER = datetime(9999, 12, 31, 23, 59, 59)

# The macros of sql/views.sql whose answer for the present is kept as a table.
SNAPSHOTS: dict[str, str] = {
    "partnerships_as_of": "now_partnerships",
    "members_as_of": "now_members",
    "services_as_of": "now_services",
    "baselines_as_of": "now_baselines",
    "targets_as_of": "now_targets",
    "returns_as_of": "now_returns",
    "survey_as_of": "now_survey",
    "comments_as_of": "now_comments",
    "cells_as_of": "now_cells",
    "certified_returns_as_of": "now_certified_returns",
    "certified_cells_as_of": "now_certified_cells",
    "submission_status": "now_submission_status",
}
# A named query names what it reads as a placeholder, <<returns_as_of>>: the rows of that
# macro as of $as_of. fill_sources() writes each one out, from this allow-list only.
_SOURCE = re.compile(r"<<(\w+)>>")
_COMMENT = re.compile(r"--[^\n]*")  # our SQL has no "--" inside a string


def fill_sources(query: str, present: bool) -> str:
    """The query with each <<source>> written out: the snapshot table when ``present``
    (a read of the present with the snapshots up to date), else the macro as of
    $as_of. A name not on the allow-list (SNAPSHOTS) is refused."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in SNAPSHOTS:
            raise ValueError(f"<<{name}>> is not a source a query may read")
        return SNAPSHOTS[name] if present else f"{name}($as_of)"

    return _SOURCE.sub(one, query)


_SNAPSHOT_STATE = (
    "SELECT (SELECT max(id) FROM submissions) AS last_submission, "
    "(SELECT count(*) FROM rollbacks) AS rollbacks, ? AS views, "
    "(SELECT count(*) FROM certifications) AS certifications"
)


class StoreError(Exception):
    """A problem with the store that a user can act on."""


class StoreBusy(StoreError):
    """Another process holds the store."""


class StoreMissing(StoreError):
    """The store file does not exist or has not been initialised."""


class StoreDamaged(StoreError):
    """The store file is damaged, cut short, or not a DuckDB store at all."""


def _damaged(path: Path | None, error: Exception) -> StoreDamaged:
    where = f" {path}" if path else ""
    return StoreDamaged(
        f"the store{where} is damaged or is not a sharedsvc store "
        f"({str(error).splitlines()[0]}): nothing was changed; restore it from the latest "
        "backup (`python -m sharedsvc_core backup` makes one; README, 'Backups', says how "
        "to put one back)"
    )


class StoreOutdated(StoreError):
    """The store was made by an older version and lacks a table or macro this one uses."""


def default_path() -> Path:
    """``$SHAREDSVC_DB``, else ``data/sharedsvc.duckdb``."""
    env = os.environ.get("SHAREDSVC_DB")
    return Path(env) if env else DEFAULT_DB


def utc_now() -> datetime:
    """The current moment in UTC, as the naive timestamp the store keeps."""
    return datetime.now(UTC).replace(tzinfo=None)


_sql_cache: dict[str, str] = {}


def sql(name: str) -> str:
    """The text of the named query ``sql/NAME.sql``."""
    if name not in _sql_cache:
        _sql_cache[name] = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    return _sql_cache[name]


class _Gate:
    """A readers-writer gate for one store file inside this process."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            while self._writer:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._readers:
                self._cond.wait()
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


_gates: dict[str, _Gate] = {}
_gates_lock = threading.Lock()


def _gate_for(path: Path) -> _Gate:
    key = str(path.resolve())
    with _gates_lock:
        if key not in _gates:
            _gates[key] = _Gate()
        return _gates[key]


def _is_lock_conflict(error: Exception) -> bool:
    text = str(error)
    return "Could not set lock" in text or "Conflicting lock" in text


def _has_snapshots(con: duckdb.DuckDBPyConnection) -> bool:
    # asked of the catalogue, because a failed query would spoil a write's transaction
    # (a store from before certifications has a now_state without that column)
    found = con.execute(
        "SELECT count(*) FROM duckdb_columns() "
        "WHERE table_name = 'now_state' AND column_name = 'certifications'"
    ).fetchone()
    return bool(found and found[0])


def _snapshots_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the now_* tables reflect every submission, rollback and certification
    in the store."""
    if not _has_snapshots(con):
        return False
    row = con.execute(
        f"SELECT count(*) FROM now_state n, ({_SNAPSHOT_STATE}) s "  # noqa: S608 (constant)
        "WHERE n.last_submission IS NOT DISTINCT FROM s.last_submission "
        "AND n.rollbacks = s.rollbacks AND n.views = s.views "
        "AND n.certifications = s.certifications",
        [_views_version()],
    ).fetchone()
    return bool(row and row[0])


def _views_version() -> str:
    """Changes with the macros, so a new version of them never reads an old snapshot."""
    return sha256_hex(sql("views").encode("utf-8"))


# The snapshots that stay as they are when all that has happened since they were
# written is new returns submissions: each of the register's, the survey's and the
# comments' reads only its own kind of rows; and a returns submission is never
# certified as it is loaded, while the certified figures count only certified
# submissions' returns. (A snapshot not named here is rewritten by every change.)
_KEPT_BY_NEW_RETURNS = (
    "now_partnerships",
    "now_members",
    "now_services",
    "now_baselines",
    "now_targets",
    "now_survey",
    "now_comments",
    "now_certified_returns",
    "now_certified_cells",
)


def _only_new_returns(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the snapshot differs from the store only by returns submissions added
    since it was written: the same macros, rollbacks and certifications."""
    row = con.execute(
        f"SELECT count(*) FROM now_state n, ({_SNAPSHOT_STATE}) s "  # noqa: S608 (constant)
        "WHERE n.views = s.views AND n.rollbacks = s.rollbacks "
        "AND n.certifications = s.certifications AND n.last_submission IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM submissions x "
        "WHERE x.id > n.last_submission AND x.kind <> 'returns')",
        [_views_version()],
    ).fetchone()
    return bool(row and row[0])


# New returns change only the returns with their keys, and the cells of their services
# in their quarters (a whole-service return is shared among every member of the
# service). When they touch at most this share of the returns kept, only those rows and
# cells are worked out again; a larger load rewrites the two tables whole.
_PATCH_SHARE = 0.25
_RETURN_KEY = ("council", "service_code", "financial_year", "quarter")


def _patch_for_new_returns(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring now_returns and now_cells up to date with the returns submissions added
    since the snapshot was written, by replacing only the rows they touch. False (and
    nothing changed) when they touch too many for that to be the quicker way."""
    # the largest new submission's rows are keys of its own, so it alone touches that many
    biggest, kept = con.execute(
        "SELECT (SELECT coalesce(max(rows), 0) FROM submissions WHERE kind = 'returns' "
        "AND id > (SELECT last_submission FROM now_state)), (SELECT count(*) FROM now_returns)"
    ).fetchone() or (0, 0)
    if biggest > kept * _PATCH_SHARE:
        return False
    con.execute(
        "CREATE OR REPLACE TEMP TABLE touched_returns AS "  # noqa: S608 (constant)
        f"SELECT DISTINCT {', '.join(_RETURN_KEY)} FROM return_rows "
        "WHERE submission_id > (SELECT last_submission FROM now_state)"
    )
    touched, kept = con.execute(
        "SELECT (SELECT count(*) FROM touched_returns), (SELECT count(*) FROM now_returns)"
    ).fetchone() or (0, 0)
    if touched > kept * _PATCH_SHARE:
        return False
    con.execute(
        "CREATE OR REPLACE TEMP TABLE touched_cells AS SELECT DISTINCT service_code, "
        "quarter_index(CAST(substr(financial_year, 1, 4) AS INTEGER), quarter) AS qidx "
        "FROM touched_returns"
    )
    for table, macro, key, columns in (
        ("now_returns", "returns_as_of", "touched_returns", _RETURN_KEY),
        ("now_cells", "cells_as_of", "touched_cells", ("service_code", "qidx")),
    ):
        match = " AND ".join(f"{table}.{c} = k.{c}" for c in columns)
        con.execute(f"DELETE FROM {table} USING {key} k WHERE {match}")  # noqa: S608
        con.execute(
            f"INSERT INTO {table} SELECT x.* FROM {macro}(?) x "  # noqa: S608 (constants)
            f"SEMI JOIN {key} USING ({', '.join(columns)})",
            [FOREVER],
        )
    con.execute("DROP TABLE touched_returns")
    con.execute("DROP TABLE touched_cells")
    return True


def _refresh_snapshots(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite the snapshot of the present, inside the caller's transaction, unless it is
    already up to date (a rejected file or a settings change leaves it as it was)."""
    if not _has_snapshots(con) or _snapshots_fresh(con):
        return
    keep: tuple[str, ...] = ()
    if _only_new_returns(con):
        keep = _KEPT_BY_NEW_RETURNS
        if _patch_for_new_returns(con):
            keep += ("now_returns", "now_cells")
    for macro, table in SNAPSHOTS.items():
        if table in keep:
            continue
        con.execute(
            f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {macro}(?)",  # noqa: S608 (SNAPSHOTS)
            [FOREVER],
        )
    con.execute("DELETE FROM now_state")
    con.execute(f"INSERT INTO now_state {_SNAPSHOT_STATE}", [_views_version()])  # noqa: S608


class Conn:
    """A thin wrapper over one open DuckDB connection for one piece of work."""

    def __init__(self, con: duckdb.DuckDBPyConnection, read_only: bool = False) -> None:
        self._con = con
        self._read_only = read_only
        self._fresh: bool | None = None
        # set by a write that, as it turned out, only added to the audit log (a refused
        # or repeated file), so the store's version stays as it was
        self.only_logged = False

    def _for_present(
        self, query: str, params: Sequence[Any] | dict[str, Any] | None
    ) -> tuple[str, Sequence[Any] | dict[str, Any] | None]:
        """Fill a query's <<sources>>. A read-only query for the present reads the
        snapshot tables, when they are up to date; a write never does, since its own
        rows are not in the snapshot yet."""
        if "<<" not in query:
            return query, params
        present = self._read_only and isinstance(params, dict) and params.get("as_of") == FOREVER
        if present and self._fresh is None:
            self._fresh = _snapshots_fresh(self._con)
        if not (present and self._fresh):
            return fill_sources(query, False), params
        query = fill_sources(_COMMENT.sub("", query), True)
        if "$as_of" not in query and isinstance(params, dict):
            # DuckDB refuses a named parameter that is not used
            params = {k: v for k, v in params.items() if k != "as_of"}
        return query, params

    def execute(self, query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        try:
            query, params = self._for_present(query, params)
            if params is None:
                return self._con.execute(query)
            return self._con.execute(query, params)
        except (duckdb.IOException, duckdb.SerializationException) as error:
            raise _damaged(None, error) from None
        except duckdb.CatalogException as error:
            # our own queries name only the store's tables and macros, so a missing one
            # means a store from an older version that `init` has not yet upgraded
            raise StoreOutdated(
                "the store needs upgrading before it can be used: run "
                f"`python -m sharedsvc_core init` ({str(error).splitlines()[0]})"
            ) from None

    def executemany(self, query: str, rows: Sequence[Sequence[Any]]) -> None:
        self._con.executemany(query, rows)

    def rows(
        self, query: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        return list(self.execute(query, params).fetchall())

    def one(self, query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        """The first value of the first row (the result is read to its end, so the
        connection is free for the next piece of work)."""
        rows = self.execute(query, params).fetchall()
        return rows[0][0] if rows else None

    def dicts(
        self, query: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        cur = self.execute(query, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def df(self, query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        """The result as a pandas DataFrame (for small, aggregated results)."""
        return self.execute(query, params).df()

    def register(self, name: str, table: Any) -> None:
        """Make an Arrow table, a DataFrame or a dict of numpy columns visible to SQL
        under ``name``."""
        self._con.register(name, table)

    def unregister(self, name: str) -> None:
        self._con.unregister(name)


def quoted(identifier: str) -> str:
    """An SQL identifier (a column name from the contract) in double quotes."""
    return '"' + identifier.replace('"', '""') + '"'


class ScratchFailed(Exception):
    """DuckDB could not do a piece of scratch work (a file it could not read as asked)."""


class ScratchConn(Conn):
    """A connection to an in-memory database that is thrown away: for reading and
    checking a file before the store is opened. Any failure is :class:`ScratchFailed`,
    which the caller takes as "do this another way"."""

    def execute(self, query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        try:
            return self._con.execute(query) if params is None else self._con.execute(query, params)
        except duckdb.Error as error:
            raise ScratchFailed(str(error).splitlines()[0]) from None


@contextlib.contextmanager
def scratch() -> Iterator[ScratchConn]:
    """An in-memory DuckDB for one piece of work that touches no store."""
    con = duckdb.connect(":memory:")
    try:
        yield ScratchConn(con)
    finally:
        con.close()


@dataclass
class Store:
    """The DuckDB store at ``path``."""

    path: Path
    lock_wait: float = DEFAULT_LOCK_WAIT

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Store:
        wait = float(os.environ.get("SHAREDSVC_LOCK_WAIT", DEFAULT_LOCK_WAIT))
        return cls(Path(path) if path is not None else default_path(), lock_wait=wait)

    # -- connections -----------------------------------------------------------------

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_wait
        delay = 0.02
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only)
            except duckdb.Error as error:
                if not _is_lock_conflict(error):
                    raise _damaged(self.path, error) from None
                if time.monotonic() >= deadline:
                    raise StoreBusy(
                        f"the store {self.path} is in use by another process; "
                        "try again when that load or report has finished"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @contextlib.contextmanager
    def reading(self) -> Iterator[Conn]:
        """A read-only connection for one piece of work."""
        if not self.path.exists():
            raise StoreMissing(
                f"there is no store at {self.path}; create it with "
                "`python -m sharedsvc_core init` (add --demo for the demo programme)"
            )
        with _gate_for(self.path).reading():
            con = self._connect(read_only=True)
            try:
                yield Conn(con, read_only=True)
            finally:
                con.close()

    @contextlib.contextmanager
    def writing(self, log_only: bool = False) -> Iterator[Conn]:
        """A read-write connection holding one transaction: committed if the block
        finishes, rolled back if it raises. The snapshot of the present is brought up
        to date in the same transaction, so it can never disagree with the rows.

        ``log_only`` is for a write that adds to the audit log and nothing else (a
        sign-in, a board-pack export): it leaves :meth:`version` as it was, so the
        figures cached for every session stay cached."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _gate_for(self.path).writing():
            con = self._connect(read_only=False)
            conn = Conn(con)
            try:
                try:
                    con.execute("BEGIN TRANSACTION")
                    try:
                        yield conn
                        _refresh_snapshots(con)
                    except BaseException:
                        con.execute("ROLLBACK")
                        raise
                    fault_point("before_commit")
                    con.execute("COMMIT")
                except (duckdb.IOException, duckdb.SerializationException) as error:
                    raise _damaged(self.path, error) from None
            finally:
                try:
                    con.close()
                except duckdb.Error as error:  # folding the log into a damaged file
                    raise _damaged(self.path, error) from None
            self._note_write(changed=not (log_only or conn.only_logged))

    @property
    def _marker(self) -> Path:
        return Path(str(self.path) + ".changed")

    def _signature(self) -> tuple[int, ...]:
        """The modification times and sizes of the file and its write-ahead log."""
        parts: list[int] = []
        for p in (self.path, Path(str(self.path) + ".wal")):
            try:
                st = p.stat()
                parts += [st.st_mtime_ns, st.st_size]
            except FileNotFoundError:
                parts += [0, 0]
        return tuple(parts)

    def _read_marker(self) -> tuple[int, tuple[int, ...]] | None:
        try:
            number, *signature = map(int, self._marker.read_text(encoding="ascii").split())
        except (OSError, ValueError):
            return None
        return number, tuple(signature)

    def _note_write(self, changed: bool) -> None:
        """After a write: the marker keeps a number that grows with every write that
        changed anything but the audit log, and the file's signature as this write left
        it. The marker is rewritten whole (by a rename) under a lock, so two processes
        writing at once never lose a change."""
        with contextlib.suppress(OSError), open(f"{self._marker}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            before = self._read_marker()
            number = before[0] if before else 0
            if changed or before is None:
                number = max(time.time_ns(), number + 1)
            draft = Path(f"{self._marker}.{os.getpid()}.{threading.get_ident()}")
            signature = " ".join(map(str, self._signature()))
            draft.write_text(f"{number} {signature}\n", encoding="ascii")
            os.replace(draft, self._marker)

    def version(self) -> tuple[int, ...]:
        """Changes whenever a write lands, except one that only adds to the audit log,
        so caches keyed on it show a new load on the next rerun and survive a sign-in.

        It is the number in the marker file beside the store, while the file is as the
        product's last write left it. A file changed any other way (a backup copied
        back over it, or a store with no marker yet) adds its own signature, so nothing
        cached from before is used."""
        marker = self._read_marker()
        signature = self._signature()
        if marker is not None and marker[1] == signature:
            return (marker[0],)
        return (marker[0] if marker else 0, *signature)

    def backup(self, out: Path) -> dict[str, int]:
        """Write a consistent copy of the store to ``out``, a file that does not exist
        yet: the file is copied while a read-only connection holds it (so no write can
        land meanwhile), any write-ahead log with it, then the copy is opened, folded
        into one file and read back. Returns what the copy holds."""
        out = Path(out)
        if out.exists():
            raise StoreError(f"{out} already exists: give the backup a new name")
        if not self.path.exists():
            raise StoreMissing(f"there is no store at {self.path}")
        with self.reading():
            shutil.copyfile(self.path, out)
            wal = Path(str(self.path) + ".wal")
            if wal.exists():
                shutil.copyfile(wal, Path(str(out) + ".wal"))
        try:
            copy = duckdb.connect(str(out))
            try:
                copy.execute("CHECKPOINT")
                counts = {
                    table: int(copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # type: ignore[index]  # noqa: S608
                    for table in ("submissions", "people", "audit_log")
                }
            finally:
                copy.close()
        except duckdb.Error as error:
            out.unlink(missing_ok=True)
            Path(str(out) + ".wal").unlink(missing_ok=True)
            raise _damaged(self.path, error) from None
        return counts

    # -- schema ----------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Create or upgrade the schema. Applies each numbered migration once, then
        (re)creates the views. Running it twice changes nothing."""
        applied: list[str] = []
        with self.writing() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            done = {r[0] for r in con.rows("SELECT version FROM schema_migrations")}
            for path in sorted((SQL_DIR / "migrations").glob("*.sql")):
                version = int(path.name.split("_", 1)[0])
                if version in done:
                    continue
                for statement in _statements(path.read_text(encoding="utf-8")):
                    con.execute(statement)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [version, path.stem, utc_now()],
                )
                applied.append(path.stem)
            for statement in _statements(sql("views")):
                con.execute(statement)
        return applied

    def schema_version(self) -> int:
        with self.reading() as con:
            try:
                return int(con.one("SELECT coalesce(max(version), 0) FROM schema_migrations"))
            except StoreOutdated:
                return 0


def expected_schema_version() -> int:
    return max(int(p.name.split("_", 1)[0]) for p in (SQL_DIR / "migrations").glob("*.sql"))


def _statements(text: str) -> list[str]:
    """Split a .sql file on the semicolons that end statements (our files put each
    statement's closing semicolon at the end of a line and never inside a string)."""
    lines = [line for line in text.splitlines() if not line.strip().startswith("--")]
    parts = re.split(r";[ \t]*(?:\n|$)", "\n".join(lines))
    return [part.strip() for part in parts if part.strip()]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fault_point(name: str) -> None:
    """Tests stop a load at a named point: with ``SHAREDSVC_FAULT_PAUSE=NAME`` the
    process writes ``SHAREDSVC_FAULT_MARKER`` and sleeps, so a test can SIGKILL it
    inside the open transaction. Unset in normal use, when this does nothing."""
    if os.environ.get("SHAREDSVC_FAULT_PAUSE") != name:
        return
    marker = os.environ.get("SHAREDSVC_FAULT_MARKER")
    if marker:
        Path(marker).write_text(name, encoding="utf-8")
    time.sleep(600)

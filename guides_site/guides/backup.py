"""Consistent copies of a live database, taken while the site keeps serving, and restores."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from guides_site.operations.models import renew_database_identity

BACKUP_PATTERNS = ("guides-*.sqlite3", "guides-*.dump")


class BackupError(Exception):
    pass


def backup_database(directory):
    """Write a backup file into directory and return its path.

    SQLite: the online backup API copies one consistent snapshot, even while votes are
    being written. PostgreSQL: pg_dump, which reads one transaction snapshot.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
    if connection.vendor == "sqlite":
        target = directory / f"guides-{stamp}.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return target
    if connection.vendor == "postgresql":
        target = directory / f"guides-{stamp}.dump"
        db = connection.settings_dict
        command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
        result = _run_postgres(command, db)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.decode().strip()}")
        return target
    raise BackupError(f"no backup method for the {connection.vendor} database")


def prune_backups(directory, keep):
    """Delete all but the newest `keep` backups in directory (their names sort by time);
    return the deleted paths."""
    backups = sorted(
        (path for pattern in BACKUP_PATTERNS for path in Path(directory).glob(pattern)),
        key=lambda path: path.name,
    )
    old = backups[: max(len(backups) - keep, 0)]
    for path in old:
        path.unlink()
    return old


def _run_postgres(command, db, stdin=None):
    """A PostgreSQL client on the database of the settings: every connection detail given
    explicitly, so that it never falls back to another server's defaults."""
    command = [
        *command,
        f"--host={db.get('HOST') or 'localhost'}",
        f"--port={db.get('PORT') or 5432}",
        f"--dbname={db['NAME']}",
    ]
    if db.get("USER"):
        command.append(f"--username={db['USER']}")
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]  # through the environment, never on a command line
    return subprocess.run(command, env=env, input=stdin, capture_output=True)  # noqa: S603


def other_users():
    """What else is using the database, as far as it can be seen: other sessions on a
    PostgreSQL database, other processes holding the SQLite file (or its WAL) open."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid, coalesce(application_name, ''), coalesce(client_addr::text, 'local')"
                " FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [f"session {pid} {name} from {addr}" for pid, name, addr in cursor.fetchall()]
    database = Path(connection.settings_dict["NAME"]).resolve()
    files = {str(database), f"{database}-wal", f"{database}-shm"}
    users = []
    # Every process's open files, as Linux lists them: a server that has served a page keeps
    # its connection, so the file stays open.
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            opened = {os.readlink(fd) for fd in (proc / "fd").iterdir()}
            command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if opened & files:
            users.append(f"process {proc.name} {command[:80]}")
    return users


def terminate_other_sessions():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def restore_database(path):
    """Replace the database's contents with the backup at path, in one step, then migrate it
    to this release and give it a new identity (operations.models.DatabaseIdentity)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup at {path}")
    if connection.vendor == "sqlite":
        _restore_sqlite(path)
    elif connection.vendor == "postgresql":
        _restore_postgres(path)
    else:
        raise BackupError(f"no restore method for the {connection.vendor} database")
    connection.close()
    call_command("migrate", interactive=False, verbosity=0)
    renew_database_identity()


def _restore_sqlite(path):
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"{path} is not a sound SQLite database")
        connection.close()
        # Through SQLite's backup API, not a file copy: the WAL and the lock stay right.
        target = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
        try:
            source.backup(target)
        finally:
            target.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} could not be restored: {error}") from None
    finally:
        source.close()


def _restore_postgres(path):
    # The archive as one SQL script: no connection, nothing written yet.
    command = ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(path)]
    script = subprocess.run(command, capture_output=True)  # noqa: S603
    if script.returncode:
        raise BackupError(f"pg_restore could not read {path}: {script.stderr.decode().strip()}")
    connection.close()
    # One transaction: the database is either the backup, whole, or left as it was.
    sql = b"DROP SCHEMA public CASCADE; CREATE SCHEMA public;\n" + script.stdout
    db = connection.settings_dict
    result = _run_postgres(
        ["psql", "--quiet", "--no-psqlrc", "--single-transaction", "--set=ON_ERROR_STOP=1"],
        db,
        stdin=sql,
    )
    if result.returncode:
        raise BackupError(f"psql failed, nothing restored: {result.stderr.decode().strip()}")

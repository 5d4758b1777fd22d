"""Consistent copies of a live database, taken while the site keeps serving."""

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.utils import timezone


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
        command = [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={target}",
            f"--dbname={db['NAME']}",
        ]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if db.get(key):
                command.append(f"{flag}={db[key]}")
        env = dict(os.environ)
        if db.get("PASSWORD"):
            env["PGPASSWORD"] = db["PASSWORD"]  # through the environment, never on a command line
        result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target
    raise BackupError(f"no backup method for the {connection.vendor} database")

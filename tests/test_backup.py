import sqlite3
import subprocess
import threading
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import close_old_connections, connection

from guides_site.guides.models import Vote

from .factories import make_guide

pytestmark = pytest.mark.django_db(transaction=True)


def count_votes_in_backup(path, visitors):
    """How many of these visitors' votes the backup holds."""
    if path.suffix == ".sqlite3":
        with sqlite3.connect(path) as copy:
            rows = copy.execute("SELECT visitor FROM guides_vote").fetchall()
        return len({row[0] for row in rows} & set(visitors))
    db = connection.settings_dict
    scratch = f"restore_{uuid.uuid4().hex[:8]}"
    base = [
        "-h",
        db["HOST"] or "127.0.0.1",
        "-p",
        str(db["PORT"] or 5432),
        "-U",
        db["USER"] or "postgres",
    ]
    subprocess.run(["createdb", *base, scratch], check=True)
    try:
        subprocess.run(["pg_restore", *base, "--no-owner", "-d", scratch, str(path)], check=True)
        out = subprocess.run(
            ["psql", *base, "-d", scratch, "-At", "-c", "SELECT visitor FROM guides_vote"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return len(set(out.split()) & set(visitors))
    finally:
        subprocess.run(["dropdb", *base, scratch], check=True)


def test_a_backup_taken_while_votes_are_written_holds_every_acknowledged_vote(tmp_path):
    guide = make_guide()
    acknowledged, stop = [], threading.Event()

    def write_votes():
        try:
            while not stop.is_set() and len(acknowledged) < 2000:
                visitor = uuid.uuid4().hex
                Vote.objects.create(guide=guide, visitor=visitor, helpful=True)  # committed
                acknowledged.append(visitor)
        finally:
            close_old_connections()
            connection.close()

    writer = threading.Thread(target=write_votes)
    writer.start()
    while len(acknowledged) < 50:
        stop.wait(0.01)
    before_backup = list(acknowledged)

    out = StringIO()
    call_command("backup_db", str(tmp_path), stdout=out)

    stop.set()
    writer.join()
    backup = next(tmp_path.iterdir())
    assert "Backup written to" in out.getvalue()
    assert count_votes_in_backup(backup, before_backup) == len(before_backup)

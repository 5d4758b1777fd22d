"""restore_db: a backup put back on SQLite or PostgreSQL (CI's second pass), behind a real
gunicorn whose Redis still holds the pages of the newer database."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guides_site.guides.models import Step

from .factories import make_guide
from .servers import gunicorn, redis_server

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = "/acme/refund/"


def set_first_step(guide, text):
    step = Step.objects.get(guide=guide, position=1)
    step.body_md = text
    step.save()


def backup(directory):
    out = StringIO()
    call_command("backup_db", str(directory), stdout=out)
    return out.getvalue().split("Backup written to ")[1].strip()


def test_after_a_restore_no_page_cached_from_the_newer_database_is_served(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "before-restore"
    guide = make_guide()
    set_first_step(guide, "Restored text.")
    saved = backup(tmp_path / "backups")
    set_first_step(guide, "Newer text, lost by the restore.")

    with redis_server(tmp_path) as redis:
        with gunicorn(tmp_path, REDIS_URL=redis.url) as server:
            assert "Newer text" in server.get(GUIDE)[2]
            assert "Newer text" in server.get(GUIDE)[2]  # cached whole and for first visits
            with pytest.raises(CommandError, match="The database is in use"):
                call_command("restore_db", saved, stdout=StringIO())

        out = StringIO()
        call_command("restore_db", saved, stdout=out)
        assert "start the app servers again" in out.getvalue()
        # The restore rewound the guide's versions: the next edit gives it the versions under
        # which Redis keeps the page of the newer database.
        set_first_step(guide, "Written after the restore.")

        with gunicorn(tmp_path, REDIS_URL=redis.url) as server:
            for _ in range(2):
                page = server.get(GUIDE)[2]
                assert "Written after the restore." in page
                assert "Newer text" not in page


def test_a_restore_puts_back_the_backup_and_keeps_what_it_replaced(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "before-restore"
    guide = make_guide()
    set_first_step(guide, "In the backup.")
    saved = backup(tmp_path / "backups")
    set_first_step(guide, "Replaced by the restore.")

    call_command("restore_db", saved, stdout=StringIO())

    assert Step.objects.get(guide=guide, position=1).body_md == "In the backup."
    kept = list(settings.BACKUP_DIR.iterdir())
    assert len(kept) == 1


def test_restoring_a_file_that_is_not_a_backup_changes_nothing(tmp_path, settings):
    settings.BACKUP_DIR = tmp_path / "before-restore"
    guide = make_guide()
    set_first_step(guide, "Still here.")
    bogus = tmp_path / "guides-bogus.dump"
    bogus.write_bytes(b"not a backup at all" * 100)

    with pytest.raises(CommandError):
        call_command("restore_db", str(bogus), stdout=StringIO())

    assert Step.objects.get(guide=guide, position=1).body_md == "Still here."


def test_backups_beyond_the_retention_count_are_deleted_oldest_first(tmp_path):
    make_guide()
    folder = tmp_path / "backups"
    made = []
    for _ in range(4):
        out = StringIO()
        call_command("backup_db", str(folder), "--keep", "2", stdout=out)
        made.append(out.getvalue().split("Backup written to ")[1].splitlines()[0].strip())

    assert sorted(str(path) for path in folder.iterdir()) == sorted(made[-2:])

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from guides_site.guides import backup


class Command(BaseCommand):
    help = (
        "Replace the database with a backup written by backup_db, while no app server is "
        "running (README: Backups and restore)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a .sqlite3 or .dump file written by backup_db")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even though other processes use the database (PostgreSQL: their "
            "sessions are ended)",
        )

    def handle(self, *args, force=False, **options):
        users = backup.other_users()
        if users and not force:
            raise CommandError(
                "The database is in use; stop the app servers first (their cached pages "
                "would outlive the restore), or pass --force:\n  " + "\n  ".join(users)
            )
        if users and connection.vendor == "postgresql":
            backup.terminate_other_sessions()
        try:
            # What is replaced stays at hand, in case the wrong backup was picked.
            before = backup.backup_database(settings.BACKUP_DIR)
            self.stdout.write(f"The database as it was is in {before}")
            backup.restore_database(options["backup"])
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restored {options['backup']}; start the app servers again.")
        )

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guides_site.guides.backup import BackupError, backup_database, prune_backups


class Command(BaseCommand):
    help = "Copy the live database to a backup file (README: Backups and restore)."

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", default=settings.BACKUP_DIR, help="default: BACKUP_DIR"
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.BACKUP_KEEP,
            help="backups to keep in the directory, the newest (default: BACKUP_KEEP)",
        )

    def handle(self, *args, directory, keep, **options):
        if keep < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            path = backup_database(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
        for old in prune_backups(directory, keep):
            self.stdout.write(f"Deleted {old} (keeping the newest {keep})")

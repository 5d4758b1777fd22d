from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from guides_site.guides.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Copy the live database to a backup file (README: Backups and restore)."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default=settings.BASE_DIR / "backups")

    def handle(self, *args, directory, **options):
        try:
            path = backup_database(directory)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))

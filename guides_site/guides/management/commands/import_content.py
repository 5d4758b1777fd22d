from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from guides_site.content.importer import import_content
from guides_site.content.parser import ContentInvalid, count_files


class Command(BaseCommand):
    help = "Import companies and guides from the Markdown content folder (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", help="content folder (default: CONTENT_DIR)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="validate and report what would change, writing nothing",
        )
        parser.add_argument(
            "--prune", action="store_true", help="unpublish imported guides whose file was removed"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite guides edited in the admin since the last import",
        )

    def handle(self, *args, directory=None, dry_run=False, prune=False, force=False, **options):
        root = directory or settings.CONTENT_DIR
        try:
            with self.progress_bar(root) as progress:
                report = import_content(
                    root, dry_run=dry_run, prune=prune, force=force, progress=progress
                )
        except ContentInvalid as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            count = len(exc.errors)
            raise CommandError(
                f"{count} problem{'s' if count != 1 else ''} found in {root}; nothing was imported."
            ) from None
        for conflict in report.conflicts:
            self.stderr.write(self.style.WARNING(conflict))
        prefix = "Dry run, nothing written: would be " if dry_run else f"Imported {root}: "
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))

    @contextmanager
    def progress_bar(self, root):
        """The files read so far, on a terminal; elsewhere (a log, a pipe, call_command into
        a StringIO) only the summary line."""
        if not self.stdout.isatty():
            yield None
            return
        # The stream itself: OutputWrapper would end each of tqdm's redraws with a newline.
        with tqdm(
            total=count_files(root), desc="Reading", unit=" files", file=self.stdout._out
        ) as bar:
            yield bar.update

from django.core.management.base import BaseCommand

from guides_site.content.exporter import export_content


class Command(BaseCommand):
    help = "Write every company and guide to a folder, in the content format."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="folder to write to (created if missing)")

    def handle(self, *args, directory, **options):
        companies, guides = export_content(directory)
        self.stdout.write(
            self.style.SUCCESS(f"Exported {companies} companies and {guides} guides to {directory}")
        )

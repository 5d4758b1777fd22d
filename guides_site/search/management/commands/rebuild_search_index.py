from django.core.management.base import BaseCommand

from guides_site.search.index import engine, rebuild


class Command(BaseCommand):
    help = "Index every guide and company name again (after a restore, or to repair the index)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only when the index holds nothing yet (a first deploy of search: release)",
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and engine().indexed_count():
            self.stdout.write(self.style.SUCCESS("The search index is in place: nothing to do."))
            return
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} guides."))

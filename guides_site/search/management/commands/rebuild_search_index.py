from django.core.management.base import BaseCommand

from guides_site.search.index import rebuild


class Command(BaseCommand):
    help = "Index every guide and company name again (after a restore, or to repair the index)."

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} guides."))

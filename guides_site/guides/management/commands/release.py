from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Once per deploy, before the app servers start: migrate, collect static files, "
        "import the content folder (README: Production)."
    )

    def handle(self, *args, **options):
        # Here, once, rather than in every app server's start: several servers starting
        # together would migrate concurrently, and each start would take the import's time.
        for command, kwargs in (
            ("migrate", {"interactive": False}),
            ("collectstatic", {"interactive": False}),
            ("import_content", {}),
            # A database from before search has guides and no index yet.
            ("rebuild_search_index", {"if_empty": True}),
        ):
            self.stdout.write(f"== {command}")
            call_command(command, stdout=self.stdout, stderr=self.stderr, **kwargs)

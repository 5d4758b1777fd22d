from django.core.management.base import BaseCommand

from guides_site.guides.editors import setup_editors_group


class Command(BaseCommand):
    help = "Create or update the Editors group: content and moderation, no users or groups."

    def handle(self, *args, **options):
        group, count = setup_editors_group()
        self.stdout.write(self.style.SUCCESS(f"Group “{group.name}” has {count} permissions."))

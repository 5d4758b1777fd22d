from django.core.management.base import BaseCommand

from guides_site.questions.tasks import forget_expired


class Command(BaseCommand):
    help = (
        "Forget readers' e-mail addresses and typed questions that are no longer needed "
        "(rejected, or asked more than 90 days ago). The worker also does this daily."
    )

    def handle(self, *args, **options):
        count = forget_expired()
        self.stdout.write(self.style.SUCCESS(f"Questions cleared of personal data: {count}."))

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guides_site.settings")

application = get_wsgi_application()

# What each worker would otherwise make while its first readers wait (operations/warmup.py).
from guides_site.operations.warmup import warm_up  # noqa: E402 (needs the app set up)

warm_up()

"""Run one content import in this process; print its duration and peak memory as JSON."""

import json
import os
import resource
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guides_site.settings")
django.setup()

from guides_site.content.importer import import_content  # noqa: E402

started = time.perf_counter()
report = import_content(sys.argv[1])
print(
    json.dumps(
        {
            "seconds": time.perf_counter() - started,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "summary": report.summary(),
        }
    )
)

import functools
import hashlib
from pathlib import Path

from django.conf import settings

_SOURCES = ["guides_site", "templates", "static", "locale"]


@functools.cache
def release_id():
    """A fingerprint of the code, templates and static files that shape every page.

    Part of each page's ETag, so a deploy never leaves browsers on a stale cached copy.
    Computed from contents, so every server running the same release agrees on it; once per
    process, as it reads every file.
    """
    digest = hashlib.sha256()
    for folder in _SOURCES:
        for path in sorted(Path(settings.BASE_DIR, folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(settings.BASE_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

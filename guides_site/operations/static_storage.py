"""Static files as production serves them: hashed, compressed, and minified."""

import re

import rcssmin
import rjsmin
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Shipped minified: htmx-2.min.js, and its hashed copy htmx-2.min.6b99da76b7f7.js.
_MINIFIED_JS = re.compile(r"\.min(\.[0-9a-f]{12})?\.js$")


def _minifier(name):
    if name.endswith(".css"):
        return rcssmin.cssmin
    if name.endswith(".js") and not (_MINIFIED_JS.search(name) or name.startswith("admin/")):
        return rjsmin.jsmin
    return None


class MinifiedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Strips comments and spacing from stylesheets and scripts as they are written to
    STATIC_ROOT; licence comments (/*! … */) stay.

    The source files keep their comments for whoever edits them; readers on a phone download
    the guide page's stylesheet and script with every first visit, and comments were an eighth
    of the stylesheet and a third of the script, compressed. Every write goes through _save
    (the plain copy, each hashed copy after its URLs are rewritten), so the hash still names
    the source and gzip/brotli see minified bytes. Scripts shipped minified, and the admin's,
    which editors load once on a desktop, are left as they came.
    """

    def _save(self, name, content):
        minify = _minifier(name)
        if minify:
            content.seek(0)
            text = content.read()
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            content = ContentFile(minify(text, keep_bang_comments=True).encode("utf-8"))
        return super()._save(name, content)

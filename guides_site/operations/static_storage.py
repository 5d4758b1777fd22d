"""Static files as production serves them: hashed, compressed, and minified."""

import rcssmin
import rjsmin
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


class MinifiedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Strips comments and spacing from CSS and JavaScript as they are written to STATIC_ROOT.

    The source files keep their comments for whoever edits them; readers on a phone download
    the guide page's stylesheet and script with every first visit, and comments were an eighth
    of the stylesheet and a third of the script, compressed. Every write goes through _save
    (the plain copy, each hashed copy after its URLs are rewritten), so the hash still names
    the source and gzip/brotli see minified bytes. Scripts already minified (.min.js), and the
    admin's, which editors load once on a desktop, are left as they were shipped.
    """

    def _save(self, name, content):
        minify = MINIFIERS.get(name[name.rfind(".") :])
        if minify is rjsmin.jsmin and (name.endswith(".min.js") or name.startswith("admin/")):
            minify = None
        if minify:
            content.seek(0)
            text = content.read()
            if isinstance(text, bytes):
                text = text.decode("utf-8")
            content = ContentFile(minify(text).encode("utf-8"))
        return super()._save(name, content)

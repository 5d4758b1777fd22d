"""Static files as production serves them: hashed, compressed, and our stylesheets minified."""

import rcssmin
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage


class MinifiedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Strips comments and spacing from CSS as it is written to STATIC_ROOT.

    The source files keep their comments for whoever edits them; readers on a phone download
    the guide page's stylesheet with every first visit, and its comments were an eighth of it
    compressed. Every write goes through _save (the plain copy, each hashed copy after its
    URLs are rewritten), so the hash still names the source and gzip/brotli see minified bytes.
    """

    def _save(self, name, content):
        if name.endswith(".css"):
            content.seek(0)
            css = content.read()
            if isinstance(css, bytes):
                css = css.decode("utf-8")
            content = ContentFile(rcssmin.cssmin(css).encode("utf-8"))
        return super()._save(name, content)

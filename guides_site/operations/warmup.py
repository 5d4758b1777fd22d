"""Make once, in the process gunicorn forks its workers from (preload_app), what each worker
would otherwise make on its first requests: the URL patterns in each language, the site's
compiled templates and the form widgets', the translation catalogues and the static files'
manifest.

Without it, every new worker (at start, after a deploy, after max_requests) made them while
its first readers waited, each of its threads alike: a new process's first guide page took
98 ms, 44 ms with them made (bench/README.md), most of that the page's own rendering. Neither
the database nor the cache is touched: a forked worker must not share their connections.
"""

from pathlib import Path

import django.forms
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import get_resolver, reverse
from django.utils import translation


def site_templates():
    """The names of the templates in the project's folders and in its own apps'."""
    folders = [Path(folder) for folder in engines["django"].engine.dirs]
    folders += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if app.name.startswith("guides_site.")
    ]
    return _names(folders)


def widget_templates():
    """The names of Django's form and widget templates, which forms render with."""
    return _names([Path(django.forms.__file__).parent / "templates"])


def _names(folders):
    for folder in folders:
        for path in sorted(folder.rglob("*.html")):
            yield path.relative_to(folder).as_posix()


def _compile_patterns(patterns):
    for pattern in patterns:
        pattern.pattern.regex  # noqa: B018 (compiled on first use, once per language)
        _compile_patterns(getattr(pattern, "url_patterns", ()))


def warm_up():
    engine = engines["django"]
    for name in site_templates():
        engine.get_template(name)
    renderer = get_default_renderer()
    for name in widget_templates():
        renderer.get_template(name)
    for language, _ in settings.LANGUAGES:
        with translation.override(language):
            _compile_patterns(get_resolver().url_patterns)
            reverse("home")
    staticfiles_storage.base_url  # noqa: B018 (reads the manifest)

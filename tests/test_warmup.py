"""The server's first process makes what every worker it forks would otherwise make while its
first readers wait (operations/warmup.py)."""

from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connections
from django.forms.renderers import get_default_renderer
from django.template import base, engines

from guides_site.operations.warmup import site_templates, warm_up

from .factories import make_guide


@pytest.fixture
def new_worker():
    """A process that has compiled no template yet, and counts the templates it compiles."""
    for engine in (engines["django"], get_default_renderer().engine):
        for loader in engine.engine.template_loaders:
            loader.reset()
    compiled = []
    original = base.Template.compile_nodelist

    def compile_nodelist(template):
        compiled.append(template.name)
        return original(template)

    with mock.patch.object(base.Template, "compile_nodelist", compile_nodelist):
        yield compiled


@pytest.mark.django_db
def test_a_worker_forked_after_the_warm_up_compiles_no_template_for_its_first_guide_page(
    client, new_worker
):
    make_guide()
    warm_up()
    new_worker.clear()

    assert client.get("/acme/refund/").status_code == 200
    assert client.get("/fr/").status_code == 200
    assert new_worker == []


@pytest.mark.django_db
def test_without_the_warm_up_a_new_worker_compiles_the_guide_page_s_templates(client, new_worker):
    make_guide()

    assert client.get("/acme/refund/").status_code == 200
    assert "guides/guide.html" in new_worker


def test_the_warm_up_touches_neither_the_database_nor_the_cache(new_worker):
    # Without the django_db mark, any query fails the test; a forked worker must not share
    # a connection opened here.
    connections.close_all()
    with mock.patch.object(caches["default"], "get", side_effect=AssertionError("cache read")):
        warm_up()
    assert all(connection.connection is None for connection in connections.all())
    assert "base.html" in new_worker


def test_the_warm_up_finds_the_project_s_templates_and_its_apps_but_not_django_s():
    names = set(site_templates())

    assert {"base.html", "guides/guide.html", "search/search.html"} <= names
    assert "admin/index.html" not in names  # Django's own admin: compiled when an editor asks

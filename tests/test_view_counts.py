"""Page views are tallied in memory and stored in batches; none is lost on the way."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.db.models import QuerySet
from django.test import Client

from guides_site.guides import view_counts
from guides_site.guides.models import Guide

from .factories import acme_tree, make_guide
from .servers import gunicorn

pytestmark = pytest.mark.django_db

IPHONE = {"user-agent": "Mozilla/5.0 (iPhone) Safari/604.1"}


def views_shown(client, url="/acme/refund/"):
    html = client.get(url, headers=IPHONE).content.decode()
    return html.split("Viewed ")[1].split(" time")[0]


def test_the_page_shows_each_view_at_once_before_it_is_stored(client, settings):
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600
    guide = make_guide(view_count=1_000)

    assert views_shown(client) == "1,001"
    assert views_shown(Client()) == "1,002"

    guide.refresh_from_db()
    assert guide.view_count == 1_000
    view_counts.flush()
    guide.refresh_from_db()
    assert guide.view_count == 1_002


def test_views_are_stored_once_the_interval_has_passed(client, settings):
    settings.VIEW_COUNT_FLUSH_SECONDS = 0
    guide = make_guide()
    other = make_guide(guide.company, slug="other")

    client.get("/acme/refund/")
    client.get("/acme/other/")
    client.get("/acme/other/")

    guide.refresh_from_db()
    other.refresh_from_db()
    assert (guide.view_count, other.view_count) == (1, 2)


def test_views_the_database_refused_are_kept_for_the_next_flush(client, settings, monkeypatch):
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600
    guide = make_guide()
    client.get("/acme/refund/")
    client.get("/acme/refund/")

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(QuerySet, "update", locked)
        view_counts.flush()
    guide.refresh_from_db()
    assert guide.view_count == 0

    client.get("/acme/refund/")
    view_counts.flush()
    guide.refresh_from_db()
    assert guide.view_count == 3


def test_views_counted_by_many_threads_at_once_are_all_stored(settings):
    settings.VIEW_COUNT_FLUSH_SECONDS = 3600
    guide = make_guide()

    def read():
        for _ in range(500):
            view_counts.count_view(guide.pk)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert view_counts.pending_views(guide.pk) == 4_000
    view_counts.flush()
    guide.refresh_from_db()
    assert guide.view_count == 4_000


@pytest.mark.django_db(transaction=True)
def test_a_server_stores_its_views_when_it_stops(tmp_path):
    call_command("import_content", str(acme_tree(tmp_path / "content")), stdout=StringIO())
    with gunicorn(tmp_path, workers=1, VIEW_COUNT_FLUSH_SECONDS="3600") as server:
        for _ in range(3):
            assert server.get("/acme/refund/", IPHONE)[0] == 200
        assert Guide.objects.get(slug="refund").view_count == 0

    assert Guide.objects.get(slug="refund").view_count == 3

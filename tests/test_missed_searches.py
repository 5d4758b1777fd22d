"""Searches that found nothing: counted by folded text and day, with nothing about the
reader, and shown to editors on the admin's home page until one is dismissed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guides_site.search import index
from guides_site.search.models import DismissedSearch, MissedSearch

from .factories import make_guide

pytestmark = pytest.mark.django_db


def test_a_search_that_finds_nothing_is_counted_by_its_folded_text_and_day(client):
    make_guide()
    index.flush()

    client.get("/search/", {"q": "Téléportation  Martienne"})
    client.get("/search/", {"q": "teleportation martienne"})
    client.get("/search/", {"q": "refund"})  # found: not counted

    miss = MissedSearch.objects.get()
    assert (miss.text, miss.language, miss.day, miss.count) == (
        "teleportation martienne",
        "en",
        timezone.localdate(),
        2,
    )
    stored = [f.name for f in MissedSearch._meta.get_fields()]
    assert not {"visitor", "address", "ip", "user_agent"} & set(stored)


def test_what_the_reader_is_still_typing_is_not_counted(client):
    make_guide()
    index.flush()

    client.get(
        "/search/", {"q": "teleport"}, headers={"HX-Request": "true", "HX-Trigger": "search-form-q"}
    )
    assert not MissedSearch.objects.exists()

    client.get(
        "/search/", {"q": "teleport"}, headers={"HX-Request": "true", "HX-Trigger": "search-form"}
    )
    assert MissedSearch.objects.get().count == 1


def test_editors_see_the_most_frequent_misses_of_30_days_and_can_dismiss_one(editor):
    today = timezone.localdate()
    MissedSearch.objects.create(text="teleportation", language="en", day=today, count=7)
    MissedSearch.objects.create(
        text="teleportation", language="en", day=today - timedelta(days=3), count=2
    )
    MissedSearch.objects.create(text="annuler fusee", language="fr", day=today, count=3)
    MissedSearch.objects.create(
        text="old news", language="en", day=today - timedelta(days=31), count=50
    )

    html = editor.get("/admin/").content.decode()
    panel = html.split("Searches that found nothing", 1)[1].split("</article>", 1)[0]
    assert panel.index("teleportation") < panel.index("annuler fusee")
    assert "9 searches" in panel
    assert "old news" not in panel

    ids = MissedSearch.objects.filter(text="teleportation").values_list("pk", flat=True)
    response = editor.post(
        "/admin/search/missedsearch/",
        {"action": "dismiss", "_selected_action": [str(ids[0])]},
    )
    assert response.status_code == 302
    assert DismissedSearch.objects.filter(text="teleportation", language="en").exists()

    panel = editor.get("/admin/").content.decode().split("Searches that found nothing", 1)[1]
    assert "teleportation" not in panel.split("</article>", 1)[0]
    assert "annuler fusee" in panel.split("</article>", 1)[0]

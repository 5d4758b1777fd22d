"""Each process keeps copies of the immutable cached pages it serves, bounded in bytes, and
never serves one of an older version."""

import sys
import time

import pytest
from django.test import Client

from guides_site.guides import page_cache
from guides_site.guides.page_cache import LocalCopies

from .factories import add_votes, make_guide, visit


def page_of(size):
    return "x" * size


def test_copies_stay_within_their_byte_bound_least_recently_used_first_out():
    copies = LocalCopies(max_bytes=10 * sys.getsizeof(page_of(1000)))
    for number in range(10):
        copies.set(number, page_of(1000))
    copies.get(0)  # used again: the oldest is now 1
    copies.set("new", page_of(1000))

    assert copies.size <= copies.max_bytes
    assert copies.get(1) is None
    assert copies.get(0) is not None and copies.get("new") is not None


def test_twenty_thousand_pages_in_rotation_never_exceed_the_bound():
    copies = LocalCopies(max_bytes=2 * 1024 * 1024)
    for number in range(20_000):
        copies.set(("guide-page", number, 1), page_of(500 + number % 4000))
        assert copies.size <= copies.max_bytes
    assert copies.size > copies.max_bytes * 0.9  # it does hold what fits


def test_an_entry_larger_than_the_bound_is_not_kept():
    copies = LocalCopies(max_bytes=1000)
    copies.set("big", page_of(5000))
    assert copies.get("big") is None and copies.size == 0


def test_an_entry_with_a_deadline_is_dropped_after_it(monkeypatch):
    copies = LocalCopies(max_bytes=10_000)
    now = time.monotonic()
    copies.set("home", "page", seconds=60)
    monkeypatch.setattr(time, "monotonic", lambda: now + 61)
    assert copies.get("home") is None and copies.size == 0


@pytest.mark.django_db
def test_a_page_kept_in_the_process_never_outlives_an_edit_a_vote_or_unpublishing(client):
    guide = make_guide()
    visit(client)
    assert "Do thing 1." in client.get("/acme/refund/").content.decode()
    assert page_cache.local_copies.size > 0

    step = guide.steps.get(position=1)
    step.body_md = "Do the new thing."
    step.save()
    assert "Do the new thing." in Client().get("/acme/refund/").content.decode()
    assert "Do the new thing." in client.get("/acme/refund/").content.decode()

    add_votes(guide, yes=5)
    assert "100% of 5 readers" in Client().get("/acme/refund/").content.decode()

    guide.status = "draft"
    guide.save()
    assert Client().get("/acme/refund/").status_code == 404

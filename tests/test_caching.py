"""Pages are fast because parts of them are cached; they must never show stale content."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides_site.contacts.models import ContactChannel
from guides_site.guides import view_counts
from guides_site.guides.models import Tag
from guides_site.questions.models import Question

from .factories import add_votes, make_company, make_guide, visit

pytestmark = pytest.mark.django_db


def page(client, url="/acme/refund/"):
    return client.get(url).content.decode()


def test_a_warm_guide_page_runs_at_most_6_queries_whatever_its_length(client):
    company = make_company()
    for steps, slug in ((3, "short"), (100, "long")):
        guide = make_guide(company, steps=steps, slug=slug)
        client.post(guide.get_absolute_url() + "vote/", {"helpful": "yes"})  # a returning reader
        client.get(guide.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            html = page(client, guide.get_absolute_url())
        assert f"Do thing {steps}." in html
        assert len(queries) <= 6, [q["sql"] for q in queries]


def test_an_edited_step_shows_at_once(client):
    guide = make_guide()
    assert "Do thing 2." in page(client)
    step = guide.steps.get(position=2)
    step.body_md = "Open **Payments**."
    step.save()
    html = page(client)
    assert "Open <strong>Payments</strong>." in html and "Do thing 2." not in html


def test_an_edited_guide_title_shows_on_its_page_and_its_siblings(client):
    guide = make_guide(title="Old title")
    make_guide(guide.company, slug="cancel", title="How to cancel")
    assert "Old title" in page(client, "/acme/cancel/")
    guide.title = "New title"
    guide.save()
    assert "New title" in page(client) and "New title" in page(client, "/acme/cancel/")


def test_tags_contacts_and_answers_show_at_once(client):
    guide = make_guide()
    page(client)
    guide.tags.add(Tag.objects.create(name="billing", slug="billing"))
    ContactChannel.objects.create(company=guide.company, kind="phone", value="0800123")
    Question.objects.create(guide=guide, text="Is there a fee?", answer="No.", status="published")
    html = page(client)
    assert 'href="/tags/billing/"' in html
    assert 'href="tel:0800123"' in html
    assert "Is there a fee?" in html


def test_vote_counts_are_never_stale(client):
    guide = make_guide()
    page(client)
    add_votes(guide, yes=3, no=1)
    assert "4 readers answered" in page(client)
    visit(Client()).post("/acme/refund/vote/", {"helpful": "no"})
    assert "60% of 5 readers found this helpful" in page(client)


def test_an_unchanged_page_answers_a_conditional_request_with_304(client):
    guide = make_guide()
    client.get("/acme/refund/")  # the first visit sets the CSRF cookie, part of the ETag
    first = client.get("/acme/refund/")
    etag = first["ETag"]
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]

    again = client.get("/acme/refund/", headers={"if-none-match": etag})
    assert again.status_code == 304

    add_votes(guide, yes=1)
    changed = client.get("/acme/refund/", headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag

    step = guide.steps.first()
    step.body_md = "Changed."
    step.save()
    assert (
        client.get("/acme/refund/", headers={"if-none-match": changed["ETag"]}).status_code == 200
    )


def test_a_readers_own_vote_changes_the_etag(client):
    make_guide()
    etag = client.get("/acme/refund/")["ETag"]
    client.post("/acme/refund/vote/", {"helpful": "yes"})
    response = client.get("/acme/refund/", headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "Thanks, and please share!" in response.content.decode()


def test_a_conditional_request_still_counts_as_a_view(client):
    guide = make_guide()
    client.get("/acme/refund/")
    etag = client.get("/acme/refund/")["ETag"]
    assert client.get("/acme/refund/", headers={"if-none-match": etag}).status_code == 304
    view_counts.flush()
    guide.refresh_from_db()
    assert guide.view_count == 3


def test_company_and_home_pages_show_a_new_guide_at_once(client):
    guide = make_guide(title="First guide")
    assert "First guide" in page(client, "/acme/")
    page(client, "/")
    make_guide(guide.company, slug="second", title="Second guide", view_count=10)
    assert "Second guide" in page(client, "/acme/")
    assert "Second guide" in page(client, "/")


def test_a_renamed_company_shows_at_once(client):
    guide = make_guide()
    page(client, "/acme/")
    company = guide.company
    company.name = "Acme Europe"
    company.save()
    assert "Acme Europe" in page(client, "/acme/") and "Acme Europe" in page(client, "/")

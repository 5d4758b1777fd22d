"""A mistyped guide or company address suggests the closest guides and offers the search."""

import pytest

from guides_site.guides.models import Guide
from guides_site.search import index

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def netflix():
    company = make_company("netflix", "Netflix")
    make_guide(company, slug="cancel", title="How to cancel Netflix")
    make_guide(company, slug="refund", title="How to get a refund from Netflix", view_count=500)
    make_guide(company, slug="cancel", title="Comment résilier Netflix", language="fr")
    make_guide(company, slug="secret", title="How to cancel secretly", status=Guide.Status.DRAFT)
    index.flush()
    return company


def suggestions(html):
    section = html.split('id="suggestions-heading"', 1)[1].split("</ul>", 1)[0]
    return [line.split(">", 1)[1].split("<", 1)[0] for line in section.split("<a href=")[1:]]


def test_a_mistyped_guide_address_suggests_the_closest_guide_first(client, netflix):
    response = client.get("/netflix/cancl/")

    assert response.status_code == 404
    found = suggestions(response.content.decode())
    assert found[0] == "How to cancel Netflix"
    assert "How to cancel secretly" not in found
    assert "Comment résilier Netflix" not in found


def test_a_mistyped_company_address_suggests_its_guides(client, netflix):
    response = client.get("/netflx/")

    assert response.status_code == 404
    assert "How to get a refund from Netflix" in suggestions(response.content.decode())


def test_a_french_address_suggests_french_guides(client, netflix):
    response = client.get("/fr/netflix/resilie/")

    assert response.status_code == 404
    assert suggestions(response.content.decode()) == ["Comment résilier Netflix"]


def test_the_not_found_page_offers_the_search_form(client, netflix):
    html = client.get("/nothing-like-this/at-all/").content.decode()
    main = html.split('<main id="main"', 1)[1]

    assert 'role="search"' in main and 'action="/search/"' in main
    assert "Were you looking for one of these?" not in html


def test_the_not_found_page_stays_a_404_when_the_database_cannot_suggest(client, monkeypatch):
    from django.db import DatabaseError

    from guides_site.search.templatetags import search

    def unreachable(path):
        raise DatabaseError("no such table")

    monkeypatch.setattr(search, "closest_guides", unreachable)

    response = client.get("/netflix/cancl/")

    assert response.status_code == 404
    assert b'role="search"' in response.content

"""The home page names no company by itself: an A–Z index leads to a page per letter,
paginated, with each company's guides counted in the reader's language."""

import pytest

from guides_site.guides import directory
from guides_site.guides.models import Guide

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db


def test_the_home_page_shows_letters_not_every_company(client):
    make_guide(make_company("amazon", "Amazon"))
    make_guide(make_company("zalando", "Zalando"))
    make_guide(make_company("7eleven", "7-Eleven"))
    make_guide(make_company("bolt", "Bolt"), status=Guide.Status.DRAFT)

    html = client.get("/").content.decode()
    index = html.split('class="letter-index"', 1)[1].split("</nav>", 1)[0]

    assert 'href="/companies/a/"' in index and 'href="/companies/z/"' in index
    assert 'href="/companies/0-9/"' in index
    assert 'href="/companies/b/"' not in index  # Bolt has no published guide
    assert "company-card" not in html


def test_a_letter_page_lists_its_companies_with_guides_counted_in_its_language(client):
    amazon = make_company("amazon", "Amazon")
    make_guide(amazon, slug="refund")
    make_guide(amazon, slug="cancel")
    make_guide(amazon, slug="rembourser", language="fr")
    make_guide(make_company("apple", "Apple"), language="fr")
    make_guide(make_company("bolt", "Bolt"))

    english = client.get("/companies/a/").content.decode()
    french = client.get("/fr/companies/a/").content.decode()

    assert "Amazon" in english and "2 guides" in english
    assert "Apple" not in english  # no guide in English
    assert "Bolt" not in english
    assert "Amazon" in french and "1 guide" in french and "Apple" in french


def test_letter_pages_are_paginated(client, monkeypatch):
    monkeypatch.setattr(directory, "COMPANIES_PER_PAGE", 2)
    for name in ["Aa", "Ab", "Ac"]:
        make_guide(make_company(name.lower(), name))

    first = client.get("/companies/a/").content.decode()
    second = client.get("/companies/a/?page=2").content.decode()

    assert "Aa" in first and "Ab" in first and "Ac" not in first
    assert 'rel="next" href="?page=2"' in first
    assert "Ac" in second
    assert client.get("/companies/a/?page=3").status_code == 404
    assert client.get("/companies/ab/").status_code == 404

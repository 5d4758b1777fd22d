"""A company's page lists its guides in pages of 50, in the reader's language."""

import pytest

from guides_site.guides import views

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db


def test_a_long_list_of_guides_comes_in_pages(client, monkeypatch):
    monkeypatch.setattr(views, "COMPANY_GUIDES_PER_PAGE", 2)
    company = make_company()
    for letter in "abc":
        make_guide(company, slug=f"guide-{letter}", title=f"Guide {letter.upper()}")
    make_guide(company, slug="guide-a", title="Guide français", language="fr")

    first = client.get("/acme/").content.decode()
    second = client.get("/acme/?page=2").content.decode()

    assert "Guide A" in first and "Guide B" in first and "Guide C" not in first
    assert 'rel="next" href="?page=2"' in first
    assert "Guide C" in second and "Guide A" not in second
    assert "Guide français" not in first + second
    assert client.get("/acme/?page=3").status_code == 404
    assert client.get("/acme/?page=x").status_code == 404


def test_a_short_list_has_no_page_links(client):
    make_guide()

    assert 'aria-label="Pages of guides"' not in client.get("/acme/").content.decode()

"""/sitemap.xml is an index of one paginated sitemap per section, each page under the
50,000 addresses a sitemap may hold; guides carry their translations as hreflang alternates;
robots.txt names the index."""

import re

import pytest

from guides_site.guides.sitemaps import GuideSitemap

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db


def locations(xml):
    return re.findall(r"<loc>([^<]+)</loc>", xml)


def test_the_index_lists_every_page_of_every_section(client, monkeypatch):
    monkeypatch.setattr(GuideSitemap, "limit", 2)
    company = make_company()
    for number in range(5):
        make_guide(company, slug=f"guide-{number}")

    index = client.get("/sitemap.xml")

    assert index["Content-Type"] == "application/xml"
    assert "<sitemapindex" in index.content.decode()
    assert locations(index.content.decode()) == [
        "http://testserver/sitemap-guides.xml",
        "http://testserver/sitemap-guides.xml?p=2",
        "http://testserver/sitemap-guides.xml?p=3",
        "http://testserver/sitemap-pages.xml",
    ]
    pages = [client.get(f"/sitemap-guides.xml?p={n}").content.decode() for n in (1, 2, 3)]
    assert [len(locations(page)) for page in pages] == [2, 2, 1]
    assert client.get("/sitemap-guides.xml?p=4").status_code == 404


def test_each_sitemap_page_holds_at_most_50000_addresses():
    assert GuideSitemap.limit <= 50_000


def test_a_guide_lists_its_published_translations_as_alternates(client):
    english = make_guide(translation_key="acme/refund")
    make_guide(english.company, slug="remboursement", language="fr", translation_key="acme/refund")
    make_guide(english.company, slug="alone", translation_key="acme/alone")

    xml = client.get("/sitemap-guides.xml").content.decode()
    entry = xml.split("<loc>http://testserver/acme/refund/</loc>", 1)[1].split("</url>", 1)[0]

    assert 'hreflang="fr" href="http://testserver/fr/acme/remboursement/"' in entry
    assert 'hreflang="en" href="http://testserver/acme/refund/"' in entry
    alone = xml.split("<loc>http://testserver/acme/alone/</loc>", 1)[1].split("</url>", 1)[0]
    assert "hreflang" not in alone


def test_robots_txt_names_the_index(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()

import json
import re

import pytest

from guides_site.guides.models import Guide

from .factories import make_guide

pytestmark = pytest.mark.django_db


def json_ld(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def test_sitemap_lists_every_published_guide_in_every_language(client):
    english = make_guide(translation_key="acme/refund")
    french = make_guide(
        english.company, slug="remboursement", language="fr", translation_key="acme/refund"
    )
    make_guide(english.company, slug="secret", status=Guide.Status.DRAFT)

    xml = "".join(
        client.get(path).content.decode() for path in ("/sitemap-guides.xml", "/sitemap-pages.xml")
    )

    assert "<loc>http://testserver/acme/refund/</loc>" in xml
    assert "<loc>http://testserver/fr/acme/remboursement/</loc>" in xml
    assert "secret" not in xml
    assert "<loc>http://testserver/fr/acme/</loc>" in xml
    assert french.slug in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_guide_page_has_title_description_canonical_open_graph_and_json_ld(client):
    guide = make_guide(title="How to get a refund", summary="Get your money back.")

    html = client.get(guide.get_absolute_url() + "?utm=x").content.decode()

    assert "<title>How to get a refund · HelpSteps</title>" in html
    assert '<meta name="description" content="Get your money back.">' in html
    assert '<link rel="canonical" href="http://testserver/acme/refund/">' in html
    assert '<meta property="og:title" content="How to get a refund">' in html
    blocks = {block["@type"]: block for block in json_ld(html)}
    assert [i["name"] for i in blocks["BreadcrumbList"]["itemListElement"]] == [
        "Home",
        "Acme",
        "How to get a refund",
    ]
    assert [s["text"] for s in blocks["HowTo"]["step"]] == [
        "Do thing 1.",
        "Do thing 2.",
        "Do thing 3.",
    ]


def test_titles_are_unique_per_page(client):
    guide = make_guide()
    urls = [
        "/",
        "/about/",
        "/acme/",
        guide.get_absolute_url(),
        guide.get_absolute_url() + "step/1/",
        guide.get_absolute_url() + "step/2/",
    ]
    titles = [
        re.search(r"<title>(.*?)</title>", client.get(u).content.decode()).group(1) for u in urls
    ]
    assert len(set(titles)) == len(titles)


def test_json_ld_cannot_be_broken_out_of(client):
    make_guide(title="</script><script>alert(1)</script>")
    html = client.get("/acme/refund/").content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)[1]["name"] == "</script><script>alert(1)</script>"

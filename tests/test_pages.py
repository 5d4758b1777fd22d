from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guides_site.contacts.models import ContactChannel
from guides_site.guides import view_counts
from guides_site.guides.models import Guide, Tag
from guides_site.questions.models import Question

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db


def test_home_lists_companies_and_most_viewed_guides(client):
    guide = make_guide(title="How to cancel Acme", view_count=42)
    make_guide(make_company("empty", "Empty Co"), slug="draft", status=Guide.Status.DRAFT)

    html = client.get("/").content.decode()

    assert "Acme" in html
    assert "Empty Co" not in html  # no published guide
    assert f'href="{guide.get_absolute_url()}"' in html


def test_company_page_shows_contacts_with_tel_links_and_guides_in_its_language(client):
    company = make_company(timezone="Europe/Paris")
    ContactChannel.objects.create(
        company=company,
        kind="phone",
        label={"en": "Support"},
        value="+33123456789",
        hours="Mo-Fr 09:00-18:00",
    )
    make_guide(company, slug="refund", title="English guide")
    make_guide(company, slug="remboursement", language="fr", title="Guide français")

    english = client.get("/acme/").content.decode()
    french = client.get("/fr/acme/").content.decode()

    assert "How to reach a person at Acme" in english
    assert 'href="tel:+33123456789"' in english
    assert "09:00–18:00" in english
    assert "English guide" in english and "Guide français" not in english
    assert "Guide français" in french and "English guide" not in french


def test_guide_page_shows_everything_a_reader_needs(client):
    guide = make_guide(
        steps=3,
        title="How to get a refund",
        author="Sam Writer",
        intro_md="Read this first.",
        closing_md="## Still stuck?\n\nCall.",
        published=date(2019, 7, 19),
        updated=date(2020, 3, 1),
        view_count=1229456,
    )
    guide.tags.add(Tag.objects.create(name="billing", slug="billing"))
    make_guide(guide.company, slug="cancel", title="How to cancel")

    html = client.get("/acme/refund/").content.decode()

    assert "<h1" in html and "How to get a refund" in html
    assert "<p>Read this first.</p>" in html
    assert html.count('<li id="step-') == 3 and "Do thing 3." in html
    assert "<h2>Still stuck?</h2>" in html
    assert "Checked 1 March 2020" in html and "Published 19 July 2019" in html
    assert "By Sam Writer" in html
    assert "Viewed 1,229,457 times" in html
    assert 'href="/tags/billing/"' in html
    assert "How to cancel" in html  # related guide
    assert 'aria-label="Breadcrumb"' in html
    assert "Was this page helpful?" in html
    assert "More questions? Ask a follow-up or related question" in html


def test_guide_page_shows_its_age_in_the_readers_language(client):
    five_years_ago = date.today().replace(year=date.today().year - 5) - timedelta(days=10)
    english = make_guide(published=five_years_ago)
    make_guide(english.company, slug="remboursement", language="fr", published=five_years_ago)

    assert "(5\xa0years ago)" in client.get("/acme/refund/").content.decode()
    assert "(il y a 5\xa0ans)" in client.get("/fr/acme/remboursement/").content.decode()


def test_guide_page_in_french_formats_dates_and_numbers(client):
    make_guide(
        slug="remboursement",
        language="fr",
        title="Obtenir un remboursement",
        published=date(2019, 7, 19),
        updated=date(2019, 7, 19),
        view_count=1229456,
    )

    html = client.get("/fr/acme/remboursement/").content.decode()

    assert '<html lang="fr">' in html
    assert "Vérifié le 19 juillet 2019" in html
    assert "Consulté 1\u202f229\u202f457 fois" in html or "Consulté 1\xa0229\xa0457 fois" in html
    assert "Cette page vous a-t-elle été utile\u202f?" in html
    assert "A besoin de travail" in html
    assert "D'autres questions\u202f? Posez une question complémentaire ou connexe" in html


def test_a_guide_links_its_translations_with_hreflang(client):
    english = make_guide(translation_key="acme/refund")
    make_guide(
        english.company,
        slug="remboursement",
        language="fr",
        translation_key="acme/refund",
        title="Remboursement",
    )

    html = client.get("/acme/refund/").content.decode()

    assert 'hreflang="fr" href="http://testserver/fr/acme/remboursement/"' in html
    assert 'hreflang="x-default" href="http://testserver/acme/refund/"' in html
    assert '<a href="/fr/acme/remboursement/" lang="fr" hreflang="fr">' in html


def test_a_guide_address_in_the_wrong_language_redirects_to_its_own(client):
    make_guide(slug="remboursement", language="fr")
    response = client.get("/acme/remboursement/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/acme/remboursement/"


def test_drafts_and_unknown_pages_get_a_friendly_404(client):
    make_guide(status=Guide.Status.DRAFT)
    for url in ("/acme/refund/", "/acme/nope/", "/nope/", "/tags/nope/", "/acme/refund/step/1/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "We can't find that page" in response.content.decode()


def test_views_are_counted_but_not_for_bots(client):
    guide = make_guide()
    client.get("/acme/refund/")
    client.get("/acme/refund/", headers={"user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1)"})
    client.get("/acme/refund/", headers={"user-agent": "SomeCrawler 1.0"})
    client.get("/acme/refund/", headers={"user-agent": "my-spider"})
    client.get("/acme/refund/", headers={"user-agent": "Mozilla/5.0 (iPhone) Safari/604.1"})
    view_counts.flush()
    guide.refresh_from_db()
    assert guide.view_count == 2


def _queries_for_guide_page(client, steps):
    guide = make_guide(make_company(f"co{steps}", f"Co {steps}"), steps=steps)
    client.get(guide.get_absolute_url())  # warm up caches (e.g. content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("Do thing") >= steps
    return len(queries)


def test_the_guide_page_runs_as_many_queries_for_100_steps_as_for_3(client):
    assert _queries_for_guide_page(client, 3) == _queries_for_guide_page(client, 100)


def test_answered_questions_appear_with_structured_data_and_others_do_not(client):
    guide = make_guide()
    Question.objects.create(
        guide=guide,
        text="Can I get a refund after 30 days?",
        answer="Usually not, but ask anyway.",
        status="published",
    )
    Question.objects.create(guide=guide, text="Waiting for an editor to answer", status="pending")
    Question.objects.create(guide=guide, text="Spam spam spam spam", status="rejected", answer="no")

    html = client.get("/acme/refund/").content.decode()

    assert "Can I get a refund after 30 days?" in html
    assert "Usually not, but ask anyway." in html
    assert '"@type": "QAPage"' in html
    assert "Waiting for an editor" not in html
    assert "Spam spam" not in html


def test_tag_page_lists_guides_sharing_the_tag(client):
    tag = Tag.objects.create(name="refund", slug="refund")
    first = make_guide(title="Refund from Acme")
    second = make_guide(make_company("other", "Other"), title="Refund from Other")
    make_guide(first.company, slug="unrelated", title="Unrelated")
    first.tags.add(tag)
    second.tags.add(tag)

    html = client.get("/tags/refund/").content.decode()

    assert "Refund from Acme" in html and "Refund from Other" in html
    assert "Unrelated" not in html


def test_about_page_explains_why_we_write_guides(client):
    assert "Why we write these guides" in client.get("/about/").content.decode()
    assert client.get("/fr/about/").status_code == 200


def test_a_server_error_shows_a_friendly_page_in_both_languages(client, monkeypatch):
    from guides_site.guides import views

    def broken(*args, **kwargs):
        raise RuntimeError("simulated failure")

    make_guide()
    monkeypatch.setattr(views, "render_to_string", broken)
    client.raise_request_exception = False
    response = client.get("/acme/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong on our side" in html
    assert "Un problème est survenu" in html or "un problème est survenu" in html

"""The sample content reaches readers of both languages: every company has its French about
text and French channel labels, and paid lines say what they cost."""

import pytest

from guides_site.contacts.models import ContactChannel
from guides_site.guides.models import Company

pytestmark = pytest.mark.django_db


def test_every_company_has_its_french_about_text_and_labels(client, sample_content):
    for company in Company.objects.all():
        assert company.translations.get(language="fr").about_md, company.slug
        for channel in company.contacts.all():
            assert set(channel.label) == {"en", "fr"}, (company.slug, channel.value)
        french = client.get(f"/fr/{company.slug}/").content.decode()
        assert company.about_html.split("</p>")[0] not in french, company.slug


def test_phone_lines_say_what_they_cost_in_both_languages(sample_content):
    # No sample line carries a "checked" date: it would tell readers someone verified the
    # number on that day, and nobody has yet.
    phones = ContactChannel.objects.filter(kind="phone")
    assert phones.exists()
    for phone in phones:
        assert set(phone.cost) == {"en", "fr"}, phone.value


def test_sncf_3635_shows_its_hours_and_cost_on_the_french_page(client, sample_content):
    html = client.get("/fr/sncf-connect/").content.decode()

    assert 'href="tel:3635"' in html
    assert "Service gratuit + prix d’un appel" in html
    assert '<th scope="row">Lundi</th><td>7\u202fh – 22\u202fh</td>' in html
    assert html.index('href="tel:3635"') < html.index('class="prose about"')

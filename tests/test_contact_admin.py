"""Editors edit contact channels in the admin with the content format's fields, per
language, and its checks beside the field."""

import pytest

from guides_site.guides.models import Company

pytestmark = pytest.mark.django_db


def company_form(**contact):
    data = {
        "name": "SNCF Connect",
        "slug": "sncf-connect",
        "website": "https://www.sncf-connect.com",
        "country": "FR",
        "timezone": "Europe/Paris",
        "about_md": "",
        "contacts-TOTAL_FORMS": 1,
        "contacts-INITIAL_FORMS": 0,
        "contacts-MIN_NUM_FORMS": 0,
        "contacts-MAX_NUM_FORMS": 1000,
        "translations-TOTAL_FORMS": 0,
        "translations-INITIAL_FORMS": 0,
        "translations-MIN_NUM_FORMS": 0,
        "translations-MAX_NUM_FORMS": 1000,
    }
    fields = {"kind": "phone", "value": "3635", "position": 1, **contact}
    data.update({f"contacts-0-{name}": value for name, value in fields.items()})
    return data


def test_an_editor_adds_a_phone_channel_with_labels_hours_and_menu(editor):
    response = editor.post(
        "/admin/guides/company/add/",
        company_form(
            label_en="Customer line",
            label_fr="Ligne clients",
            cost_fr="Service gratuit + prix d’un appel",
            hours="Mo-Su 07:00-22:00; PH off",
            menu_text='- {press: "1", for: {en: tickets, fr: billets}}\n'
            "- {say: conseiller, for: an adviser}",
            languages_text="fr",
            checked="2026-11-30",
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    channel = Company.objects.get(slug="sncf-connect").contacts.get()
    assert (channel.value, channel.href) == ("3635", "tel:3635")
    assert channel.label == {"en": "Customer line", "fr": "Ligne clients"}
    assert channel.cost == {"fr": "Service gratuit + prix d’un appel"}
    assert channel.menu == [
        {"press": "1", "for": {"en": "tickets", "fr": "billets"}},
        {"say": "conseiller", "for": {"en": "an adviser"}},
    ]
    assert channel.languages == ["fr"]


def test_an_international_number_is_stored_in_e164(editor):
    response = editor.post("/admin/guides/company/add/", company_form(value="01 23 45 67 89"))

    assert response.status_code == 302
    assert Company.objects.get().contacts.get().value == "+33123456789"


@pytest.mark.parametrize(
    ("contact", "field", "message"),
    [
        ({"hours": "8h–20h"}, "hours", "not in OpenStreetMap opening_hours syntax"),
        ({"value": "36"}, "value", "is not a valid phone number in FR"),
        ({"timezone": "Paris"}, "timezone", "unknown time zone"),
        ({"menu_text": '- {press: "12", for: x}'}, "menu_text", "is not a key"),
        ({"languages_text": "french"}, "languages_text", "unknown language code"),
    ],
)
def test_a_mistake_is_shown_beside_its_field_and_nothing_is_saved(editor, contact, field, message):
    response = editor.post("/admin/guides/company/add/", company_form(**contact))

    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert message in " ".join(errors[field]), errors
    assert not Company.objects.exists()


def test_hours_use_the_time_zone_typed_for_the_company_on_the_same_page(editor):
    response = editor.post(
        "/admin/guides/company/add/", company_form(hours="Mo-Fr 09:00-18:00") | {"timezone": ""}
    )

    errors = response.context["inline_admin_formsets"][0].formset.forms[0].errors
    assert "need a time zone" in " ".join(errors["hours"])


def test_the_company_page_in_the_admin_edits_its_french_about_text(editor):
    data = company_form() | {
        "translations-TOTAL_FORMS": 1,
        "translations-0-language": "fr",
        "translations-0-name": "",
        "translations-0-about_md": "SNCF Connect vend des billets de train.",
    }
    response = editor.post("/admin/guides/company/add/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    company = Company.objects.get()
    assert company.about_html_in("fr") == "<p>SNCF Connect vend des billets de train.</p>"

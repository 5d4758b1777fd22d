"""The content format of contact channels (content/README.md): every rule, every error as
path:line with nothing imported, and the round trip through export."""

import textwrap
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guides_site.contacts.models import ContactChannel
from guides_site.guides.models import Company, CompanyTranslation

from .factories import GUIDE_MD, write_tree

pytestmark = pytest.mark.django_db

HEADER = """\
---
name: SNCF Connect
country: FR
timezone: Europe/Paris
contacts:
"""


def company_md(contacts, header=HEADER, body="SNCF Connect sells train tickets.\n"):
    return header + textwrap.indent(textwrap.dedent(contacts).strip("\n"), "  ") + "\n---\n" + body


def tree(root, contacts, **extra):
    files = {"sncf/company.md": company_md(contacts), "sncf/refund.md": GUIDE_MD, **extra}
    return write_tree(root, files)


def run_import(root):
    call_command("import_content", str(root), stdout=StringIO(), stderr=StringIO())


def import_errors(root):
    """The problems reported, one per line, after a refused import that wrote nothing."""
    before = list(ContactChannel.objects.values()), list(Company.objects.values())
    with pytest.raises(CommandError):
        call_command("import_content", str(root), stdout=StringIO(), stderr=(err := StringIO()))
    assert (list(ContactChannel.objects.values()), list(Company.objects.values())) == before
    return [line.replace(str(root) + "/", "") for line in err.getvalue().splitlines()]


SNCF_PHONE = """\
- kind: phone
  label: {en: Customer line, fr: Ligne clients}
  value: 3635
  hours: Mo-Su 07:00-22:00; PH 09:00-18:00
  cost: {en: Free service plus the price of a call, fr: Service gratuit + prix d’un appel}
  note: Have your booking reference ready
  checked: 2026-11-30
  languages: [fr]
  menu:
    - press: "1"
      for: {en: tickets, fr: billets}
    - press: 3
      for: {en: an adviser, fr: un conseiller}
"""


def test_a_phone_channel_keeps_every_field_of_the_format(tmp_path):
    run_import(tree(tmp_path, SNCF_PHONE))

    company = Company.objects.get()
    channel = company.contacts.get()
    assert (company.country, company.timezone) == ("FR", "Europe/Paris")
    assert channel.value == "3635"  # a national short number stays itself
    assert channel.label == {"en": "Customer line", "fr": "Ligne clients"}
    assert channel.cost["fr"] == "Service gratuit + prix d’un appel"
    assert channel.note == {"en": "Have your booking reference ready"}
    assert channel.hours == "Mo-Su 07:00-22:00; PH 09:00-18:00"
    assert channel.checked == date(2026, 11, 30)
    assert channel.languages == ["fr"]
    assert channel.menu == [
        {"press": "1", "for": {"en": "tickets", "fr": "billets"}},
        {"press": "3", "for": {"en": "an adviser", "fr": "un conseiller"}},
    ]


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ('"+33 1 23 45 67 89"', "+33123456789"),
        ('"01 23 45 67 89"', "+33123456789"),  # national form, read with the company's country
        ('"+1 (888) 280-4331"', "+18882804331"),
        ("3635", "3635"),
    ],
)
def test_phone_numbers_are_stored_in_e164_or_as_a_short_number(tmp_path, written, stored):
    run_import(tree(tmp_path, f"- kind: phone\n  value: {written}\n"))

    assert ContactChannel.objects.get().value == stored


def test_a_contact_overrides_the_company_country_and_time_zone(tmp_path):
    contacts = """\
    - kind: phone
      value: "(888) 280-4331"
      country: US
      timezone: America/New_York
      hours: Mo-Fr 09:00-17:00
    """
    run_import(tree(tmp_path, contacts))

    channel = ContactChannel.objects.get()
    assert (channel.value, channel.country, channel.timezone) == (
        "+18882804331",
        "US",
        "America/New_York",
    )
    assert (channel.effective_country, channel.effective_timezone) == ("US", "America/New_York")


def test_an_old_company_file_without_the_new_fields_still_imports(tmp_path):
    old = """\
    ---
    name: Acme
    website: https://acme.example
    contacts:
      - kind: help
        label: Help Center
        value: https://acme.example/help
      - kind: phone
        value: "+33 1 23 45 67 89"
    ---
    Acme sells things.
    """
    write_tree(tmp_path, {"acme/company.md": textwrap.dedent(old), "acme/refund.md": GUIDE_MD})
    run_import(tmp_path)

    help_page, phone = Company.objects.get().contacts.all()
    assert help_page.label == {"en": "Help Center"}
    assert phone.value == "+33123456789"


@pytest.mark.parametrize(
    ("contacts", "error"),
    [
        (
            "- kind: phone\n  value: '3635'\n  hours: Mo-Fx 08:00-20:00\n",
            "sncf/company.md:8: 'hours' 'Mo-Fx 08:00-20:00' are not in OpenStreetMap "
            "opening_hours syntax at character 4",
        ),
        (
            "- kind: phone\n  value: '3635'\n  hours: Online, any time\n",
            "sncf/company.md:8: 'hours' 'Online, any time' are not in OpenStreetMap",
        ),
        (
            "- kind: phone\n  value: '3635'\n  timezone: Europe/Lutece\n",
            "sncf/company.md:8: unknown time zone 'Europe/Lutece': use an IANA name",
        ),
        (
            "- kind: phone\n  value: '3635'\n  country: XX\n",
            "sncf/company.md:8: unknown country 'XX': use a two-letter ISO 3166 code",
        ),
        (
            "- kind: phone\n  value: '+33 1 23'\n",
            "sncf/company.md:7: '+33 1 23' is not a valid phone number in FR",
        ),
        (
            "- kind: phone\n  value: '36'\n",
            "sncf/company.md:7: '36' is not a valid phone number in FR",
        ),
        (
            "- kind: phone\n  value: '3635'\n  label: {en: Line, de: Leitung}\n",
            "sncf/company.md:8: unknown language 'de' in 'label': use en, fr",
        ),
        (
            "- kind: phone\n  value: '3635'\n  cost: {fr: ''}\n",
            "sncf/company.md:8: 'cost' in 'fr' must be text and not empty",
        ),
        (
            "- kind: phone\n  value: '3635'\n  menu:\n    - press: '1'\n      for: tickets\n"
            "    - press: '12'\n      for: an adviser\n",
            "sncf/company.md:11: menu step 2: press '12' is not a key: use one of 0-9, * or #",
        ),
        (
            "- kind: phone\n  value: '3635'\n  menu:\n    - press: '1'\n",
            "sncf/company.md:9: menu step 1 needs 'for': what that choice is for",
        ),
        (
            "- kind: phone\n  value: '3635'\n  menu:\n    - press: '1'\n      say: billets\n"
            "      for: tickets\n",
            "sncf/company.md:9: menu step 1 needs either 'press' or 'say' (one of them)",
        ),
        (
            "- kind: phone\n  value: '3635'\n  menu:\n    - press: '1'\n"
            "      for: {es: billetes}\n",
            "sncf/company.md:9: menu step 1: unknown language 'es' in 'for': use en, fr",
        ),
        (
            "- kind: help\n  value: https://sncf.example\n  menu:\n"
            "    - press: '1'\n      for: x\n",
            "sncf/company.md:8: only a phone contact can have a 'menu'",
        ),
        (
            "- kind: phone\n  value: '3635'\n  checked: last week\n",
            "sncf/company.md:8: 'checked' must be a date written YYYY-MM-DD",
        ),
        (
            "- kind: phone\n  value: '3635'\n  languages: [french]\n",
            "sncf/company.md:8: unknown language code 'french' in 'languages'",
        ),
        (
            "- kind: phone\n  value: '3635'\n  hourz: 24/7\n",
            "sncf/company.md:8: unknown contact field 'hourz': did you mean 'hours'?",
        ),
    ],
)
def test_each_mistake_is_reported_with_its_line_and_nothing_is_imported(tmp_path, contacts, error):
    errors = import_errors(tree(tmp_path, contacts))

    assert any(line.startswith(error) for line in errors), errors


def test_hours_need_a_time_zone_and_public_holidays_a_country(tmp_path):
    header = "---\nname: Acme\ncontacts:\n"
    contacts = """\
    - kind: phone
      value: "+33 1 23 45 67 89"
      hours: Mo-Fr 09:00-18:00
    - kind: phone
      value: "+33 1 23 45 67 89"
      timezone: Europe/Paris
      hours: Mo-Fr 09:00-18:00; PH off
    """
    write_tree(tmp_path, {"acme/company.md": company_md(contacts, header), "acme/a.md": GUIDE_MD})

    errors = import_errors(tmp_path)
    assert errors == [
        "acme/company.md:6: 'hours' need a time zone: set 'timezone' (e.g. Europe/Paris) on "
        "the company or on this contact",
        "acme/company.md:10: 'hours' mention public holidays (PH): set 'country' on the "
        "company or on this contact, so we know which holidays",
    ]


def test_an_unknown_company_country_or_time_zone_is_reported_on_its_line(tmp_path):
    header = "---\nname: Acme\ncountry: France\ntimezone: Paris\ncontacts:\n"
    write_tree(
        tmp_path,
        {
            "acme/company.md": company_md("- kind: email\n  value: a@acme.example\n", header),
            "acme/a.md": GUIDE_MD,
        },
    )

    errors = import_errors(tmp_path)
    assert errors[0].startswith("acme/company.md:3: unknown country 'France'")
    assert errors[1].startswith("acme/company.md:4: unknown time zone 'Paris'")


def test_a_company_translation_gives_its_about_text_and_name_in_that_language(tmp_path):
    french = "---\nname: SNCF Connect (France)\n---\nSNCF Connect vend des billets de train.\n"
    tree(tmp_path, "- kind: phone\n  value: '3635'\n", **{"sncf/company.fr.md": french})
    run_import(tmp_path)

    company = Company.objects.get()
    translation = company.translations.get()
    assert (translation.language, translation.name) == ("fr", "SNCF Connect (France)")
    assert company.about_html_in("fr") == "<p>SNCF Connect vend des billets de train.</p>"
    assert company.about_html_in("en") == "<p>SNCF Connect sells train tickets.</p>"
    assert company.name_in("fr") == "SNCF Connect (France)"
    assert company.guides.count() == 1  # company.fr.md is not a guide


def test_a_company_translation_without_front_matter_keeps_the_company_name(tmp_path):
    tree(tmp_path, "- kind: phone\n  value: '3635'\n", **{"sncf/company.fr.md": "Un texte.\n"})
    run_import(tmp_path)

    assert Company.objects.get().name_in("fr") == "SNCF Connect"


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        ("company.de.md", "Text.\n", "sncf/company.de.md: unknown language 'de' in the file name"),
        ("company.en.md", "Text.\n", "sncf/company.en.md: unknown language 'en' in the file name"),
        (
            "company.fr.md",
            "---\nname: X\nwebsite: https://x.example\n---\nTexte.\n",
            "sncf/company.fr.md:3: unknown company translation field 'website'",
        ),
    ],
)
def test_a_wrong_company_translation_is_reported_and_nothing_is_imported(
    tmp_path, name, text, error
):
    errors = import_errors(
        tree(tmp_path, "- kind: phone\n  value: '3635'\n", **{f"sncf/{name}": text})
    )

    assert any(line.startswith(error) for line in errors), errors


def test_changing_a_translation_or_a_channel_updates_the_company_and_nothing_else(tmp_path):
    tree(tmp_path, SNCF_PHONE, **{"sncf/company.fr.md": "Un texte.\n"})
    run_import(tmp_path)
    channel = ContactChannel.objects.get()

    tree(tmp_path, SNCF_PHONE.replace("07:00-22:00", "08:00-20:00"))
    (tmp_path / "sncf/company.fr.md").write_text("Un autre texte.\n", encoding="utf-8")
    out = StringIO()
    call_command("import_content", str(tmp_path), stdout=out)

    assert "0 created, 1 updated, 1 unchanged" in out.getvalue()
    channel_after = ContactChannel.objects.get()
    assert channel_after.pk == channel.pk  # readers' reports stay with it
    assert channel_after.hours.startswith("Mo-Su 08:00-20:00")
    assert CompanyTranslation.objects.get().about_md == "Un autre texte."


def test_export_writes_channels_and_translations_back_so_that_nothing_changes(tmp_path):
    source = tree(
        tmp_path / "in", SNCF_PHONE, **{"sncf/company.fr.md": "---\nname: SNCF\n---\nUn texte.\n"}
    )
    run_import(source)
    call_command("export_content", str(tmp_path / "out"), stdout=StringIO())
    out = StringIO()
    call_command("import_content", str(tmp_path / "out"), stdout=out)

    assert "0 created, 0 updated, 2 unchanged" in out.getvalue()
    exported = (tmp_path / "out/sncf/company.md").read_text(encoding="utf-8")
    assert "note: Have your booking reference ready" in exported  # one language: plain text
    assert (
        (tmp_path / "out/sncf/company.fr.md")
        .read_text(encoding="utf-8")
        .startswith("---\nname: SNCF\n---\nUn texte.")
    )


def test_an_empty_translation_made_in_the_admin_is_not_exported_as_an_empty_file(tmp_path):
    run_import(tree(tmp_path / "in", "- kind: phone\n  value: '3635'\n"))
    CompanyTranslation.objects.create(company=Company.objects.get(), language="fr")

    call_command("export_content", str(tmp_path / "out"), stdout=StringIO())

    assert not (tmp_path / "out/sncf/company.fr.md").exists()
    run_import(tmp_path / "out")  # and the export imports

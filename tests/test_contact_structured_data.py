"""The company page tells search engines how to reach the company: Organization JSON-LD with
a ContactPoint per channel."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from .factories import GUIDE_MD, write_tree

pytestmark = pytest.mark.django_db

COMPANY = """\
---
name: Acme
website: https://acme.example
country: FR
timezone: Europe/Paris
contacts:
  - kind: phone
    label: {en: Customer service, fr: Service client}
    value: "01 23 45 67 89"
    hours: Mo-Fr 08:00-20:00; Sa 09:00-12:00
    languages: [fr, en]
  - kind: email
    value: help@acme.example
  - kind: help
    label: Help centre
    value: https://acme.example/help
  - kind: post
    value: Acme, 1 rue de la Paix, Paris
---
Acme sells things.
"""


def organization(html):
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data.get("@type") == "Organization":
            return data
    raise AssertionError("no Organization JSON-LD on the page")


@pytest.fixture
def acme(tmp_path):
    write_tree(tmp_path, {"acme/company.md": COMPANY, "acme/refund.md": GUIDE_MD})
    call_command("import_content", str(tmp_path), stdout=StringIO())


def test_each_channel_is_a_contact_point_with_e164_hours_area_and_languages(client, acme):
    data = organization(client.get("/acme/").content.decode())

    assert (data["name"], data["url"]) == ("Acme", "https://acme.example")
    phone, email, help_page = data["contactPoint"]  # a postal address is not a ContactPoint
    assert phone == {
        "@type": "ContactPoint",
        "contactType": "customer service",
        "name": "Customer service",
        "telephone": "+33123456789",
        "areaServed": "FR",
        "availableLanguage": ["French", "English"],
        "hoursAvailable": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [
                    f"https://schema.org/{day}"
                    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
                ],
                "opens": "08:00",
                "closes": "20:00",
            },
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": ["https://schema.org/Saturday"],
                "opens": "09:00",
                "closes": "12:00",
            },
        ],
    }
    assert email["email"] == "help@acme.example"
    assert help_page["url"] == "https://acme.example/help"


def test_the_french_page_names_its_contact_points_in_french(client, acme):
    data = organization(client.get("/fr/acme/").content.decode())

    assert data["contactPoint"][0]["name"] == "Service client"

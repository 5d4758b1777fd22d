"""The company page leads with how to reach a person; the guide page's contact box shows the
same in short. Server-rendered, in the reader's language, the same for every reader."""

import json
import re
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command

from .factories import GUIDE_MD, guide_md, write_tree

pytestmark = pytest.mark.django_db

COMPANY = """\
---
name: SNCF Connect
website: https://www.sncf-connect.com
country: FR
timezone: Europe/Paris
contacts:
  - kind: phone
    label: {en: SNCF customer line, fr: Ligne SNCF Voyageurs}
    value: "3635"
    hours: Mo-Fr 08:00-20:00; Sa 09:00-18:00; PH off
    cost: {en: Free service plus the price of a call, fr: Service gratuit + prix d’un appel}
    checked: 2026-11-01
    languages: [fr]
    menu:
      - press: "1"
        for: {en: tickets, fr: billets}
      - press: "3"
        for: {en: an adviser, fr: un conseiller}
  - kind: phone
    label: {en: From abroad, fr: Depuis l’étranger}
    value: "+33 9 69 39 99 99"
    menu:
      - press: "2"
        for: {en: English, fr: anglais}
      - say: adviser
        for: {en: an adviser, fr: un conseiller}
  - kind: help
    label: {en: Help centre, fr: Centre d’aide}
    value: https://www.sncf-connect.com/aide
    languages: [en]
---
SNCF Connect sells train tickets.
"""
FRENCH_ABOUT = "---\nname: SNCF Connect\n---\nSNCF Connect vend des billets de train.\n"


@pytest.fixture
def sncf(tmp_path):
    write_tree(
        tmp_path,
        {
            "sncf/company.md": COMPANY,
            "sncf/company.fr.md": FRENCH_ABOUT,
            "sncf/refund.md": GUIDE_MD,
            "sncf/refund.fr.md": guide_md("title: Se faire rembourser\nslug: remboursement"),
        },
    )
    call_command("import_content", str(tmp_path), stdout=StringIO())


def text_of(html):
    """The text a reader sees; narrow no-break spaces are kept as they are."""
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def channel_item(html, label):
    """The channel with this label, as its text."""
    items = re.findall(r'<li class="channel channel-\w+".*?</li>', html, re.S)
    return next(item for item in items if f">{label}<" in item)


def test_the_company_page_shows_the_channels_before_the_about_text(client, sncf):
    html = client.get("/sncf/").content.decode()

    assert html.index('id="contact"') < html.index("SNCF Connect sells train tickets.")
    assert "How to reach a person at SNCF Connect" in html


def test_a_phone_number_is_a_tel_link_in_e164_shown_as_its_country_writes_it(client, sncf):
    html = client.get("/sncf/").content.decode()

    assert 'href="tel:+33969399999"' in html
    assert ">09 69 39 99 99</a>" in html
    assert "from abroad: +33 9 69 39 99 99" in html
    assert 'href="tel:3635"' in html  # a short number as itself
    assert "Cost: Free service plus the price of a call" in text_of(html)


def test_the_menu_reads_as_text_with_a_shortcut_that_dials_the_keys(client, sncf):
    short_line = channel_item(client.get("/sncf/").content.decode(), "SNCF customer line")

    assert "Phone menu: Press 1 (tickets), then 3 (an adviser)." in text_of(short_line)
    assert 'href="tel:3635,,1,,3"' in short_line
    assert "Shortcut: call and press 1, 3 for you" in text_of(short_line)


def test_a_menu_with_a_spoken_step_has_no_shortcut(client, sncf):
    abroad = channel_item(client.get("/sncf/").content.decode(), "From abroad")

    assert "Press 2 (English), then say “adviser” (an adviser)." in text_of(abroad)
    assert "tel:+33969399999,," not in abroad


def test_the_weekly_hours_table_is_in_the_readers_language(client, sncf):
    english = text_of(channel_item(client.get("/sncf/").content.decode(), "SNCF customer line"))
    french = text_of(channel_item(client.get("/fr/sncf/").content.decode(), "Ligne SNCF Voyageurs"))

    assert "Opening hours (Paris time)" in english
    assert "Monday 08:00–20:00" in english
    assert "Saturday 09:00–18:00 Sunday Closed" in english
    assert "Closed on public holidays." in english
    assert "Horaires (heure de Paris)" in french
    assert "Lundi 8\u202fh – 20\u202fh" in french
    assert "Samedi 9\u202fh – 18\u202fh Dimanche Fermé" in french
    assert "Fermé les jours fériés." in french


def test_the_checked_date_is_shown_in_the_readers_language(client, sncf):
    assert "Checked on 1 November 2026" in text_of(client.get("/sncf/").content.decode())
    assert "Vérifié le 1er novembre 2026" in text_of(client.get("/fr/sncf/").content.decode())


def test_french_pages_use_the_french_texts_and_list_french_speaking_channels_first(client, sncf):
    english = client.get("/sncf/").content.decode()
    french = client.get("/fr/sncf/").content.decode()

    labels = re.compile(r'<h3 class="channel-label">(?:<a [^>]+>)?([^<]+)')
    assert labels.findall(english) == ["From abroad", "Help centre", "SNCF customer line"]
    assert labels.findall(french) == ["Ligne SNCF Voyageurs", "Depuis l’étranger", "Centre d’aide"]
    assert "SNCF Connect vend des billets de train." in french
    assert "SNCF Connect sells train tickets." not in french
    assert "Service gratuit + prix d’un appel" in french


def test_links_are_named_for_where_they_go(client, sncf):
    html = client.get("/sncf/").content.decode()

    assert '<a href="https://www.sncf-connect.com/aide" rel="noopener">Help centre</a>' in html
    assert "Open the page" not in html
    assert "SNCF Connect’s website" in html


def test_the_page_carries_the_opening_intervals_for_the_browser_not_a_status(client, sncf):
    html = client.get("/sncf/").content.decode()

    data = json.loads(unescape(re.search(r'data-open-hours="([^"]+)"', html).group(1)))
    assert data["tz"] == "Europe/Paris" and data["lang"] == "en"
    assert data["until"] - data["from"] == 21 * 24 * 3600
    first_open, first_close = data["open"][0]
    assert first_close - first_open in (9 * 3600, 12 * 3600)  # a Saturday or a weekday
    assert "Open now" not in text_of(html) and "Closed now" not in text_of(html)
    assert '<script src="/static/js/open-now.js" defer></script>' in html


def test_the_guide_page_contact_box_shows_the_same_in_short(client, sncf):
    html = client.get("/sncf/refund/").content.decode()
    box = text_of(
        html[html.index('id="contact"') : html.index("</section>", html.index('id="contact"'))]
    )

    assert 'href="tel:+33969399999"' in html
    assert "Press 1 (tickets), then 3 (an adviser)" in box
    assert 'href="tel:3635,,1,,3"' in html
    assert "Mon–Fri 08:00–20:00 · Sat 09:00–18:00 · Sun Closed" in box
    assert "Free service plus the price of a call" in box
    # Cached by content version, not by week: no opening intervals, no script for them.
    assert "data-open-hours" not in html and "open-now.js" not in html


def test_company_lists_never_mix_languages(client, sncf):
    english = client.get("/sncf/").content.decode()
    french = client.get("/fr/sncf/").content.decode()

    assert "How to get a refund from Acme" in english
    assert "Se faire rembourser" not in english
    assert "Se faire rembourser" in french
    assert "How to get a refund from Acme" not in french


def test_an_edit_to_a_channel_shows_at_once_on_the_cached_company_page(client, sncf):
    from guides_site.contacts.models import ContactChannel

    client.get("/sncf/")
    channel = ContactChannel.objects.get(value="3635")
    channel.cost = {"en": "Now free"}
    channel.save()

    assert "Now free" in client.get("/sncf/").content.decode()

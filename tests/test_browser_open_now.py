"""'Open now · closes at 20:00 (Paris time)' in Chromium, with fixed clocks: worked out from
the intervals the cached page carries, in the company's time zone, whatever the reader's."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from guides_site.guides import views

from .browser_texts import BROWSER_MARKS
from .factories import GUIDE_MD, write_tree

pytestmark = BROWSER_MARKS

PARIS = ZoneInfo("Europe/Paris")
# The page carries the intervals of the three weeks from this Monday: Christmas (a Friday)
# and New Year's Day are public holidays in France.
WINDOW = datetime(2026, 12, 21, tzinfo=ZoneInfo("UTC"))

COMPANY = """\
---
name: SNCF Connect
country: FR
timezone: Europe/Paris
contacts:
  - kind: phone
    label: {en: Customer line, fr: Ligne clients}
    value: "3635"
    hours: Mo-Fr 08:00-20:00; Sa 09:00-18:00; PH off
---
SNCF Connect sells train tickets.
"""


@pytest.fixture
def sncf(tmp_path, monkeypatch):
    monkeypatch.setattr(views, "channel_window_start", lambda: WINDOW)
    write_tree(tmp_path, {"sncf/company.md": COMPANY, "sncf/refund.md": GUIDE_MD})
    call_command("import_content", str(tmp_path), stdout=StringIO())


def open_company_page(browser, live_server, settings, when, *, timezone_id, path="/sncf/"):
    settings.SITE_URL = live_server.url
    locale = "fr-FR" if path.startswith("/fr/") else "en-GB"
    context = browser.new_context(timezone_id=timezone_id, locale=locale)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.clock.set_fixed_time(when)
    page.goto(live_server.url + path)
    return context, page, errors


def status(page):
    return page.locator(".channel-status")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2026, 12, 22, 10, 0, tzinfo=PARIS), "Open now · closes at 20:00 (Paris time)"),
        (
            datetime(2026, 12, 22, 21, 30, tzinfo=PARIS),
            "Closed now · opens tomorrow at 08:00 (Paris time)",
        ),
        (
            datetime(2026, 12, 23, 6, 0, tzinfo=PARIS),
            "Closed now · opens today at 08:00 (Paris time)",
        ),
        (
            datetime(2026, 12, 26, 19, 0, tzinfo=PARIS),
            "Closed now · opens Monday at 08:00 (Paris time)",
        ),
        # Christmas, a Friday: closed all day, open again on Saturday.
        (
            datetime(2026, 12, 25, 12, 0, tzinfo=PARIS),
            "Closed now · opens tomorrow at 09:00 (Paris time)",
        ),
    ],
)
@pytest.mark.parametrize("timezone_id", ["Europe/Paris", "America/Los_Angeles", "Asia/Tokyo"])
def test_the_status_is_computed_in_the_companys_time_zone_whatever_the_readers(
    browser, live_server, settings, sncf, when, expected, timezone_id
):
    context, page, errors = open_company_page(
        browser, live_server, settings, when, timezone_id=timezone_id
    )

    expect(status(page)).to_have_text(expected)
    context.close()
    assert errors == []


def test_the_french_page_says_it_in_french(browser, live_server, settings, sncf):
    context, page, _errors = open_company_page(
        browser,
        live_server,
        settings,
        datetime(2026, 12, 22, 10, 0, tzinfo=PARIS),
        timezone_id="America/New_York",
        path="/fr/sncf/",
    )
    expect(status(page)).to_have_text("Ouvert · ferme à 20\u202fh (heure de Paris)")
    context.close()

    context, page, _errors = open_company_page(
        browser,
        live_server,
        settings,
        datetime(2026, 12, 26, 19, 0, tzinfo=PARIS),
        timezone_id="Europe/Paris",
        path="/fr/sncf/",
    )
    expect(status(page)).to_have_text("Fermé · ouvre lundi à 8\u202fh (heure de Paris)")
    context.close()


def test_a_copy_of_the_page_older_than_its_intervals_shows_no_status(
    browser, live_server, settings, sncf
):
    context, page, errors = open_company_page(
        browser,
        live_server,
        settings,
        datetime(2027, 3, 1, 10, 0, tzinfo=PARIS),
        timezone_id="Europe/Paris",
    )

    expect(page.get_by_role("table")).to_be_visible()
    expect(status(page)).to_be_hidden()
    context.close()
    assert errors == []


def test_without_javascript_the_weekly_table_stands_alone(nojs_page, live_server, sncf):
    nojs_page.goto(live_server.url + "/sncf/")

    table = nojs_page.get_by_role("table", name="Opening hours (Paris time)")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name="Saturday 09:00–18:00")).to_be_visible()
    expect(status(nojs_page)).to_be_hidden()

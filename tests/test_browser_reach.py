"""'Did you reach a person?' in Chromium: with JavaScript the answer swaps in a thank-you
without a page load; without it, the form posts and the channel's page thanks the reader."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from guides_site.contacts.models import ContactChannel, ReachReport

from .browser_texts import BROWSER_MARKS, assert_no_page_load, mark_window
from .factories import COMPANY_MD, GUIDE_MD, write_tree

pytestmark = BROWSER_MARKS


@pytest.fixture
def acme(tmp_path):
    write_tree(tmp_path, {"acme/company.md": COMPANY_MD, "acme/refund.md": GUIDE_MD})
    call_command("import_content", str(tmp_path), stdout=StringIO())
    return ContactChannel.objects.get(kind="phone")


def test_an_answer_swaps_in_a_thank_you_without_a_page_load(page, live_server, acme):
    url = live_server.url + "/acme/"
    page.goto(url)
    mark_window(page)
    form = page.locator(f"#reach-{acme.pk}")
    expect(form.get_by_role("group", name="Did you reach a person?")).to_be_visible()

    form.get_by_label("Minutes waited (optional)").fill("7")
    form.get_by_role("button", name="Yes").click()

    thanks = page.get_by_text("Thank you: your answer helps other readers.")
    expect(thanks).to_be_focused()
    assert_no_page_load(page, url)
    report = ReachReport.objects.get()
    assert (report.channel_id, report.reached, report.minutes_waited) == (acme.pk, True, 7)


def test_without_javascript_the_form_posts_and_the_channel_page_thanks(
    nojs_page, live_server, acme
):
    nojs_page.goto(live_server.url + "/acme/")
    nojs_page.locator(f"#reach-{acme.pk}").get_by_role("button", name="No").click()

    expect(nojs_page.get_by_text("Thank you: your answer helps other readers.")).to_be_visible()
    assert nojs_page.url == f"{live_server.url}/acme/contacts/{acme.pk}/reached/"
    assert ReachReport.objects.get().reached is False

"""An editor narrows the vote list to one guide by typing a few letters of its title."""

import pytest
from playwright.sync_api import expect

from guides_site.search import index

from .factories import add_votes, make_company, make_guide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_types_part_of_a_title_and_the_list_shows_that_guides_votes(
    editor_page, live_server
):
    page = editor_page
    company = make_company()
    refund = make_guide(company=company, slug="refund", title="How to get a refund")
    cancel = make_guide(company=company, slug="cancel", title="How to cancel a subscription")
    add_votes(refund, yes=2, comment="Refund came through.")
    add_votes(cancel, no=3, comment="The cancel button moved.")
    index.flush()

    page.goto(f"{live_server.url}/admin/guides/vote/")
    expect(page.locator("#result_list tbody tr")).to_have_count(5)
    page.locator("#changelist-filter .select2-selection").click()
    page.locator(".select2-search__field").fill("subscription")
    page.get_by_role("option", name="How to cancel a subscription").click()

    page.wait_for_url(f"**/admin/guides/vote/?guide__id__exact={cancel.pk}")
    expect(page.locator("#result_list tbody tr")).to_have_count(3)
    expect(page.locator("#changelist-filter .select2-selection__rendered")).to_contain_text(
        "How to cancel a subscription"
    )

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_guide_page_loads_htmx_without_console_errors(page, live_server, sample_content):
    page.goto(live_server.url + "/linkedin/refund/")
    assert page.locator("h1").inner_text() == "How to get a refund from LinkedIn"
    assert page.evaluate("typeof window.htmx") == "object"

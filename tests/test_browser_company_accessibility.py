"""axe-core finds nothing wrong on company pages with their channels, hours tables, open-now
status and "Did you reach a person?" forms, in both languages, light and dark."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .browser_texts import BROWSER_MARKS

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/sncf-connect/", "/fr/sncf-connect/", "/amazon/", "/fr/amazon/"])
def test_a_company_page_has_no_axe_violations(page, live_server, sample_content, path, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + path)
    # The reach forms are swapped in by htmx once the page has loaded: check what stays.
    expect(page.locator(".reach[hx-get]")).to_have_count(0)
    expect(page.locator(".channel-hours").first).to_be_visible()

    violations = Axe().run(page).response["violations"]
    assert not violations, [
        (v["id"], v["help"], [node["html"][:120] for node in v["nodes"]]) for v in violations
    ]

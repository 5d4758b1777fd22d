"""No page logs a JavaScript or console error (the `page` fixture also fails the test if
one does), and htmx plus site.js load everywhere."""

from playwright.sync_api import expect

from .browser_texts import BROWSER_MARKS

pytestmark = BROWSER_MARKS

PAGES = [
    "/",
    "/fr/",
    "/linkedin/",
    "/linkedin/refund/",
    "/linkedin/refund/step/1/",
    "/about/",
    "/tags/refund/",
]


def test_every_kind_of_page_loads_without_console_errors(page, live_server, sample_content):
    # One browser page visits them all (cheaper than a test each); the errors are
    # collected per address so a failure says which page logged what.
    errors_by_page = {}
    for path in PAGES:
        already_logged = len(page.console_errors)
        response = page.goto(live_server.url + path)

        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("typeof window.htmx") == "object", f"htmx missing on {path}"
        errors_by_page[path] = page.console_errors[already_logged:]

    assert {path: errors for path, errors in errors_by_page.items() if errors} == {}


def test_the_404_page_logs_only_its_own_404_status(page, live_server, sample_content):
    response = page.goto(live_server.url + "/linkedin/no-such-guide/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We can't find that page")
    assert page.evaluate("typeof window.htmx") == "object"
    # Chromium reports the document's own 404 status as a console error ("Failed to load
    # resource: the server responded with a status of 404"). That is the expected outcome
    # of visiting this page, not a fault, so drop exactly that one message; anything else
    # (a missing script or stylesheet, a JavaScript error) still fails the test when the
    # `page` fixture checks console_errors at teardown.
    own_404 = [error for error in page.console_errors if "status of 404" in error]
    assert len(own_404) == 1, page.console_errors
    page.console_errors.remove(own_404[0])

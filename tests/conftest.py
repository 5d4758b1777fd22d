import os
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with empty caches: the shared ones and this process's page and search
    page copies."""
    from django.core.cache import caches

    from guides_site.guides.page_cache import local_copies
    from guides_site.search.views import search_copies

    kept = (caches["default"], caches["search"], local_copies, search_copies)
    for copies in kept:
        copies.clear()
    yield
    for copies in kept:
        copies.clear()


@pytest.fixture(autouse=True)
def _fresh_view_tally(monkeypatch):
    """Each test starts with no page views waiting to be stored, and leaves none behind."""
    from collections import Counter

    from guides_site.guides import view_counts

    monkeypatch.setattr(view_counts, "_tally", Counter())


@pytest.fixture
def sample_content(db):
    """The real content/ folder, imported."""
    call_command("import_content", str(settings.CONTENT_DIR), stdout=StringIO())


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = (
            f"Browser tests need Chromium at {CHROMIUM}: install it with "
            "`sudo apt-get install chromium`."
        )
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message + " REQUIRE_BROWSER is set, so this is a failure.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls the
    # tests make around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open_page(browser, *, javascript=True, locale="en-GB"):
    context = browser.new_context(java_script_enabled=javascript, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return context, page


@pytest.fixture
def page(browser, live_server, settings):
    """A Chromium page with JavaScript; the test fails if any console error appears."""
    settings.SITE_URL = live_server.url
    context, page = _open_page(browser)
    yield page
    errors = page.console_errors
    context.close()
    assert errors == []


@pytest.fixture
def nojs_page(browser, live_server, settings):
    """A Chromium page with JavaScript disabled."""
    settings.SITE_URL = live_server.url
    context, page = _open_page(browser, javascript=False)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _site_url(settings):
    """Absolute addresses on pages name the test client's host."""
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def editor(db):
    """A client logged in as a staff member of the Editors group."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    call_command("setup_editors", stdout=StringIO())
    user = User.objects.create_user("edith", password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def editor_page(page, live_server):
    """A browser page logged in to the admin as a member of the Editors group."""
    from django.contrib.auth.models import Group, User

    call_command("setup_editors", stdout=StringIO())
    user = User.objects.create_user("edith", password="a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page

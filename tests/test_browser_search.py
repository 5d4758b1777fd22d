"""Search in Chromium: results as the reader types, the address kept for sharing, the header
form without JavaScript, instant answers under the question box, and axe-core on results."""

import re

import pytest
from playwright.sync_api import expect

from .browser_texts import BROWSER_MARKS, EN, FR, LANGUAGES, mark_window, open_question_form
from .test_browser_accessibility import assert_no_axe_violations

pytestmark = BROWSER_MARKS

SEARCH = {
    "en": {"path": "/search/", "query": "linkedin refund"},
    "fr": {"path": "/fr/search/", "query": "linkedin remboursement"},
}


@pytest.mark.parametrize("text", LANGUAGES)
def test_results_come_as_the_reader_types_and_the_address_follows(
    page, live_server, sample_content, text
):
    search = SEARCH[text["lang"]]
    page.goto(live_server.url + search["path"])
    mark_window(page)

    page.locator("#search-form-q").press_sequentially(search["query"], delay=20)

    result = page.locator(".search-result a").first
    expect(result).to_have_attribute("href", re.compile(re.escape(text["guide"])))
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"\d"))
    expect(page).to_have_url(re.compile(r"\?q=linkedin(\+|%20)"))
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


@pytest.mark.parametrize("text", LANGUAGES)
def test_the_results_page_has_no_axe_violations(page, live_server, sample_content, text):
    search = SEARCH[text["lang"]]
    page.goto(f"{live_server.url}{search['path']}?q={search['query']}")
    expect(page.locator(".search-result").first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}{search['path']}?q=zzzyx")
    expect(page.locator(".search-empty")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_header_form_searches_without_javascript(nojs_page, live_server, sample_content):
    nojs_page.goto(live_server.url + EN["guide"])

    header = nojs_page.locator("header")
    header.get_by_role("searchbox").fill("amazon return")
    header.get_by_role("searchbox").press("Enter")

    expect(nojs_page).to_have_url(re.compile(r"/search/\?q=amazon\+return$"))
    expect(nojs_page.locator(".search-result a").first).to_have_attribute(
        "href", "/amazon/return-item/"
    )


@pytest.mark.parametrize("text", [pytest.param(EN, id="en"), pytest.param(FR, id="fr")])
def test_instant_answers_appear_under_the_question_box(page, live_server, sample_content, text):
    form = open_question_form(page, live_server, text)
    words = "cancel premium subscription" if text["lang"] == "en" else "résilier abonnement premium"

    form.get_by_label(text["ask_label"], exact=True).press_sequentially(words, delay=10)

    answers = form.locator("[data-instant-answers]")
    expect(answers.locator("a").first).to_be_visible()
    expect(answers.locator("a").first).to_have_attribute(
        "href", re.compile(("/fr" if text["lang"] == "fr" else "") + r"/linkedin/")
    )

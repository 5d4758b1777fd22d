"""Step-by-step mode with JavaScript: htmx swaps each step in and pushes its URL."""

import re

import pytest
from playwright.sync_api import expect

from guides_site.guides.models import StepFeedback

from .browser_texts import (
    BROWSER_MARKS,
    EN,
    LANGUAGES,
    assert_no_page_load,
    mark_window,
    pager_link,
    step_heading,
    step_url,
)

pytestmark = BROWSER_MARKS


def start_walkthrough(page, live_server, text):
    page.goto(live_server.url + text["guide"])
    page.get_by_role("link", name=text["walk"]).click()
    expect(page).to_have_url(step_url(live_server, text, 1))
    expect(step_heading(page, text, 1)).to_be_visible()
    mark_window(page)


def walk_to_step_2(page, live_server, text):
    """Start the walkthrough and press Next: step 2, swapped in by htmx."""
    start_walkthrough(page, live_server, text)
    pager_link(page, text, text["next"]).click()
    assert_step_shown(page, live_server, text, 2)


def assert_step_shown(page, live_server, text, number):
    expect(page).to_have_url(step_url(live_server, text, number))
    expect(step_heading(page, text, number)).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", str(number))
    expect(page.locator("#walkthrough")).to_have_count(1)


@pytest.mark.parametrize("text", LANGUAGES)
def test_next_and_previous_swap_the_step_in_place_and_push_its_url(
    page, live_server, sample_content, text
):
    walk_to_step_2(page, live_server, text)
    expect(page).to_have_title(re.compile("^" + re.escape(text["step"].format(2))))
    expect(step_heading(page, text, 2)).to_be_focused()

    pager_link(page, text, text["next"]).click()
    assert_step_shown(page, live_server, text, 3)
    pager_link(page, text, text["previous"]).click()
    assert_step_shown(page, live_server, text, 2)
    expect(step_heading(page, text, 2)).to_be_focused()
    expect(page).to_have_title(re.compile("^" + re.escape(text["step"].format(2))))

    assert page.evaluate("window.__marker") == 1, "a step change reloaded the whole page"
    # The fragment was swapped inside the page, not nested into another copy of it.
    expect(page.get_by_role("heading", level=1)).to_have_count(1)


def test_back_and_forward_show_the_step_of_the_url(page, live_server, sample_content):
    walk_to_step_2(page, live_server, EN)

    page.go_back()
    assert_step_shown(page, live_server, EN, 1)
    expect(step_heading(page, EN, 2)).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["title"])

    page.go_forward()
    assert_step_shown(page, live_server, EN, 2)
    expect(step_heading(page, EN, 1)).to_have_count(0)


def test_back_after_previous_walks_the_history_in_order(page, live_server, sample_content):
    walk_to_step_2(page, live_server, EN)
    pager_link(page, EN, "Next").click()
    assert_step_shown(page, live_server, EN, 3)
    pager_link(page, EN, "Previous").click()
    assert_step_shown(page, live_server, EN, 2)

    # Previous pushed a new history entry, so Back returns to step 3, then 2, then 1.
    page.go_back()
    assert_step_shown(page, live_server, EN, 3)
    page.go_back()
    assert_step_shown(page, live_server, EN, 2)
    page.go_back()
    assert_step_shown(page, live_server, EN, 1)


def test_coming_back_to_a_pushed_step_url_shows_the_full_page_not_a_fragment(
    page, live_server, sample_content
):
    # The step URL was last fetched by htmx (a fragment); Back must not show that fragment
    # from the browser cache (the view varies on HX-Request).
    walk_to_step_2(page, live_server, EN)
    page.get_by_role("link", name="Show all the steps on one page").click()
    expect(page).to_have_url(live_server.url + EN["guide"] + "#step-2")

    page.go_back()

    assert_step_shown(page, live_server, EN, 2)
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["title"])
    expect(page).to_have_title(re.compile(r"^Step 2 of 25: How to get a refund from LinkedIn"))


def test_reloading_a_pushed_step_url_shows_that_step_as_a_full_page(
    page, live_server, sample_content
):
    walk_to_step_2(page, live_server, EN)

    page.reload()

    assert_step_shown(page, live_server, EN, 2)
    assert page.evaluate("window.__marker") is None
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["title"])
    expect(page).to_have_title(re.compile(r"^Step 2 of 25: How to get a refund from LinkedIn"))
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()


@pytest.mark.parametrize("text", LANGUAGES)
def test_answering_no_to_did_this_step_work_shows_help_in_place(
    page, live_server, sample_content, text
):
    walk_to_step_2(page, live_server, text)
    url = page.url

    question = page.get_by_role("group", name=text["did_it_work"])
    question.get_by_role("button", name=text["no"], exact=True).click()

    message = page.locator("#step-answer").get_by_text(text["sorry"])
    expect(message).to_be_visible()
    expect(message).to_be_focused()
    expect(question.get_by_role("button", name=text["no"], exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert_no_page_load(page, url)
    feedback = StepFeedback.objects.get()
    assert (feedback.step.position, feedback.worked) == (2, False)
    assert feedback.step.guide.get_absolute_url() == text["guide"]


def test_the_last_step_offers_the_vote_instead_of_next(page, live_server, sample_content):
    page.goto(step_url(live_server, EN, 25))

    expect(step_heading(page, EN, 25)).to_be_visible()
    expect(pager_link(page, EN, "Next")).to_have_count(0)
    pager_link(page, EN, "Done: was this guide helpful?").click()

    expect(page).to_have_url(live_server.url + EN["guide"] + "#helpful")
    expect(page.get_by_role("heading", name="Was this page helpful?")).to_be_in_viewport()

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
    step_label,
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
    expect(page).to_have_title(re.compile("^" + re.escape(step_label(text, 2))))
    expect(step_heading(page, text, 2)).to_be_focused()

    pager_link(page, text, text["next"]).click()
    assert_step_shown(page, live_server, text, 3)
    pager_link(page, text, text["previous"]).click()
    assert_step_shown(page, live_server, text, 2)
    expect(step_heading(page, text, 2)).to_be_focused()
    expect(page).to_have_title(re.compile("^" + re.escape(step_label(text, 2))))

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
    expect(page).to_have_title(
        re.compile("^" + re.escape(step_label(EN, 2) + ": How to get a refund from LinkedIn"))
    )


def test_reloading_a_pushed_step_url_shows_that_step_as_a_full_page(
    page, live_server, sample_content
):
    walk_to_step_2(page, live_server, EN)

    page.reload()

    assert_step_shown(page, live_server, EN, 2)
    assert page.evaluate("window.__marker") is None
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["title"])
    expect(page).to_have_title(
        re.compile("^" + re.escape(step_label(EN, 2) + ": How to get a refund from LinkedIn"))
    )
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


def test_the_last_step_ends_the_route_with_the_vote_in_place(page, live_server, sample_content):
    page.goto(step_url(live_server, EN, 25))

    expect(step_heading(page, EN, 25)).to_be_visible()
    expect(pager_link(page, EN, "Next")).to_have_count(0)
    expect(page.get_by_text("This route ends here.")).to_be_visible()
    mark_window(page)
    page.locator("#helpful").get_by_role("button", name="Yes", exact=True).click()

    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_focused()
    assert page.evaluate("window.__marker") == 1


@pytest.mark.parametrize("text", LANGUAGES)
def test_a_route_ends_and_offers_the_next_one_and_the_page_follows_each_swap(
    page, live_server, sample_content, text
):
    other = "fr" if text is EN else "en"
    page.goto(step_url(live_server, text, 11))
    mark_window(page)
    pager_link(page, text, text["next"]).click()
    assert_step_shown(page, live_server, text, 12)

    # The route is over: no Next, the vote, and the other route offered.
    expect(pager_link(page, text, text["next"])).to_have_count(0)
    expect(page.locator("#helpful").get_by_role("heading", name=text["question"])).to_be_visible()
    second_route = text["routes"][1][1]
    # Accessible names are matched with their spaces collapsed, U+202F included.
    spaced = re.escape(second_route.replace("\u202f", " "))
    pager_link(page, text, re.compile(spaced)).click()

    expect(page).to_have_url(step_url(live_server, text, 13))
    expect(step_heading(page, text, 13)).to_be_visible()
    expect(page).to_have_title(re.compile("^" + re.escape(step_label(text, 13))))
    crumbs = page.get_by_role("navigation", name=re.compile("Breadcrumb|Fil d'Ariane"))
    expect(crumbs.locator('[aria-current="page"]')).to_have_attribute(
        "href", text["guide"] + "step/13/"
    )
    expect(crumbs.get_by_role("link", name=second_route)).to_be_visible()
    switcher = page.locator("#language-switcher").locator(f'a[hreflang="{other}"]')
    expect(switcher).to_have_attribute("href", re.compile(r"/step/13/$"))
    assert page.evaluate("window.__marker") == 1, "a step change reloaded the whole page"

    switcher.click()
    expect(page).to_have_url(re.compile(r"/step/13/$"))
    expect(page.locator("html")).to_have_attribute("lang", other)


def test_yes_on_the_last_step_of_a_route_says_the_guide_is_done(page, live_server, sample_content):
    page.goto(step_url(live_server, EN, 12))
    question = page.get_by_role("group", name=EN["did_it_work"])
    question.get_by_role("button", name="Yes", exact=True).click()

    expect(page.locator("#step-answer").get_by_text("so you are done")).to_be_focused()


def test_the_guide_page_jumps_to_a_route_from_its_table_of_contents(
    page, live_server, sample_content
):
    page.goto(live_server.url + EN["guide"])
    toc = page.get_by_role("navigation", name="Choose your route")
    expect(toc.get_by_text("steps 13 to 25")).to_be_visible()
    toc.get_by_role("link", name=EN["routes"][1][1]).click()

    expect(page).to_have_url(live_server.url + EN["guide"] + "#section-2")
    expect(page.get_by_role("heading", name=EN["routes"][1][1], level=3)).to_be_in_viewport()

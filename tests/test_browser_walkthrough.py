"""Step-by-step mode with JavaScript: htmx swaps each step in and pushes its URL."""

import re

import pytest
from playwright.sync_api import expect

from guides_site.guides.models import StepFeedback

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Match the 10 s action timeout conftest sets: a busy CI machine can be slow to swap.
expect.set_options(timeout=10_000)

EN = {
    "guide": "/linkedin/refund/",
    "title": "How to get a refund from LinkedIn",
    "walk": "Walk me through it, one step at a time",
    "step": "Step {} of 25",
    "pager": "Steps",
    "next": "Next",
    "previous": "Previous",
    "did_it_work": "Did this step work?",
    "no": "No",
    "sorry": "Sorry. Check the step once more",
}
FR = {
    "guide": "/fr/linkedin/remboursement/",
    "title": "Comment obtenir un remboursement de LinkedIn",
    "walk": "Guidez-moi, une étape à la fois",
    "step": "Étape {} sur 25",
    "pager": "Étapes",
    "next": "Suivante",
    "previous": "Précédente",
    "did_it_work": "Cette étape a-t-elle fonctionné ?",
    "no": "Non",
    "sorry": "Dommage. Vérifiez l'étape encore une fois",
}
LANGUAGES = [pytest.param(EN, id="en"), pytest.param(FR, id="fr")]


def step_url(live_server, text, number):
    return f"{live_server.url}{text['guide']}step/{number}/"


def step_heading(page, text, number):
    return page.get_by_role("heading", name=text["step"].format(number), exact=True)


def pager_link(page, text, name):
    return page.get_by_role("navigation", name=text["pager"]).get_by_role("link", name=name)


def start_walkthrough(page, live_server, text):
    page.goto(live_server.url + text["guide"])
    page.get_by_role("link", name=text["walk"]).click()
    expect(page).to_have_url(step_url(live_server, text, 1))
    expect(step_heading(page, text, 1)).to_be_visible()
    page.evaluate("window.__marker = 1")


def assert_step_shown(page, live_server, text, number):
    expect(page).to_have_url(step_url(live_server, text, number))
    expect(step_heading(page, text, number)).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("value", str(number))
    expect(page.locator("#walkthrough")).to_have_count(1)


@pytest.mark.parametrize("text", LANGUAGES)
def test_next_and_previous_swap_the_step_in_place_and_push_its_url(
    page, live_server, sample_content, text
):
    start_walkthrough(page, live_server, text)

    pager_link(page, text, text["next"]).click()
    assert_step_shown(page, live_server, text, 2)
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
    start_walkthrough(page, live_server, EN)
    pager_link(page, EN, "Next").click()
    assert_step_shown(page, live_server, EN, 2)

    page.go_back()
    assert_step_shown(page, live_server, EN, 1)
    expect(step_heading(page, EN, 2)).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["title"])

    page.go_forward()
    assert_step_shown(page, live_server, EN, 2)
    expect(step_heading(page, EN, 1)).to_have_count(0)


def test_back_after_previous_walks_the_history_in_order(page, live_server, sample_content):
    start_walkthrough(page, live_server, EN)
    pager_link(page, EN, "Next").click()
    assert_step_shown(page, live_server, EN, 2)
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
    start_walkthrough(page, live_server, EN)
    pager_link(page, EN, "Next").click()
    assert_step_shown(page, live_server, EN, 2)
    page.get_by_role("link", name="Show all the steps on one page").click()
    expect(page).to_have_url(live_server.url + EN["guide"] + "#step-2")

    page.go_back()

    assert_step_shown(page, live_server, EN, 2)
    expect(page.get_by_role("heading", level=1)).to_have_text(EN["title"])
    expect(page).to_have_title(re.compile(r"^Step 2 of 25: How to get a refund from LinkedIn"))


def test_reloading_a_pushed_step_url_shows_that_step_as_a_full_page(
    page, live_server, sample_content
):
    start_walkthrough(page, live_server, EN)
    pager_link(page, EN, "Next").click()
    assert_step_shown(page, live_server, EN, 2)

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
    start_walkthrough(page, live_server, text)
    pager_link(page, text, text["next"]).click()
    assert_step_shown(page, live_server, text, 2)
    url = page.url

    question = page.get_by_role("group", name=text["did_it_work"])
    question.get_by_role("button", name=text["no"], exact=True).click()

    message = page.locator("#step-answer").get_by_text(text["sorry"])
    expect(message).to_be_visible()
    expect(message).to_be_focused()
    expect(question.get_by_role("button", name=text["no"], exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert page.evaluate("window.__marker") == 1
    assert page.url == url
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

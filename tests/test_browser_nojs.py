"""Every feature with JavaScript disabled: plain forms that POST and redirect, plain links."""

import re

import pytest
from playwright.sync_api import expect

from guides_site.guides.models import StepFeedback, Vote
from guides_site.questions.models import Question

from .browser_texts import (
    BROWSER_MARKS,
    EN,
    LANGUAGES,
    assert_needs_work_feedback,
    guide_votes,
    pager_link,
    question_form,
    step_heading,
    step_label,
    step_url,
    vote_button,
)

pytestmark = BROWSER_MARKS


def open_guide(page, live_server, text):
    """Open the guide and check that no script runs: with htmx loaded, the forms and links
    would be swapped in place and these tests would not reach the plain fallback."""
    page.goto(live_server.url + text["guide"])
    assert page.evaluate("typeof window.htmx") == "undefined"  # really no JavaScript


def submit(page, button):
    """Click a submit button and return the response of the page it leads to."""
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


@pytest.mark.parametrize("text", LANGUAGES)
def test_voting_yes_without_javascript_redirects_back_to_the_thanks(
    nojs_page, live_server, sample_content, text
):
    page = nojs_page
    open_guide(page, live_server, text)

    response = submit(page, vote_button(page, text["yes"]))

    assert response.status == 200
    assert response.request.redirected_from.method == "POST"
    expect(page).to_have_url(live_server.url + text["guide"] + "#helpful")
    expect(page.get_by_role("heading", name=text["thanks"])).to_be_visible()
    vote = guide_votes(text).get()
    assert vote.helpful is True


@pytest.mark.parametrize("text", LANGUAGES)
def test_needs_work_without_javascript_asks_why_then_thanks(
    nojs_page, live_server, sample_content, text
):
    page = nojs_page
    open_guide(page, live_server, text)

    submit(page, vote_button(page, text["needs_work"]))
    expect(page.get_by_role("heading", name=text["what_went_wrong"])).to_be_visible()
    page.get_by_label(text["unclear"]).check()
    page.get_by_label(text["comment"]).fill("Too many steps at once.")
    submit(page, vote_button(page, text["send"]))

    expect(page).to_have_url(live_server.url + text["guide"] + "#helpful")
    expect(page.get_by_role("heading", name=text["feedback_thanks"])).to_be_visible()
    assert_needs_work_feedback(text, Vote.Reason.UNCLEAR, "Too many steps at once.")


@pytest.mark.parametrize("text", LANGUAGES)
def test_an_empty_question_without_javascript_rerenders_the_page_with_the_error(
    nojs_page, live_server, sample_content, text
):
    page = nojs_page
    open_guide(page, live_server, text)
    form = question_form(page)

    response = submit(page, form.get_by_role("button", name=text["ask_send"]))

    assert response.status == 200
    assert response.request.method == "POST"
    expect(form.locator("p.field-error#id_text_error")).to_have_text(text["required"])
    field = form.get_by_label(text["ask_label"], exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile(re.escape(text["required"])))
    assert not Question.objects.exists()


@pytest.mark.parametrize("text", LANGUAGES)
def test_a_valid_question_without_javascript_shows_the_confirmation_after_redirect(
    nojs_page, live_server, sample_content, text
):
    page = nojs_page
    open_guide(page, live_server, text)
    form = question_form(page)

    form.get_by_label(text["ask_label"], exact=True).fill("Does this work for Sales Navigator?")
    response = submit(page, form.get_by_role("button", name=text["ask_send"]))

    assert response.request.redirected_from.method == "POST"
    expect(page).to_have_url(live_server.url + text["guide"] + "#ask")
    expect(form.get_by_role("status")).to_have_text(text["sent"])
    question = Question.objects.get()
    assert (question.guide.slug, question.text, question.status) == (
        text["slug"],
        "Does this work for Sales Navigator?",
        Question.Status.PENDING,
    )
    # The confirmation is a one-off message, gone on the next visit.
    page.reload()
    expect(form.get_by_role("status")).to_have_count(0)


def test_step_by_step_links_work_as_plain_links_without_javascript(
    nojs_page, live_server, sample_content
):
    page = nojs_page
    open_guide(page, live_server, EN)
    page.get_by_role("link", name="Walk me through it, one step at a time").click()
    expect(step_heading(page, EN, 1)).to_be_visible()

    response = submit(page, pager_link(page, EN, "Next"))
    assert response.status == 200
    expect(page).to_have_url(step_url(live_server, EN, 2))
    expect(step_heading(page, EN, 2)).to_be_visible()
    expect(page).to_have_title(
        step_label(EN, 2) + ": How to get a refund from LinkedIn · HelpSteps"
    )

    submit(page, pager_link(page, EN, "Previous"))
    expect(page).to_have_url(step_url(live_server, EN, 1))
    expect(step_heading(page, EN, 1)).to_be_visible()


def test_answering_a_step_without_javascript_redirects_back_to_the_step(
    nojs_page, live_server, sample_content
):
    page = nojs_page
    page.goto(step_url(live_server, EN, 3))

    question = page.get_by_role("group", name="Did this step work?")
    submit(page, question.get_by_role("button", name="No", exact=True))

    expect(page).to_have_url(step_url(live_server, EN, 3) + "#step-answer")
    message = page.locator("#step-answer").get_by_text("Sorry. Check the step once more")
    expect(message).to_be_visible()
    feedback = StepFeedback.objects.get()
    assert (feedback.step.position, feedback.worked) == (3, False)


def test_routes_work_as_plain_links_without_javascript(nojs_page, live_server, sample_content):
    page = nojs_page
    page.goto(live_server.url + EN["guide"])
    page.get_by_role("link", name=EN["routes"][1][1]).first.click()
    expect(page).to_have_url(live_server.url + EN["guide"] + "#section-2")

    page.goto(step_url(live_server, EN, 12))
    expect(page.get_by_text("This route ends here.")).to_be_visible()
    submit(page, pager_link(page, EN, re.compile("Or go on to")))
    expect(page).to_have_url(step_url(live_server, EN, 13))
    expect(step_heading(page, EN, 13)).to_be_visible()
    french = page.locator('#language-switcher a[hreflang="fr"]')
    expect(french).to_have_attribute("href", "/fr/linkedin/remboursement/step/13/")

"""Every feature with JavaScript disabled: plain forms that POST and redirect, plain links."""

import re

import pytest
from playwright.sync_api import expect

from guides_site.guides.models import Question, StepFeedback, Vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Match the 10 s action timeout conftest sets: a busy CI machine can be slow to swap.
expect.set_options(timeout=10_000)

EN = {
    "lang": "en",
    "guide": "/linkedin/refund/",
    "slug": "refund",
    "question": "Was this page helpful?",
    "yes": "Yes",
    "needs_work": "Needs work",
    "thanks": "Thanks, and please share!",
    "what_went_wrong": "Sorry this guide didn't help. What went wrong?",
    "unclear": "It's hard to follow",
    "comment": "Tell us more (optional)",
    "send": "Send",
    "feedback_thanks": "Thank you. Our editors read every answer and fix what's wrong.",
    "ask_label": "Your question",
    "ask_send": "Send my question",
    "required": "Please write your question.",
    "sent": "Thank you. Your question was sent to our editors.",
}
FR = {
    "lang": "fr",
    "guide": "/fr/linkedin/remboursement/",
    "slug": "remboursement",
    "question": "Cette page vous a-t-elle été utile ?",
    "yes": "Oui",
    "needs_work": "A besoin de travail",
    "thanks": "Merci, et partagez !",
    "what_went_wrong": (
        "Désolé que ce guide ne vous ait pas aidé. Qu'est-ce qui n'a pas fonctionné ?"
    ),
    "unclear": "Il est difficile à suivre",
    "comment": "Dites-nous-en plus (facultatif)",
    "send": "Envoyer",
    "feedback_thanks": "Merci. Nos rédacteurs lisent chaque réponse et corrigent ce qui ne va pas.",
    "ask_label": "Votre question",
    "ask_send": "Envoyer ma question",
    "required": "Veuillez écrire votre question.",
    "sent": "Merci. Votre question a été transmise à nos rédacteurs.",
}
LANGUAGES = [pytest.param(EN, id="en"), pytest.param(FR, id="fr")]


def open_guide(page, live_server, text):
    page.goto(live_server.url + text["guide"])
    assert page.evaluate("typeof window.htmx") == "undefined"  # really no JavaScript


def submit(page, button):
    """Click a submit button and return the response of the page it leads to."""
    with page.expect_navigation() as navigation:
        button.click()
    return navigation.value


def vote_widget(page):
    return page.locator("#helpful")


@pytest.mark.parametrize("text", LANGUAGES)
def test_voting_yes_without_javascript_redirects_back_to_the_thanks(
    nojs_page, live_server, sample_content, text
):
    page = nojs_page
    open_guide(page, live_server, text)

    response = submit(page, vote_widget(page).get_by_role("button", name=text["yes"], exact=True))

    assert response.status == 200
    assert response.request.redirected_from.method == "POST"
    expect(page).to_have_url(live_server.url + text["guide"] + "#helpful")
    expect(page.get_by_role("heading", name=text["thanks"])).to_be_visible()
    vote = Vote.objects.get(guide__slug=text["slug"], guide__language=text["lang"])
    assert vote.helpful is True


@pytest.mark.parametrize("text", LANGUAGES)
def test_needs_work_without_javascript_asks_why_then_thanks(
    nojs_page, live_server, sample_content, text
):
    page = nojs_page
    open_guide(page, live_server, text)

    submit(page, vote_widget(page).get_by_role("button", name=text["needs_work"], exact=True))
    expect(page.get_by_role("heading", name=text["what_went_wrong"])).to_be_visible()
    page.get_by_label(text["unclear"]).check()
    page.get_by_label(text["comment"]).fill("Too many steps at once.")
    submit(page, vote_widget(page).get_by_role("button", name=text["send"], exact=True))

    expect(page).to_have_url(live_server.url + text["guide"] + "#helpful")
    expect(page.get_by_role("heading", name=text["feedback_thanks"])).to_be_visible()
    vote = Vote.objects.get(guide__slug=text["slug"], guide__language=text["lang"])
    assert (vote.helpful, vote.reason, vote.comment, vote.feedback_sent) == (
        False,
        Vote.Reason.UNCLEAR,
        "Too many steps at once.",
        True,
    )


@pytest.mark.parametrize("text", LANGUAGES)
def test_an_empty_question_without_javascript_rerenders_the_page_with_the_error(
    nojs_page, live_server, sample_content, text
):
    page = nojs_page
    open_guide(page, live_server, text)
    form = page.locator("#ask")

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
    form = page.locator("#ask")

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
    expect(page.get_by_role("heading", name="Step 1 of 25", exact=True)).to_be_visible()
    pager = page.get_by_role("navigation", name="Steps")

    response = submit(page, pager.get_by_role("link", name="Next"))
    assert response.status == 200
    expect(page).to_have_url(live_server.url + "/linkedin/refund/step/2/")
    expect(page.get_by_role("heading", name="Step 2 of 25", exact=True)).to_be_visible()
    expect(page).to_have_title("Step 2 of 25: How to get a refund from LinkedIn · HelpSteps")

    submit(page, pager.get_by_role("link", name="Previous"))
    expect(page).to_have_url(live_server.url + "/linkedin/refund/step/1/")
    expect(page.get_by_role("heading", name="Step 1 of 25", exact=True)).to_be_visible()


def test_answering_a_step_without_javascript_redirects_back_to_the_step(
    nojs_page, live_server, sample_content
):
    page = nojs_page
    page.goto(live_server.url + "/linkedin/refund/step/3/")

    question = page.get_by_role("group", name="Did this step work?")
    submit(page, question.get_by_role("button", name="No", exact=True))

    expect(page).to_have_url(live_server.url + "/linkedin/refund/step/3/#step-answer")
    message = page.locator("#step-answer").get_by_text("Sorry. Check the step once more")
    expect(message).to_be_visible()
    feedback = StepFeedback.objects.get()
    assert (feedback.step.position, feedback.worked) == (3, False)

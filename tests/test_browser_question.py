"""The 'More questions?' form with JavaScript: errors and confirmation swapped in place."""

import re

import pytest
from playwright.sync_api import expect

from guides_site.questions.models import Question

from .browser_texts import (
    BROWSER_MARKS,
    EN,
    LANGUAGES,
    assert_no_page_load,
    open_question_form,
)

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("text", LANGUAGES)
def test_an_empty_question_shows_the_error_next_to_the_field(
    page, live_server, sample_content, text
):
    form = open_question_form(page, live_server, text)
    url = page.url

    form.get_by_role("button", name=text["ask_send"]).click()

    # Focus goes to the summary, which tells the reader to look below.
    expect(form.get_by_role("alert")).to_be_focused()
    error = form.locator("p.field-error#id_text_error")
    expect(error).to_have_text(text["required"])
    field = form.get_by_label(text["ask_label"], exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_attribute("aria-describedby", re.compile(r"(^|\s)id_text_error(\s|$)"))
    expect(field).to_have_accessible_description(re.compile(re.escape(text["required"])))
    assert_no_page_load(page, url)
    assert not Question.objects.exists()


@pytest.mark.parametrize("text", LANGUAGES)
def test_a_valid_question_after_an_error_is_sent_without_a_page_load(
    page, live_server, sample_content, text
):
    form = open_question_form(page, live_server, text)
    url = page.url
    form.get_by_role("button", name=text["ask_send"]).click()
    expect(form.locator("#id_text_error")).to_be_visible()

    form.get_by_label(text["ask_label"], exact=True).fill("Does this work for Sales Navigator too?")
    form.get_by_role("button", name=text["ask_send"]).click()

    confirmation = form.get_by_role("status").filter(has_text=text["sent"])
    expect(confirmation).to_be_visible()
    expect(confirmation).to_be_focused()
    expect(form.locator("#id_text_error")).to_have_count(0)
    expect(form.get_by_label(text["ask_label"], exact=True)).to_have_value("")
    assert_no_page_load(page, url)
    question = Question.objects.get()
    assert (question.guide.slug, question.guide.language) == (text["slug"], text["lang"])
    assert question.text == "Does this work for Sales Navigator too?"
    assert question.status == Question.Status.PENDING


def test_a_too_short_question_is_refused_with_a_clear_message(page, live_server, sample_content):
    form = open_question_form(page, live_server, EN)

    form.get_by_label("Your question", exact=True).fill("Refund?")
    form.get_by_role("button", name="Send my question").click()

    expect(form.locator("#id_text_error")).to_have_text(
        "Please write at least 10 characters so we can understand the question."
    )
    assert not Question.objects.exists()

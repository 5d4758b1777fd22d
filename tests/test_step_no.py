"""'No' to "Did this step work?" leads somewhere: say what happened, ask about the step,
reach the company."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from guides_site.guides.models import StepFeedback
from guides_site.questions.models import Question

from .browser_texts import EN, step_url
from .factories import make_guide

HTMX = {"HX-Request": "true"}
STEP = "/acme/refund/step/2/"


def reader():
    client = Client()
    client.get(STEP)
    return client


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_after_no_the_reader_can_say_what_happened(db, headers):
    make_guide()
    client = reader()
    client.post(STEP + "answer/", {"worked": "no"}, headers=headers)
    page = client.get(STEP).content.decode()
    assert "What happened instead? (optional)" in page
    assert 'href="#ask"' in page and 'href="#contact"' in page

    response = client.post(
        STEP + "answer/",
        {"worked": "no", "what_happened": "The button is not there; card 4111 1111 1111 1111"},
        headers=headers,
    )

    assert response.status_code == (200 if headers else 302)
    feedback = StepFeedback.objects.get()
    assert feedback.worked is False
    assert feedback.what_happened == "The button is not there; card •••• 1111"
    page = client.get(STEP).content.decode()
    assert "our editors will read what happened" in page
    assert "What happened instead?" not in page  # told once; the links stay
    assert 'href="#ask"' in page


def test_yes_after_no_clears_what_happened(db):
    make_guide()
    client = reader()
    client.post(STEP + "answer/", {"worked": "no", "what_happened": "Nothing happened"})
    client.post(STEP + "answer/", {"worked": "yes"})
    assert StepFeedback.objects.get().what_happened == ""


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_too_long_account_of_what_happened_comes_back_with_an_error(db, headers):
    make_guide()
    client = reader()
    response = client.post(
        STEP + "answer/", {"worked": "no", "what_happened": "x" * 501}, headers=headers
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 500 characters" in html and "x" * 501 in html
    assert not StepFeedback.objects.exists()


def test_the_step_page_offers_a_question_about_the_step_and_comes_back_to_it(db):
    make_guide()
    client = reader()
    page = client.get(STEP).content.decode()
    assert "Stuck? Ask us about this step" in page
    assert re.search(r'<textarea name="text"[^>]*>\s*Step 2: </textarea>', page)

    response = client.post(
        "/acme/refund/ask/", {"text": "Step 2: where is the refund button?", "from_step": "2"}
    )

    assert response.status_code == 302 and response["Location"] == STEP + "#ask"
    assert Question.objects.get().text == "Step 2: where is the refund button?"
    assert "Your question was sent" in client.get(STEP).content.decode()


def test_a_question_from_an_unknown_step_goes_back_to_the_guide(db):
    make_guide()
    client = reader()
    response = client.post("/acme/refund/ask/", {"text": "A question of mine", "from_step": "99"})
    assert response["Location"] == "/acme/refund/#ask"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page_fixture", ["page", "nojs_page"])
def test_a_stuck_reader_says_what_happened_and_asks_in_chromium(
    request, live_server, sample_content, page_fixture
):
    page = request.getfixturevalue(page_fixture)
    page.goto(step_url(live_server, EN, 3))
    group = page.get_by_role("group", name=EN["did_it_work"])
    group.get_by_role("button", name=EN["no"], exact=True).click()

    field = page.get_by_label("What happened instead? (optional)")
    field.fill("The Help link opens a chat bot, not a form")
    page.get_by_role("button", name="Tell the editors").click()
    expect(page.get_by_text("our editors will read what happened")).to_be_visible()
    assert StepFeedback.objects.get().what_happened == "The Help link opens a chat bot, not a form"

    page.get_by_role("link", name="Ask us a question about this step").click()
    question = page.get_by_label("Your question")
    route = EN["routes"][0][1]  # the sample guide's step 3 is on its first route
    expect(question).to_have_value(f"Step 3 ({route}): ")
    question.press("End")
    question.type("the chat bot keeps looping, what now?")
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_text("Your question was sent to our editors.")).to_be_visible()
    asked = f"Step 3 ({route}): the chat bot keeps looping, what now?"
    assert Question.objects.get().text == asked


def test_editors_read_what_happened_on_the_guides_admin_page(editor):
    guide = make_guide()
    client = reader()
    client.post(STEP + "answer/", {"worked": "no", "what_happened": "The page says error 503"})
    html = editor.get(f"/admin/guides/guide/{guide.pk}/change/").content.decode()
    assert "What readers said happened instead" in html and "The page says error 503" in html

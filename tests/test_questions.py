import pytest

from guides_site.questions.models import Question

from .factories import make_guide, visit

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def ask(client, text, email="", website="", **headers):
    return client.post(
        "/acme/refund/ask/", {"text": text, "email": email, "website": website}, headers=headers
    )


def test_a_valid_question_is_stored_for_moderation_and_confirmed(client):
    guide = make_guide()

    response = ask(client, "Does this work for annual plans?", "me@example.com", **HTMX)

    assert response.status_code == 200
    assert "Thank you. Your question was sent to our editors." in response.content.decode()
    question = Question.objects.get()
    assert (question.guide, question.text, question.email, question.status) == (
        guide,
        "Does this work for annual plans?",
        "me@example.com",
        "pending",
    )
    assert "Does this work for annual plans?" not in client.get("/acme/refund/").content.decode()


def test_without_javascript_a_question_redirects_and_shows_the_confirmation(client):
    make_guide()
    response = ask(client, "Does this work for annual plans?")
    assert response.status_code == 302
    assert response["Location"] == "/acme/refund/#ask"
    html = client.get("/acme/refund/").content.decode()
    assert "Your question was sent to our editors." in html


@pytest.mark.parametrize(
    "text, error",
    [
        ("", "Please write your question."),
        ("   ", "Please write your question."),
        ("Too short", "Please write at least 10 characters"),
        ("x" * 1001, "Ensure this value has at most 1000 characters (it has 1001)."),
    ],
)
def test_invalid_questions_come_back_with_an_error_next_to_the_field(client, text, error):
    make_guide()

    response = ask(client, text, **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="field-error" id="id_text_error">{error}' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_text_error id_text_helptext"' in html
    assert Question.objects.count() == 0


def test_an_invalid_question_keeps_the_readers_text(client):
    make_guide()
    html = ask(client, "Short", "not-an-email", **HTMX).content.decode()
    assert "Short</textarea>" in html
    assert 'value="not-an-email"' in html
    assert "Enter a valid email address." in html


def test_without_javascript_an_invalid_question_shows_the_page_with_errors(client):
    make_guide()
    visit(client).post("/acme/refund/vote/", {"helpful": "yes"})
    response = ask(client, "Short")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "Please write at least 10 characters" in html
    assert "Thanks, and please share!" in html  # the reader's own vote is still shown


def test_exactly_10_and_1000_characters_are_accepted(client):
    make_guide()
    ask(client, "x" * 10)
    ask(client, "y" * 1000)
    assert sorted(len(q.text) for q in Question.objects.all()) == [10, 1000]


def test_the_honeypot_turns_bots_away_without_telling_them(client):
    make_guide()
    response = ask(client, "Buy cheap watches at my site", website="http://spam.example", **HTMX)
    assert "Thank you" in response.content.decode()
    assert Question.objects.count() == 0


def test_questions_on_drafts_are_404(client):
    make_guide(status="draft")
    assert ask(client, "A perfectly fine question").status_code == 404

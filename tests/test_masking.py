import pytest
from django.test import Client

from guides_site.questions.masking import mask_personal_data
from guides_site.questions.models import Question

from .factories import add_votes, make_guide


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("My card 4111 1111 1111 1111 was charged", "My card •••• 1111 was charged"),
        ("card 5500-0000-0000-0004 twice", "card •••• 0004 twice"),
        ("IBAN FR76 3000 6000 0112 3456 7890 189 please", "IBAN FR•••• 0189 please"),
        ("GB82WEST12345698765432", "GB•••• 5432"),
        ("write to jo.doe+refunds@example.co.uk today", "write to ••••@•••• today"),
        ("call me on 06 12 34 56 78", "call me on •••• 78"),
        ("or +44 20 7946 0958 after six", "or •••• 58 after six"),
    ],
)
def test_personal_data_is_masked_to_its_last_characters(typed, shown):
    assert mask_personal_data(typed, "fr") == shown


@pytest.mark.parametrize(
    "text",
    [
        "I followed the 25 steps over 14 days",
        "Order 112-3456789-1234567 arrived on 12/11/2026",
        "card 4111 1111 1111 1112 fails the Luhn check",
        "reference FR76 3000 6000 0112 3456 7890 180 is not an IBAN",
        "It cost 1299 euros, ticket 1234567890123",
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert mask_personal_data(text, "en") == text


def test_a_question_is_stored_masked_with_the_readers_words_kept_for_editors(client, editor):
    guide = make_guide()
    client.get("/acme/refund/")
    typed = "Refund to card 4111 1111 1111 1111? Mail me at me@example.org"
    client.post("/acme/refund/ask/", {"text": typed, "email": ""})

    question = Question.objects.get()
    assert question.text == "Refund to card •••• 1111? Mail me at ••••@••••"
    assert question.original_text == typed
    page = editor.get(f"/admin/questions/question/{question.pk}/change/").content.decode()
    assert "4111 1111 1111 1111" in page and guide.title in page


def test_an_editor_edits_the_text_that_is_published(editor):
    question = Question.objects.create(
        guide=make_guide(), text="Hi, I am Jo Bloggs of 3 Rose St: when is my refund?"
    )
    editor.post(
        f"/admin/questions/question/{question.pk}/change/",
        {"text": "When is my refund?", "status": "published", "answer": "Within 14 days."},
    )
    html = Client().get("/acme/refund/").content.decode()
    assert "When is my refund?" in html and "Within 14 days." in html
    assert "Jo Bloggs" not in html


def test_needs_work_comments_are_masked_where_editors_list_them(editor):
    guide = make_guide()
    add_votes(guide, no=1, comment="Still charged on 4111 1111 1111 1111, call 06 12 34 56 78")

    for url in ("/admin/guides/vote/", f"/admin/guides/guide/{guide.pk}/change/"):
        html = editor.get(url).content.decode()
        assert "•••• 1111" in html and "4111 1111" not in html and "56 78" not in html


def test_editors_never_see_visitor_ids(editor, client):
    make_guide()
    client.get("/acme/refund/")
    client.post("/acme/refund/ask/", {"text": "Where is the refund form?", "email": ""})
    question = Question.objects.get()
    page = editor.get(f"/admin/questions/question/{question.pk}/change/").content.decode()
    assert question.visitor and question.visitor not in page

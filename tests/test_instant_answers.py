"""Instant answers: the guides and published answers that may answer a follow-up question,
while it is typed and in the confirmation once it is sent, with or without JavaScript."""

import pytest
from django.utils import timezone

from guides_site.guides.models import Guide
from guides_site.questions.models import Question
from guides_site.search import index

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def acme():
    company = make_company()
    guide = make_guide(company, title="How to get a refund")
    make_guide(company, slug="cancel", title="How to cancel the Acme subscription")
    make_guide(company, slug="draft", title="How to cancel in secret", status=Guide.Status.DRAFT)
    make_guide(company, slug="annuler", title="Comment annuler l'abonnement", language="fr")
    Question.objects.create(
        guide=guide,
        text="Can I get a refund for an annual subscription?",
        answer="Yes, within 14 days.",
        status=Question.Status.PUBLISHED,
        answered_at=timezone.now(),
    )
    Question.objects.create(
        guide=guide,
        text="Is the annual subscription refunded pro rata?",
        status=Question.Status.PENDING,
    )
    index.flush()
    return guide


def answers(client, guide, text):
    return client.get("/search/answers/", {"guide": guide.pk, "q": text})


def test_while_typing_the_matching_guides_and_published_answers_are_offered(client, acme):
    html = answers(client, acme, "how do I cancel my annual subscription").content.decode()

    assert "These may answer it" in html
    assert 'href="/acme/cancel/"' in html
    assert "Can I get a refund for an annual subscription?" in html
    assert "in secret" not in html  # a draft
    assert "pro rata" not in html  # not answered
    assert "Comment annuler" not in html  # another language
    assert 'href="/acme/refund/"' not in html  # the guide the reader is on


def test_a_question_with_nothing_in_common_offers_nothing(client, acme):
    assert b"These may answer it" not in answers(client, acme, "zebra xylophone").content


def test_hostile_answer_requests_are_refused(client, acme):
    assert answers(client, acme, "refund\x00").status_code == 400
    assert answers(client, acme, "a" * 1001).status_code == 400
    assert client.get("/search/answers/", {"guide": "x", "q": "refund"}).status_code == 404


def test_the_confirmation_lists_them_with_javascript(client, acme):
    response = client.post(
        "/acme/refund/ask/",
        {"text": "How do I cancel my annual subscription?", "email": "", "website": ""},
        headers=HTMX,
    )

    html = response.content.decode()
    assert "Your question was sent to our editors." in html
    assert "These may answer it" in html and 'href="/acme/cancel/"' in html


def test_the_confirmation_lists_them_without_javascript(client, acme):
    response = client.post(
        "/acme/refund/ask/",
        {"text": "How do I cancel my annual subscription?", "email": "", "website": ""},
    )
    assert response.status_code == 302

    html = client.get("/acme/refund/").content.decode()
    assert "Your question was sent to our editors." in html
    assert "These may answer it" in html and 'href="/acme/cancel/"' in html
    # Once shown, it is gone.
    assert "These may answer it" not in client.get("/acme/refund/").content.decode()


def test_the_question_box_is_ready_for_instant_answers_on_the_guide_page(client, acme):
    html = client.get("/acme/refund/").content.decode()

    assert f'data-url="/search/answers/?guide={acme.pk}"' in html
    assert 'aria-live="polite"' in html
    assert "/static/search/instant-answers" in html

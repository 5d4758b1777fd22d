"""Whatever a client sends, the answer is a clear 4xx or a form error, never a 500."""

import pytest
from django.test import Client

from guides_site.guides.models import Vote
from guides_site.questions.models import Question

from .factories import make_guide, visit

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_an_oversized_body_is_refused_with_413(client):
    make_guide()
    response = client.post("/acme/refund/ask/", {"text": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "couldn&#x27;t understand" in response.content.decode() or (
        "couldn't understand" in response.content.decode()
    )
    assert Question.objects.count() == 0


def test_invalid_utf8_in_a_form_is_a_form_error_not_a_crash(client):
    make_guide()
    body = b"text=\xff\xfe\xfa not utf-8 at all&email="
    response = client.generic(
        "POST",
        "/acme/refund/ask/",
        body,
        content_type="application/x-www-form-urlencoded",
        headers=HTMX,
    )
    assert response.status_code == 200


def test_invalid_utf8_in_an_address_is_a_404(client):
    make_guide()
    assert client.get("/acme/%FF%FE/").status_code == 404
    assert client.get("/%C0%AF/refund/").status_code == 404


@pytest.mark.parametrize(
    "url, data",
    [
        ("/acme/refund/vote/", {}),
        ("/acme/refund/vote/", {"helpful": ["yes", "no"]}),
        ("/acme/refund/vote/", {"helpful": "maybe"}),
        ("/acme/refund/vote/feedback/", {"reason": "bogus", "comment": "x" * 2000}),
        ("/acme/refund/step/1/answer/", {"worked": "perhaps"}),
        ("/acme/refund/ask/", {}),
        ("/acme/refund/ask/", {"text": "A real question here", "email": "not an email"}),
    ],
)
def test_missing_fields_and_unknown_choices_are_form_errors(client, url, data):
    make_guide()
    visit(client)
    for headers in ({}, HTMX):
        response = client.post(url, data, headers=headers)
        assert response.status_code in (200, 302), (url, data, headers)
    assert Vote.objects.filter(feedback_sent=True).count() == 0
    assert Question.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    [
        "/acme/missing/vote/",
        "/missing/refund/vote/",
        "/acme/refund/step/999/answer/",
        "/acme/refund/step/0/answer/",
        "/acme/missing/ask/",
    ],
)
def test_posting_to_something_that_does_not_exist_is_a_404(client, url):
    make_guide()
    assert (
        client.post(url, {"helpful": "yes", "worked": "yes", "text": "A question?"}).status_code
        == 404
    )


def test_a_vote_on_a_draft_is_a_404(client):
    make_guide(status="draft")
    assert client.post("/acme/refund/vote/", {"helpful": "yes"}).status_code == 404
    assert Vote.objects.count() == 0


@pytest.mark.parametrize(
    "url",
    ["/acme/refund/step/abc/", "/acme/refund/step/-1/", "/acme/refund/step/99999999999999999999/"],
)
def test_odd_step_addresses_are_404(client, url):
    make_guide()
    assert client.get(url).status_code == 404


def test_a_head_request_on_a_guide_works(client):
    make_guide()
    assert client.head("/acme/refund/").status_code == 200


def test_a_missing_csrf_token_gets_a_friendly_403():
    make_guide()
    response = Client(enforce_csrf_checks=True).post("/acme/refund/vote/", {"helpful": "yes"})
    assert response.status_code == 403
    assert "Please go back, reload the page and try again." in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/robots.txt", "/acme/refund/"])
def test_a_host_this_site_does_not_serve_gets_a_400_page(path):
    make_guide()
    stranger = Client(HTTP_HOST="evil.example", raise_request_exception=False)
    response = stranger.get(path)
    assert response.status_code == 400
    assert "couldn't understand that request" in response.content.decode()
    assert "evil.example" not in response.content.decode()

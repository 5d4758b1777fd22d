import pytest
from django.test import Client

from guides_site.guides.models import StepFeedback, Vote

from .factories import make_guide, visit

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def vote(client, helpful, url="/acme/refund/vote/", **headers):
    """A reader's vote; a reader who has not loaded the guide page yet loads it first."""
    if "visitor" not in client.cookies:
        visit(client, url.removesuffix("vote/"))
    return client.post(url, {"helpful": helpful}, headers=headers)


def test_a_vote_without_javascript_redirects_back_to_the_guide_showing_thanks(client):
    make_guide()

    response = vote(client, "yes")

    assert response.status_code == 302
    assert response["Location"] == "/acme/refund/#helpful"
    html = client.get("/acme/refund/").content.decode()
    assert "Thanks, and please share!" in html
    assert "1 reader answered" in html


def test_an_htmx_vote_returns_the_widget_in_place(client):
    make_guide()

    response = vote(client, "yes", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Thanks, and please share!" in html
    assert "data-swap-focus" in html
    assert 'data-copy-link="http://testserver/acme/refund/"' in html


def test_needs_work_asks_what_went_wrong_then_thanks(client):
    guide = make_guide()

    html = vote(client, "no", **HTMX).content.decode()
    assert "What went wrong?" in html
    assert 'value="outdated"' in html

    html = client.post(
        "/acme/refund/vote/feedback/",
        {"reason": "did_not_work", "comment": "Step 3 has changed."},
        headers=HTMX,
    ).content.decode()

    assert "Thank you. Our editors read every answer" in html
    saved = Vote.objects.get(guide=guide)
    assert (saved.helpful, saved.reason, saved.comment, saved.feedback_sent) == (
        False,
        "did_not_work",
        "Step 3 has changed.",
        True,
    )


def test_feedback_without_javascript_redirects_and_shows_thanks(client):
    make_guide()
    vote(client, "no")
    response = client.post("/acme/refund/vote/feedback/", {"reason": "unclear"})
    assert response.status_code == 302
    assert "Our editors read every answer" in client.get("/acme/refund/").content.decode()


def test_an_invalid_reason_is_an_error_not_a_500(client):
    make_guide()
    vote(client, "no", **HTMX)
    response = client.post("/acme/refund/vote/feedback/", {"reason": "bogus"}, headers=HTMX)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Vote.objects.get().feedback_sent


def test_one_vote_per_reader_and_changing_it_never_double_counts(client):
    guide = make_guide()
    vote(client, "yes")
    vote(client, "yes")
    vote(client, "no")

    assert Vote.objects.filter(guide=guide).count() == 1
    assert Vote.objects.get().helpful is False
    html = client.get("/acme/refund/").content.decode()
    assert "1 reader answered" in html


def test_votes_from_different_readers_are_counted_separately():
    make_guide()
    for helpful in ("yes", "yes", "yes", "no"):
        vote(Client(), helpful)
    html = Client().get("/acme/refund/").content.decode()
    assert "4 readers answered" in html


def test_a_forged_visitor_cookie_is_ignored_and_replaced_on_the_next_page_view(client):
    make_guide()
    client.cookies["visitor"] = "someone-else"
    refused = client.post("/acme/refund/vote/", {"helpful": "yes"}, headers=HTMX)
    assert "did not send back the cookie" in refused.content.decode()
    assert Vote.objects.count() == 0

    visit(client)
    vote(client, "yes")
    assert Vote.objects.get().visitor not in ("", "someone-else")


def test_a_vote_counts_only_from_a_visitor_id_given_on_an_earlier_page_view(client):
    make_guide()
    without_page_view = client.post("/acme/refund/vote/", {"helpful": "yes"})
    assert without_page_view.status_code == 403
    assert "reload the page" in without_page_view.content.decode()
    # The refusal gives no id either: only a page view does.
    assert "visitor" not in without_page_view.cookies
    assert Vote.objects.count() == 0

    visit(client)
    assert client.post("/acme/refund/vote/", {"helpful": "yes"}).status_code == 302
    assert Vote.objects.count() == 1


def test_a_step_answer_counts_only_from_a_reader_given_an_id_by_a_page(client):
    make_guide(steps=3)
    response = client.post("/acme/refund/step/2/answer/", {"worked": "no"}, headers=HTMX)
    assert "did not send back the cookie" in response.content.decode()
    assert StepFeedback.objects.count() == 0


def test_an_unknown_choice_is_rejected_and_stores_nothing(client):
    make_guide()
    response = vote(client, "maybe", **HTMX)
    assert response.status_code == 200
    assert "Please choose Yes or Needs work." in response.content.decode()
    assert Vote.objects.count() == 0


def test_votes_need_a_csrf_token():
    make_guide()
    client = Client(enforce_csrf_checks=True)
    response = vote(client, "yes")
    assert response.status_code == 403
    assert Vote.objects.count() == 0


def test_a_csrf_token_from_the_page_is_accepted():
    make_guide()
    client = Client(enforce_csrf_checks=True)
    client.get("/acme/refund/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/acme/refund/vote/", {"helpful": "yes"}, headers={"X-CSRFToken": token, **HTMX}
    )
    assert response.status_code == 200
    assert Vote.objects.count() == 1


def test_votes_on_drafts_or_missing_guides_are_404(client):
    make_guide(status="draft")
    assert vote(client, "yes").status_code == 404
    assert vote(client, "yes", url="/acme/nope/vote/").status_code == 404
    assert Vote.objects.count() == 0


def test_voting_pages_only_accept_post(client):
    make_guide()
    assert client.get("/acme/refund/vote/").status_code == 405


def test_each_step_answer_is_stored_per_reader_and_can_change(client):
    guide = make_guide(steps=3)
    visit(client, "/acme/refund/step/2/")

    response = client.post("/acme/refund/step/2/answer/", {"worked": "no"}, headers=HTMX)
    assert "Check the step once more" in response.content.decode()
    client.post("/acme/refund/step/2/answer/", {"worked": "yes"})
    visit(Client(), "/acme/refund/step/2/").post("/acme/refund/step/2/answer/", {"worked": "no"})

    step = guide.steps.get(position=2)
    assert StepFeedback.objects.filter(step=step).count() == 2
    assert sorted(StepFeedback.objects.values_list("worked", flat=True)) == [False, True]


def test_a_step_answer_without_javascript_redirects_to_the_step(client):
    make_guide(steps=3)
    visit(client, "/acme/refund/step/2/")
    response = client.post("/acme/refund/step/2/answer/", {"worked": "yes"})
    assert response["Location"] == "/acme/refund/step/2/#step-answer"
    html = client.get("/acme/refund/step/2/").content.decode()
    assert "Great. On to the next step." in html
    assert 'value="yes" aria-pressed="true"' in html


def test_a_step_answer_for_a_missing_step_is_404(client):
    make_guide(steps=3)
    assert client.post("/acme/refund/step/9/answer/", {"worked": "yes"}).status_code == 404

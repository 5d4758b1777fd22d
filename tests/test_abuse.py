import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from guides_site.guides.models import Question, StepFeedback, Vote
from guides_site.settings import env_rate_limits

from .factories import make_guide

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
LIMITS = {"vote": (3, 60), "step_answer": (3, 60), "question": (2, 600), "login": (3, 900)}


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = LIMITS


@pytest.mark.parametrize(
    "url, data, model",
    [
        ("/acme/refund/vote/", {"helpful": "yes"}, Vote),
        ("/acme/refund/step/1/answer/", {"worked": "no"}, StepFeedback),
    ],
)
def test_a_flood_of_answers_from_one_client_gets_a_friendly_429(limits, url, data, model):
    make_guide()
    responses = [Client().post(url, data) for _ in range(5)]

    assert [r.status_code for r in responses] == [302, 302, 302, 429, 429]
    refused = responses[-1]
    assert refused["Retry-After"] == "60"
    assert "Please slow down" in refused.content.decode()
    assert model.objects.count() == 3


def test_over_the_limit_htmx_gets_a_message_it_can_show(limits):
    make_guide()
    for _ in range(3):
        Client().post("/acme/refund/vote/", {"helpful": "yes"}, headers=HTMX)
    response = Client().post("/acme/refund/vote/", {"helpful": "yes"}, headers=HTMX)
    assert response.status_code == 200
    assert "Please wait a minute and try again." in response.content.decode()
    assert Vote.objects.count() == 3


def test_limits_count_each_client_address_separately(limits):
    make_guide()
    for address in ("10.0.0.1", "10.0.0.2"):
        for _ in range(3):
            assert (
                Client(REMOTE_ADDR=address)
                .post("/acme/refund/vote/", {"helpful": "yes"})
                .status_code
                == 302
            )
    assert Vote.objects.count() == 6


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(limits, settings):
    make_guide()
    settings.TRUSTED_PROXIES = ["10.9.9.9"]
    for index in range(4):  # four readers behind our proxy, one vote each
        response = Client(REMOTE_ADDR="10.9.9.9").post(
            "/acme/refund/vote/",
            {"helpful": "yes"},
            headers={"X-Forwarded-For": f"203.0.113.{index}"},
        )
        assert response.status_code == 302
    for _ in range(3):  # a client forging the header from outside counts as itself
        Client(REMOTE_ADDR="198.51.100.7").post(
            "/acme/refund/vote/", {"helpful": "yes"}, headers={"X-Forwarded-For": "1.2.3.4"}
        )
    forged = Client(REMOTE_ADDR="198.51.100.7").post(
        "/acme/refund/vote/", {"helpful": "yes"}, headers={"X-Forwarded-For": "5.6.7.8"}
    )
    assert forged.status_code == 429


def test_questions_are_rate_limited(limits):
    make_guide()
    statuses = [
        Client().post("/acme/refund/ask/", {"text": f"Question number {i}?"}).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Question.objects.count() == 2


def test_a_reader_can_ask_only_so_many_questions_a_day(settings, client):
    settings.QUESTIONS_PER_READER_PER_DAY = 2
    make_guide()
    for index in range(2):
        client.post("/acme/refund/ask/", {"text": f"My question number {index}"})

    response = client.post("/acme/refund/ask/", {"text": "One question too many"}, headers=HTMX)

    assert "You have asked many questions today" in response.content.decode()
    assert 'id="id_text_error"' in response.content.decode()
    assert Question.objects.count() == 2


def test_the_same_question_twice_is_stored_once(client):
    make_guide()
    client.post("/acme/refund/ask/", {"text": "Can I get a refund after a year?"})
    response = client.post(
        "/acme/refund/ask/", {"text": "can i get a refund after a year?"}, headers=HTMX
    )
    assert "Your question was sent" in response.content.decode()
    assert Question.objects.count() == 1


def test_admin_logins_are_rate_limited(limits):
    client = Client()
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "x", "password": "wrong"})
        assert response.status_code == 200  # the form, with its error
    assert client.post("/admin/login/", {"username": "x", "password": "y"}).status_code == 429


def test_rate_limits_are_settings_that_can_be_turned_off():
    default = {"vote": (30, 60), "question": (5, 600)}
    assert env_rate_limits("UNSET_VARIABLE_FOR_TEST", default) == default


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("off", {}),
        ("OFF", {}),
        ("vote=5/10", {"vote": (5, 10), "question": (5, 600)}),
        ("vote=5/10, question=1/60", {"vote": (5, 10), "question": (1, 60)}),
    ],
)
def test_rate_limits_are_read_from_the_environment(monkeypatch, raw, expected):
    monkeypatch.setenv("DJANGO_RATE_LIMITS", raw)
    assert env_rate_limits("DJANGO_RATE_LIMITS", {"vote": (30, 60), "question": (5, 600)}) == (
        expected
    )


@pytest.mark.parametrize("raw", ["vote=5", "votes=5/10", "vote=five/10", "on"])
def test_a_bad_rate_limit_setting_fails_loudly(monkeypatch, raw):
    monkeypatch.setenv("DJANGO_RATE_LIMITS", raw)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_RATE_LIMITS must be 'off' or like"):
        env_rate_limits("DJANGO_RATE_LIMITS", {"vote": (30, 60)})

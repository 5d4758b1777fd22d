import re
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from guides_site.guides.models import StepFeedback, Vote
from guides_site.limits import counters
from guides_site.questions.models import Question
from guides_site.settings import env_rate_limits

from .factories import make_guide, visit

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
LIMITS = {"vote": (3, 60), "step_answer": (3, 60), "question": (2, 600), "login": (3, 900)}
ADDRESS_LIMITS = {"vote": (6, 60), "step_answer": (6, 60), "question": (4, 600)}


@pytest.fixture
def limits(settings, monkeypatch):
    settings.RATE_LIMITS = LIMITS
    settings.ADDRESS_RATE_LIMITS = ADDRESS_LIMITS
    # Counts are kept per fixed window: a test crossing a window's end would see them start
    # again (it happened once in a full run). Each test here runs within one window.
    now = time.time()
    window = counters.window
    monkeypatch.setattr(counters, "window", lambda seconds: window(seconds, now))


def reader(address="10.0.0.1", path="/acme/refund/step/1/", **extra):
    """A reader's browser that has loaded a page of the guide."""
    return visit(Client(REMOTE_ADDR=address, **extra), path)


@pytest.mark.parametrize(
    "url, data, model",
    [
        ("/acme/refund/vote/", {"helpful": "yes"}, Vote),
        ("/acme/refund/step/1/answer/", {"worked": "no"}, StepFeedback),
    ],
)
def test_a_flood_of_answers_from_one_reader_gets_a_friendly_429(limits, url, data, model):
    make_guide()
    flooder = reader()
    responses = [flooder.post(url, data) for _ in range(5)]

    assert [r.status_code for r in responses] == [302, 302, 302, 429, 429]
    refused = responses[-1]
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "a lot of answers from your connection" in refused.content.decode()
    assert model.objects.count() == 1  # one reader, one row, changed three times


def test_over_the_limit_htmx_gets_a_message_it_can_show(limits):
    make_guide()
    flooder = reader()
    for _ in range(3):
        flooder.post("/acme/refund/vote/", {"helpful": "yes"}, headers=HTMX)
    response = flooder.post("/acme/refund/vote/", {"helpful": "no"}, headers=HTMX)
    assert response.status_code == 200
    assert "Please wait a minute and try again." in response.content.decode()
    assert Vote.objects.get().helpful is True


def test_invalid_answers_are_not_strikes(limits):
    make_guide()
    careless = reader()
    for _ in range(10):
        response = careless.post("/acme/refund/vote/", {"helpful": "maybe"}, headers=HTMX)
        assert "Please choose Yes or Needs work." in response.content.decode()
    assert careless.post("/acme/refund/vote/", {"helpful": "yes"}).status_code == 302
    assert Vote.objects.count() == 1


def test_readers_sharing_an_address_each_have_their_own_limit_under_a_looser_one(limits):
    make_guide()
    readers = [reader() for _ in range(3)]
    statuses = [r.post("/acme/refund/vote/", {"helpful": "yes"}).status_code for r in readers]
    statuses += [r.post("/acme/refund/vote/", {"helpful": "no"}).status_code for r in readers]
    # Six answers from one address is its limit: a seventh waits, whoever sends it.
    statuses.append(readers[0].post("/acme/refund/vote/", {"helpful": "yes"}).status_code)

    assert statuses == [302] * 6 + [429]
    assert Vote.objects.count() == 3


def test_an_ipv6_client_counts_as_its_whole_64(limits):
    make_guide()
    statuses = []
    for host in range(8):
        client = reader(address=f"2001:db8:1:2::{host + 1:x}")
        statuses.append(client.post("/acme/refund/vote/", {"helpful": "yes"}).status_code)
    assert statuses == [302] * 6 + [429, 429]


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(limits, settings):
    make_guide()
    settings.TRUSTED_PROXIES = ["10.9.9.9"]
    for index in range(8):  # eight readers behind our proxy, one vote each
        behind = reader(address="10.9.9.9", HTTP_X_FORWARDED_FOR=f"203.0.113.{index}")
        assert behind.post("/acme/refund/vote/", {"helpful": "yes"}).status_code == 302
    # Clients forging the header from outside count as their own address.
    statuses = [
        reader(address="198.51.100.7", HTTP_X_FORWARDED_FOR=f"1.2.3.{index}")
        .post("/acme/refund/vote/", {"helpful": "yes"})
        .status_code
        for index in range(7)
    ]
    assert statuses == [302] * 6 + [429]


def test_new_votes_on_a_guide_are_capped_per_network_per_day(settings):
    settings.RATE_LIMITS = {"vote": (100, 60)}
    settings.ADDRESS_RATE_LIMITS = {"vote": (100, 60)}
    settings.VOTES_PER_NETWORK_PER_GUIDE_PER_DAY = 3
    guide = make_guide()
    other = make_guide(slug="cancel", company=guide.company)
    voters = [reader(address=f"198.51.100.{host}") for host in range(1, 5)]
    statuses = [v.post("/acme/refund/vote/", {"helpful": "yes"}).status_code for v in voters]

    assert statuses == [302, 302, 302, 429]
    refused = voters[3].post("/acme/refund/vote/", {"helpful": "yes"}, headers=HTMX)
    assert "Many readers on your network" in refused.content.decode()
    # Readers already counted may change their minds; another network and another guide
    # are not affected; the counts stay exact.
    assert voters[0].post("/acme/refund/vote/", {"helpful": "no"}).status_code == 302
    elsewhere = reader(address="203.0.113.9")
    assert elsewhere.post("/acme/refund/vote/", {"helpful": "yes"}).status_code == 302
    assert voters[3].post("/acme/cancel/vote/", {"helpful": "yes"}).status_code == 302
    guide.refresh_from_db()
    assert (guide.votes_yes, guide.votes_total) == (3, 4)
    assert other.votes.count() == 1


def test_twelve_questions_from_four_readers_on_one_address_are_all_accepted(settings):
    settings.RATE_LIMITS = {"question": (5, 600)}
    settings.ADDRESS_RATE_LIMITS = {"question": (30, 600)}
    make_guide()
    readers = [reader(path="/acme/refund/") for _ in range(4)]
    for number in range(3):
        for index, client in enumerate(readers):
            text = f"Reader {index} asks question number {number}?"
            assert client.post("/acme/refund/ask/", {"text": text}).status_code == 302
    assert Question.objects.count() == 12

    flooder = reader(path="/acme/refund/")
    for number in range(5):
        flooder.post("/acme/refund/ask/", {"text": f"Flooding question number {number}"})
    refused = flooder.post("/acme/refund/ask/", {"text": "My sixth question, please keep it"})

    assert refused.status_code == 429
    html = refused.content.decode()
    assert "My sixth question, please keep it" in html  # what they typed is still there
    assert re.search(r"send it again in \d+ minutes?", html)
    assert Question.objects.count() == 17


def test_a_refused_question_sent_with_htmx_keeps_its_text(limits):
    make_guide()
    asker = reader(path="/acme/refund/")
    for number in range(2):
        asker.post("/acme/refund/ask/", {"text": f"Question number {number}?"})
    response = asker.post("/acme/refund/ask/", {"text": "A third one, kept"}, headers=HTMX)
    assert response.status_code == 200
    assert "A third one, kept" in response.content.decode()
    assert "several questions in a short time" in response.content.decode()
    assert Question.objects.count() == 2


def test_empty_or_invalid_questions_are_not_strikes(limits):
    make_guide()
    asker = reader(path="/acme/refund/")
    for _ in range(5):
        assert asker.post("/acme/refund/ask/", {"text": ""}).status_code == 200
        assert asker.post("/acme/refund/ask/", {"text": "short"}).status_code == 200
    assert asker.post("/acme/refund/ask/", {"text": "A real question at last?"}).status_code == 302


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

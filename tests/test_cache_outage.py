"""The cache fails open: with Redis stopped or hung, pages come from the database, votes
and questions are recorded and editors log in, each request within a few seconds; the
outage is logged once per interval, not once per request. Real gunicorn, and a real
redis-server of the test's own on a free port."""

import pytest
from django.contrib.auth.models import User

from guides_site.guides.models import Vote
from guides_site.questions.models import Question

from .factories import make_guide
from .servers import Browser, gunicorn, redis_server

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = "/acme/refund/"
# Each cache call gives up within CACHE_TIMEOUT_SECONDS (0.25 s); a page makes a few.
SLOWEST_ACCEPTABLE = 3.0
HTMX = {"HX-Request": "true"}


@pytest.fixture
def site(tmp_path):
    """(server, redis): gunicorn with production settings and its rate limits on, caching
    in a Redis of its own."""
    make_guide()
    User.objects.create_superuser("editor", "editor@example.com", "a-long-pass-phrase")
    with (
        redis_server(tmp_path) as redis,
        gunicorn(
            tmp_path,
            workers=2,
            threads=4,
            REDIS_URL=redis.url,
            DJANGO_RATE_LIMITS="vote=30/60",  # the defaults: limits on, counted in Redis
        ) as server,
    ):
        yield server, redis


def use_the_site(server, number):
    """What readers and an editor do: [(what, status, seconds)]."""
    done = []
    reader = Browser(server)
    status, _h, html, seconds = reader.get(GUIDE)
    done.append(("first visit", status, seconds))
    assert "How to get a refund" in html
    status, _h, html, seconds = reader.post(GUIDE + "vote/", {"helpful": "yes"}, HTMX)
    done.append(("vote", status, seconds))
    assert "Thanks, and please share!" in html
    status, _h, html, seconds = reader.get(GUIDE)
    done.append(("page with cookies", status, seconds))
    assert "answered" in html or "found this helpful" in html
    status, _h, html, seconds = reader.post(
        GUIDE + "ask/", {"text": f"Does this work in outage number {number}?"}, HTMX
    )
    done.append(("question", status, seconds))
    assert "Your question was sent" in html
    for path in ("/", "/acme/", "/robots.txt", "/sitemap.xml", "/fr/"):
        status, _h, _body, seconds = Browser(server).get(path)
        done.append((path, status, seconds))
    editor = Browser(server)
    editor.get("/admin/login/")
    status, headers, _body, seconds = editor.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "a-long-pass-phrase"}
    )
    done.append(("admin login", status, seconds))
    assert status == 302 and dict(headers)["Location"] == "/admin/"
    status, _h, _body, seconds = editor.get("/admin/")
    done.append(("admin home", status, seconds))
    return done


def assert_served_in_time(done):
    assert [(what, status) for what, status, _s in done if status >= 500] == []
    slow = [(what, round(seconds, 2)) for what, _st, seconds in done]
    assert max(seconds for *_, seconds in done) < SLOWEST_ACCEPTABLE, slow


def test_with_redis_up_everything_works(site):
    server, _redis = site
    assert_served_in_time(use_the_site(server, 0))
    assert Vote.objects.count() == 1


@pytest.mark.parametrize("outage", ["stopped", "hung"])
def test_during_a_redis_outage_the_site_serves_records_and_logs_in(site, outage):
    server, redis = site
    use_the_site(server, 0)  # pages cached in Redis, then Redis goes away
    getattr(redis, {"stopped": "stop", "hung": "hang"}[outage])()

    done = []
    for number in range(1, 4):
        done += use_the_site(server, number)

    assert_served_in_time(done)
    assert Vote.objects.count() == 4
    assert Question.objects.count() == 4
    log = server.log()
    assert "Traceback" not in log
    # Once per interval per process, not once per request (dozens of cache calls failed).
    outage_lines = [
        line
        for line in log.splitlines()
        if "guides_site.cache" in line or "guides_site.limits" in line
    ]
    assert 1 <= len(outage_lines) <= 2 * 2, outage_lines  # two workers, two loggers at most


def test_after_an_outage_redis_is_used_again(site):
    server, redis = site
    redis.hang()
    use_the_site(server, 1)
    redis.resume()
    assert_served_in_time(use_the_site(server, 2))
    assert Vote.objects.count() == 2

"""/healthz and /readyz for load balancers, and a 503 page while the database is unreachable."""

import json
import re

import pytest
from django.db import connection

from guides_site.operations import health

from .servers import free_port, gunicorn

pytestmark = pytest.mark.django_db
# Behind the TLS-terminating proxy, as in production; probes come to the server directly.
FROM_THE_PROXY = {"X-Forwarded-Proto": "https"}
PROBE = {"Host": "10.1.2.3:8000"}


def header(headers, name):
    return [value for key, value in headers if key.lower() == name.lower()]


def unreachable_database(tmp_path):
    """Settings for a database that cannot be reached, of the kind the test run uses."""
    if connection.vendor == "postgresql":
        return {"DATABASE_URL": f"postgres://guides@127.0.0.1:{free_port()}/guides"}
    return {"SQLITE_PATH": str(tmp_path / "no-such-directory" / "db.sqlite3")}


def test_healthz_answers_without_the_database_or_a_cookie(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert not response.cookies


def test_readyz_names_each_check_and_answers_200_when_all_pass(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}
    assert not response.cookies


def test_readyz_answers_503_when_the_cache_loses_what_it_was_given(client, monkeypatch):
    # What a fail-open Redis cache does while Redis is down: every get is a miss.
    monkeypatch.setattr(health.cache, "get", lambda key, default=None: default)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "cache": "unavailable"}


def test_probes_pass_the_https_redirect_and_the_host_check(tmp_path):
    with gunicorn(tmp_path, DJANGO_HTTPS="true") as server:
        for path in ("/healthz", "/readyz"):
            status, headers, _ = server.get(path, PROBE)
            assert status == 200, path
            assert not header(headers, "Set-Cookie"), path
        # Any other page is still redirected to HTTPS, and a wrong Host still refused.
        assert server.get("/acme/refund/")[0] == 301
        assert server.get("/acme/refund/", {**PROBE, **FROM_THE_PROXY})[0] == 400


def test_readyz_fails_while_redis_is_down(tmp_path):
    with gunicorn(tmp_path, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0") as server:
        status, _, body = server.get("/readyz")
    assert status == 503
    assert json.loads(body) == {"database": "ok", "cache": "unavailable"}


def test_while_the_database_is_unreachable_pages_ask_readers_to_come_back(tmp_path):
    with gunicorn(tmp_path, DJANGO_HTTPS="true", **unreachable_database(tmp_path)) as server:
        status, _, body = server.get("/readyz", PROBE)
        assert status == 503
        assert json.loads(body) == {"database": "unavailable", "cache": "ok"}
        assert server.get("/healthz", PROBE)[0] == 200

        before = len(server.log())
        # A first visit, answered ahead of most middleware, and a request with a cookie, which
        # goes through the whole stack.
        for cookies in ({}, {"Cookie": "seen=1"}):
            status, headers, body = server.get("/acme/refund/", {**FROM_THE_PROXY, **cookies})
            assert status == 503
            assert header(headers, "Retry-After") == ["30"]
            assert not header(headers, "Set-Cookie")
            assert "unavailable for a moment" in body
        status, _, body = server.get("/fr/acme/refund/", FROM_THE_PROXY)
        assert status == 503
        assert "indisponibles pour un moment" in body
        lines = server.log_lines(since=before)

    # One line for each, without the traceback.
    assert len(lines) == 3
    for line in lines:
        assert re.search(
            r" ERROR django.request \[req=\w+\] Service Unavailable \(database: ", line
        )

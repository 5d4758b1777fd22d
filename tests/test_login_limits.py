"""Failed admin logins are limited per username and per address, in the database, so the
limit holds across every worker of every server (django-axes)."""

import http.client
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client

from .servers import gunicorn

LOGIN = "/admin/login/?next=/admin/"


def try_login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def login_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


@pytest.mark.django_db
def test_a_wrong_password_shows_the_form_until_the_limit_then_a_friendly_429(login_limit):
    User.objects.create_superuser("editor", "e@example.com", "right-password-1")
    client = Client()
    for _ in range(2):
        response = try_login(client, "editor", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    assert try_login(client, "editor", "wrong").status_code == 429  # the third failure

    locked = try_login(client, "editor", "right-password-1")
    assert locked.status_code == 429
    assert "Please slow down" in locked.content.decode()
    assert int(locked["Retry-After"]) == 900


@pytest.mark.django_db
def test_one_username_is_locked_whatever_address_the_guesses_come_from(login_limit):
    User.objects.create_superuser("editor", "e@example.com", "right-password-1")
    for host in range(3):
        try_login(Client(REMOTE_ADDR=f"203.0.113.{host}"), "editor", "wrong")
    assert try_login(Client(REMOTE_ADDR="198.51.100.1"), "editor", "wrong").status_code == 429
    # Another editor, from another address, still logs in.
    User.objects.create_superuser("other", "o@example.com", "right-password-2")
    response = try_login(Client(REMOTE_ADDR="198.51.100.2"), "other", "right-password-2")
    assert response.status_code == 302


@pytest.mark.django_db
def test_one_address_is_locked_whatever_usernames_it_tries(login_limit):
    for name in ("alice", "bob", "carol"):
        try_login(Client(REMOTE_ADDR="203.0.113.5"), name, "wrong")
    assert try_login(Client(REMOTE_ADDR="203.0.113.5"), "dave", "wrong").status_code == 429


@pytest.mark.django_db
def test_a_successful_login_clears_the_failures(login_limit):
    User.objects.create_superuser("editor", "e@example.com", "right-password-1")
    client = Client()
    for _ in range(2):
        try_login(client, "editor", "wrong")
    assert try_login(client, "editor", "right-password-1").status_code == 302
    client.logout()
    for _ in range(2):
        assert try_login(client, "editor", "wrong").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_limit_holds_across_four_workers_without_redis(tmp_path, settings):
    if settings.REDIS_URL:
        pytest.skip("this test is about servers without Redis; CI runs it on SQLite first")
    User.objects.create_superuser("editor", "e@example.com", "right-password-1")
    with gunicorn(tmp_path, workers=4, threads=2, DJANGO_RATE_LIMITS="login=10/900") as server:

        def guess(number):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            connection.request("GET", LOGIN)
            page = connection.getresponse()
            body = page.read().decode()
            cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie")).group(1)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            form = {"csrfmiddlewaretoken": token, "username": "editor", "password": f"no{number}"}
            connection.request(
                "POST",
                LOGIN,
                body=urlencode(form),
                headers={
                    "Cookie": f"csrftoken={cookie}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            status = connection.getresponse().status
            connection.close()
            return status

        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(guess, range(40)))

    assert statuses.count(200) <= 10  # at most the limit of guesses were checked
    assert statuses.count(429) >= 30
    assert set(statuses) == {200, 429}

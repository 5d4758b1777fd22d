"""Kept database connections are checked when reused after being idle, not on every
request; one that no longer answers is replaced."""

import time

import pytest
from django.db import connection

from guides_site.operations.connections import check_idle_connections, note_request_finished

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def checks(monkeypatch):
    """Records each health check; the connection answers as `answers[0]` says."""
    done, answers = [], [True]

    def is_usable():
        done.append(True)
        return answers[0]

    connection.ensure_connection()
    monkeypatch.setattr(connection, "is_usable", is_usable)
    return done, answers


def test_a_connection_used_moments_ago_is_not_checked(checks):
    done, _answers = checks
    note_request_finished()
    check_idle_connections()
    assert done == [] and connection.connection is not None


def test_an_idle_connection_that_still_answers_is_kept(checks, settings):
    done, _answers = checks
    connection.last_request_finished = time.monotonic() - settings.DATABASE_IDLE_CHECK_SECONDS - 1
    check_idle_connections()
    assert done == [True] and connection.connection is not None


def test_an_idle_connection_that_no_longer_answers_is_replaced(checks, settings):
    done, answers = checks
    answers[0] = False
    connection.last_request_finished = time.monotonic() - settings.DATABASE_IDLE_CHECK_SECONDS - 1
    check_idle_connections()
    assert done == [True] and connection.connection is None
    with connection.cursor() as cursor:  # the next query opens a new connection
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)

"""The one query of a cached guide page: prepared once per connection on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .factories import make_guide

pytestmark = pytest.mark.django_db(transaction=True)


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


def test_a_cached_guide_page_reads_the_database_once(client):
    guide = make_guide()
    client.get(guide.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        assert client.get(guide.get_absolute_url()).status_code == 200

    assert len(queries) == 1


def test_on_postgresql_the_state_query_is_prepared_once_per_connection(client):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's; SQLite runs in the process")
    guide = make_guide()
    for _ in range(3):
        assert client.get(guide.get_absolute_url()).status_code == 200

    states = [sql for sql in prepared_statements() if "vote.visitor" in sql]
    assert len(states) == 1


def test_the_page_still_answers_on_a_new_connection(client):
    guide = make_guide()
    assert client.get(guide.get_absolute_url()).status_code == 200
    connection.close()  # as after a restart of the database, or an idle check

    assert client.get(guide.get_absolute_url()).status_code == 200

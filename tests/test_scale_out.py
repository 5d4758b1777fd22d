"""Two app servers, one database, one cache: what one does, the other shows at once.

In CI's second pass this runs against PostgreSQL and Redis. On SQLite each server has its
own local-memory cache, which proves that no cache can serve a stale page: cached pages are
keyed by versions read from the database.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from .factories import acme_tree, write_tree
from .servers import csrf_headers, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = "/acme/refund/"


def stats(server):
    body = server.get(GUIDE)[2]
    return body.split('class="vote-stats muted">')[1].split("</p>")[0]


def test_a_vote_through_one_server_is_counted_on_the_other(tmp_path):
    call_command("import_content", str(acme_tree(tmp_path / "content")), stdout=StringIO())
    with gunicorn(tmp_path) as first, gunicorn(tmp_path) as second:
        assert "No votes yet" in stats(first) and "No votes yet" in stats(second)

        status, _, _ = first.request(
            "POST", GUIDE + "vote/", "helpful=yes", csrf_headers(first, GUIDE)
        )
        assert status == 302

        assert stats(second) == "1 reader answered"
        status, _, _ = second.request(
            "POST", GUIDE + "vote/", "helpful=no", csrf_headers(second, GUIDE)
        )
        assert stats(first) == "2 readers answered"


def test_an_import_invalidates_the_cached_pages_of_both_servers(tmp_path):
    content = acme_tree(tmp_path / "content")
    call_command("import_content", str(content), stdout=StringIO())
    with gunicorn(tmp_path) as first, gunicorn(tmp_path) as second:
        for server in (first, second):  # both have the page cached now
            assert "Open <strong>Billing</strong>." in server.get(GUIDE)[2]
            assert "Open <strong>Billing</strong>." in server.get(GUIDE)[2]

        text = (content / "acme/refund.md").read_text()
        write_tree(content, {"acme/refund.md": text.replace("**Billing**", "**Payments**")})
        call_command("import_content", str(content), stdout=StringIO())

        for server in (first, second):
            page = server.get(GUIDE)[2]
            assert "Open <strong>Payments</strong>." in page
            assert "Billing" not in page

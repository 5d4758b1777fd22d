"""Two app servers, one database, one cache: what one does, the other shows at once.

In CI's second pass this runs against PostgreSQL and Redis. On SQLite each server has its
own local-memory cache, which proves that no cache can serve a stale page: cached pages are
keyed by versions read from the database.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from guides_site.guides.models import Guide, Step

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


def test_an_edit_and_unpublishing_elsewhere_show_at_once_on_both_servers(tmp_path):
    """New and returning readers, and searches, on both servers: each has kept its pages and
    results; an editor's change made elsewhere (here, the test's own process) shows at once."""
    call_command("import_content", str(acme_tree(tmp_path / "content")), stdout=StringIO())
    with gunicorn(tmp_path) as first, gunicorn(tmp_path) as second:
        servers = (first, second)
        returning = {server: csrf_headers(server, GUIDE)["Cookie"] for server in servers}

        def pages(server):
            """The page to a new reader, then to a returning one."""
            return [server.get(GUIDE), server.get(GUIDE, headers={"Cookie": returning[server]})]

        def found(server, words):
            return f'href="{GUIDE}"' in server.get(f"/search/?q={words}")[2]

        for server in servers:
            for _round in range(2):  # the second time from what each server kept
                assert all("Open <strong>Billing</strong>." in body for _, _, body in pages(server))
                assert found(server, "billing")

        step = Step.objects.get(guide__slug="refund", guide__language="en", position=2)
        step.body_md = step.body_md.replace("**Billing**", "**Payments**")
        step.save()
        for server in servers:
            assert all("Open <strong>Payments</strong>." in body for _, _, body in pages(server))
            assert found(server, "payments")

        guide = Guide.objects.get(slug="refund", language="en")
        guide.status = Guide.Status.DRAFT
        guide.save()
        for server in servers:
            assert [status for status, _, _ in pages(server)] == [404, 404]
            assert not found(server, "payments")

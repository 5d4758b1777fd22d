"""A reader without cookies, or with only the CSRF cookie and their visitor id, gets the guide
page ahead of most middleware (GuidePageMiddleware): the same page, headers and CSRF
protection as through the whole stack, never a stale one."""

import re

import pytest
from django.db import connection
from django.test import Client

from guides_site.contacts.models import ContactChannel
from guides_site.guides import guide_page, page_cache, view_counts
from guides_site.guides.models import Guide, Step, Vote

from .factories import add_votes, make_guide, visit

pytestmark = pytest.mark.django_db

GUIDE = "/acme/refund/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HTMX_TOKEN = re.compile(r'"x-csrftoken": "([^"]+)"')


@pytest.fixture
def fast_path(monkeypatch):
    """Records, for each request that found a page kept at its address, whether the kept
    page answered it."""
    answered = []
    original = guide_page.kept_response

    def recorded(request):
        kept = page_cache.first_visit_page(request, release=guide_page.RELEASE)
        response = original(request)
        if kept is not None:
            answered.append(response is not None)
        return response

    monkeypatch.setattr(guide_page, "kept_response", recorded)
    return answered


def new_reader(path=GUIDE, **headers):
    return Client(enforce_csrf_checks=True).get(path, headers=headers)


def without_reader_parts(response):
    """The page and headers but for what each reader gets of their own."""
    html = HTMX_TOKEN.sub("TOKEN", TOKEN.sub("TOKEN", response.content.decode()))
    html = re.sub(r"Viewed [\d,]+ times?", "Viewed N times", html)
    headers = {k: v for k, v in response.items() if k not in ("Content-Length", "X-Request-ID")}
    return html, headers


def test_a_new_reader_gets_the_page_and_headers_the_whole_stack_gives(fast_path):
    make_guide()
    through_the_stack = new_reader()
    served_early = new_reader()

    assert fast_path == [True]
    assert served_early.status_code == 200
    assert without_reader_parts(served_early) == without_reader_parts(through_the_stack)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "ETag"):
        assert served_early[header]
    assert served_early["Cache-Control"] == "private, no-cache"
    assert int(served_early["Content-Length"]) == len(served_early.content)


def test_each_new_reader_gets_a_csrf_cookie_and_token_of_their_own_that_let_them_vote(fast_path):
    make_guide()
    new_reader()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [client.get(GUIDE) for client in (first, second)]

    assert fast_path == [True, True]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "HttpOnly" in str(first.cookies["csrftoken"])
    tokens = [TOKEN.search(page.content.decode()).group(1) for page in pages]
    assert tokens[0] != tokens[1]

    response = first.post(GUIDE + "vote/", {"helpful": "yes", "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    assert second.post(GUIDE + "vote/", {"helpful": "no"}).status_code == 403
    assert list(Vote.objects.values_list("helpful", flat=True)) == [True]


def test_a_new_vote_shows_at_once_to_the_next_new_reader(fast_path):
    guide = make_guide()
    new_reader()
    add_votes(guide, yes=3, no=1)

    assert "4 readers answered" in new_reader().content.decode()
    assert "4 readers answered" in new_reader().content.decode()
    assert fast_path == [False, True]


def test_an_edit_shows_at_once_to_the_next_new_reader(fast_path):
    guide = make_guide()
    new_reader()
    step = guide.steps.get(position=1)
    step.body_md = "Open the **new** billing page."
    step.save()

    assert "Open the <strong>new</strong> billing page." in new_reader().content.decode()
    assert fast_path == [False]


def test_an_unpublished_guide_is_gone_at_once_for_new_readers(fast_path):
    guide = make_guide()
    new_reader()
    Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.DRAFT)

    assert new_reader().status_code == 404
    assert fast_path == [False]


def test_a_change_to_the_company_shows_at_once_to_the_next_new_reader(fast_path):
    guide = make_guide()
    new_reader()
    company = guide.company
    company.name = "Acme Renamed"
    company.save()

    assert "Acme Renamed" in new_reader().content.decode()
    assert fast_path == [False]


def test_a_new_contact_channel_shows_at_once_to_the_next_new_reader(fast_path):
    guide = make_guide()
    new_reader()
    ContactChannel.objects.create(company=guide.company, kind="phone", value="0800123")

    assert 'href="tel:0800123"' in new_reader().content.decode()
    assert fast_path == [False]


def test_a_company_s_new_address_leaves_its_old_one_at_once_for_new_readers(fast_path):
    guide = make_guide()
    new_reader()
    company = guide.company
    company.slug = "acme-corp"
    company.save()

    assert new_reader().status_code == 404
    assert new_reader("/acme-corp/refund/").status_code == 200
    assert fast_path == [False]


def test_a_new_reader_s_kept_page_is_checked_on_the_guide_s_row_alone(fast_path):
    make_guide()
    new_reader()

    executed = []

    def record(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert new_reader().status_code == 200

    assert fast_path == [True]
    assert len(executed) == 1
    assert "JOIN" not in executed[0].upper()


def test_each_new_reader_is_counted_once_but_bots_are_not(fast_path):
    guide = make_guide(view_count=110)
    pages = [new_reader().content.decode() for _ in range(3)]
    bot = new_reader(user_agent="Mozilla/5.0 (compatible; Googlebot/2.1)").content.decode()

    assert fast_path == [True, True, True]  # all but the first, which kept the page
    assert "Viewed 111 times" in pages[0]
    assert "Viewed 113 times" in pages[2]
    assert "Viewed 113 times" in bot
    view_counts.flush()
    guide.refresh_from_db()
    assert guide.view_count == 113


def test_a_french_page_is_served_in_french(fast_path):
    guide = make_guide(
        language="fr", slug="remboursement", title="Se faire rembourser", view_count=100
    )
    Step.objects.filter(guide=guide).update(body_md="Faites-le.", body_html="<p>Faites-le.</p>")
    new_reader("/fr/acme/remboursement/")
    response = new_reader("/fr/acme/remboursement/")

    assert fast_path == [True]
    assert response["Content-Language"] == "fr"
    assert '<html lang="fr"' in response.content.decode()
    assert "Consulté 102 fois" in response.content.decode()


def test_other_cookies_queries_or_htmx_go_through_the_whole_stack(fast_path, admin_client):
    make_guide()
    new_reader()
    reader = visit(Client(), GUIDE)
    reader.cookies["django_language"] = "fr"

    assert reader.get(GUIDE).status_code == 200
    assert admin_client.get(GUIDE).status_code == 200  # an editor's session
    assert new_reader(GUIDE + "?utm_source=search").status_code == 200
    assert new_reader(hx_request="true").status_code == 200
    assert Client().head(GUIDE).status_code == 200
    assert fast_path == [True]  # the reader's own first page view, without cookies


def test_a_returning_reader_gets_the_page_and_headers_the_whole_stack_gives(fast_path, settings):
    make_guide()
    reader = visit(Client(enforce_csrf_checks=True), GUIDE)
    served_early = reader.get(GUIDE)
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.endswith("GuidePageMiddleware")]
    same_reader = Client(enforce_csrf_checks=True)  # a client loads the middleware once
    same_reader.cookies = reader.cookies
    through_the_stack = same_reader.get(GUIDE)

    assert fast_path == [True]
    assert without_reader_parts(served_early) == without_reader_parts(through_the_stack)
    assert served_early["ETag"] == through_the_stack["ETag"]
    assert served_early.cookies["csrftoken"].value == through_the_stack.cookies["csrftoken"].value
    assert int(served_early["Content-Length"]) == len(served_early.content)


def test_a_returning_reader_keeps_their_csrf_secret_and_visitor_id_and_can_vote(fast_path):
    make_guide()
    reader = visit(Client(enforce_csrf_checks=True), GUIDE)
    secret, visitor = reader.cookies["csrftoken"].value, reader.cookies["visitor"].value
    page = reader.get(GUIDE)
    token = TOKEN.search(page.content.decode()).group(1)

    assert fast_path == [True]
    assert page.cookies["csrftoken"].value == secret  # renewed, as Django does
    assert "visitor" not in page.cookies
    assert (
        reader.post(GUIDE + "vote/", {"helpful": "yes", "csrfmiddlewaretoken": token}).status_code
        == 302
    )
    assert list(Vote.objects.values_list("helpful", "visitor")) == [
        (True, Vote.objects.get().visitor)
    ]
    assert reader.cookies["visitor"].value == visitor


def test_a_reader_who_voted_sees_their_own_vote_box_from_the_cached_parts(fast_path):
    make_guide()
    voter = visit(Client(), GUIDE)
    voter.post(GUIDE + "vote/", {"helpful": "yes"})
    pages = [voter.get(GUIDE).content.decode() for _ in range(2)]

    assert fast_path == [False, True]  # their vote box was not cached yet, then it was
    assert all("Thanks, and please share!" in page for page in pages)
    assert "Thanks, and please share!" not in new_reader().content.decode()


def test_a_new_vote_or_an_edit_shows_at_once_to_a_returning_reader(fast_path):
    guide = make_guide()
    reader = visit(Client(), GUIDE)
    reader.get(GUIDE)
    add_votes(guide, yes=3, no=1)
    assert "4 readers answered" in reader.get(GUIDE).content.decode()

    step = guide.steps.get(position=1)
    step.body_md = "Open the **new** billing page."
    step.save()
    assert "Open the <strong>new</strong> billing page." in reader.get(GUIDE).content.decode()
    assert fast_path == [True, False, False]


def test_a_malformed_csrf_cookie_is_replaced_as_django_does(fast_path):
    make_guide()
    new_reader()
    reader = Client(enforce_csrf_checks=True)
    reader.cookies["csrftoken"] = "not a token"
    page = reader.get(GUIDE)
    token = TOKEN.search(page.content.decode()).group(1)

    assert fast_path == [True]
    assert page.cookies["csrftoken"].value != "not a token"
    assert (
        reader.post(GUIDE + "vote/", {"helpful": "yes", "csrfmiddlewaretoken": token}).status_code
        == 302
    )


def test_each_new_reader_is_given_a_visitor_id_of_their_own_and_can_vote(fast_path):
    make_guide()
    new_reader()
    readers = [Client() for _ in range(2)]
    ids = {reader.get(GUIDE).cookies["visitor"].value for reader in readers}
    for reader in readers:
        assert reader.post(GUIDE + "vote/", {"helpful": "yes"}).status_code == 302

    assert fast_path == [True, True]
    assert len(ids) == 2
    assert Vote.objects.count() == 2


def test_plain_http_is_still_sent_to_https_and_unknown_hosts_refused(settings, fast_path):
    make_guide()
    new_reader()
    settings.SECURE_SSL_REDIRECT = True
    response = new_reader()
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/acme/refund/"

    settings.SECURE_SSL_REDIRECT = False
    stranger = Client(HTTP_HOST="evil.example", raise_request_exception=False)
    assert stranger.get(GUIDE).status_code == 400
    assert fast_path == []

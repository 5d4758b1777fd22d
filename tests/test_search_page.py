"""The search page, /search/ and /fr/search/: results in the reader's language, the htmx
fragment, pagination, refusals, and the search box in every page's header."""

import re

import pytest

from guides_site.guides.models import Step
from guides_site.search import index
from guides_site.search.models import MissedSearch

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides():
    amazon = make_company("amazon", "Amazon")
    english = make_guide(
        amazon, slug="return", title="How to return an item", summary="Send it back."
    )
    Step.objects.create(
        guide=english, position=4, body_md="Open **Your Orders** and pick the item."
    )
    make_guide(amazon, slug="return", title="Comment retourner un article", language="fr")
    index.flush()
    return english


def test_the_search_page_lists_guides_with_the_words_marked(client, guides):
    html = client.get("/search/?q=return+orders").content.decode()

    assert 'href="/amazon/return/"' in html
    assert "How to <mark>return</mark> an item" in html
    assert 'href="/amazon/return/step/4/">Step 4</a>' in html
    assert "Your <mark>Orders</mark>" in html
    assert re.search(r'role="status">\s*1 guide found', html)
    assert "Comment retourner" not in html


def test_the_french_search_page_shows_french_guides_only(client, guides):
    html = client.get("/fr/search/?q=retourner").content.decode()

    assert 'href="/fr/amazon/return/"' in html
    assert "How to return" not in html
    assert '<html lang="fr">' in html


def test_htmx_gets_the_results_fragment_and_the_response_varies_on_it(client, guides):
    full = client.get("/search/?q=return")
    fragment = client.get("/search/?q=return", HTTP_HX_REQUEST="true")

    assert "HX-Request" in full["Vary"] and "HX-Request" in fragment["Vary"]
    assert b"<html" in full.content
    assert b"<html" not in fragment.content
    assert b'hx-swap-oob="innerHTML"' in fragment.content
    assert b"How to <mark>return</mark> an item" in fragment.content


def test_while_a_reader_types_the_last_word_counts_as_its_start(client, guides):
    # htmx from the search box (not the form's submit): "ord" may become "orders".
    typing = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "search-form-q"}
    fragment = client.get("/search/?q=return+ord", **typing).content.decode()
    assert 'href="/amazon/return/"' in fragment
    alone = client.get("/search/?q=retu", **typing).content.decode()
    assert 'href="/amazon/return/"' in alone


def test_results_are_paginated(client):
    company = make_company("amazon", "Amazon")
    for number in range(12):
        make_guide(company, slug=f"refund-{number}", title=f"Refund number {number}")
    index.flush()

    first = client.get("/search/?q=refund").content.decode()
    second = client.get("/search/?q=refund&page=2").content.decode()

    assert first.count('class="search-result"') == 10
    assert second.count('class="search-result"') == 2
    assert 'rel="next" href="?q=refund&amp;page=2"' in first
    assert "12 guides found · page 2 of 2" in second
    assert client.get("/search/?q=refund&page=3").status_code == 404
    assert client.get("/search/?q=refund&page=x").status_code == 400


def test_no_results_offer_the_closest_company_and_the_question_form(client, guides):
    html = client.get("/search/?q=amazzzon+teleportation").content.decode()

    assert "No guide found" in html
    assert "We have no guide for “amazzzon teleportation” yet." in html
    assert 'href="/amazon/">Amazon</a>' in html
    assert "ask us a question" in html


def test_html_in_a_query_is_shown_as_text(client, guides):
    html = client.get("/search/?q=%3Cscript%3Ealert(1)%3C/script%3E").content.decode()
    body = html.split("<body", 1)[1]

    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("query", ["a" * 5000, "refund%00", "%00"])
def test_huge_queries_and_nul_are_refused_with_a_400(client, guides, query):
    response = client.get(f"/search/?q={query}")

    assert response.status_code == 400
    assert b"We could not run that search" in response.content
    assert not MissedSearch.objects.exists()


@pytest.mark.parametrize("path", ["/", "/amazon/", "/amazon/return/", "/fr/", "/about/"])
def test_every_page_has_a_search_box_in_its_header(client, guides, path):
    html = client.get(path).content.decode()
    header = html.split("<header", 1)[1].split("</header>", 1)[0]

    form = re.search(r'<form class="header-search" role="search"[^>]*>', header).group(0)
    search_url = "/fr/search/" if path.startswith("/fr/") else "/search/"
    assert f'action="{search_url}"' in form and 'method="get"' in form
    assert '<label for="header-search-q"' in header
    assert 'name="q"' in header


def test_the_home_page_starts_with_the_search_form(client, guides):
    html = client.get("/").content.decode()
    main = html.split('<main id="main"', 1)[1]

    assert main.index('role="search"') < main.index("<h1")
    assert "Which company, which problem?" in main


def test_the_header_form_works_without_javascript(client, guides):
    # What the browser sends from the header form: a plain GET with q.
    response = client.get("/search/", {"q": "amazon"})

    assert response.status_code == 200
    assert b'href="/amazon/return/"' in response.content


def test_a_guide_unpublished_a_moment_ago_is_not_shown_from_kept_results(client, guides):
    from guides_site.guides.models import Guide

    assert b'href="/amazon/return/"' in client.get("/search/?q=return").content

    Guide.objects.filter(pk=guides.pk).update(status=Guide.Status.DRAFT)  # no signal

    assert b'href="/amazon/return/"' not in client.get("/search/?q=return").content


def test_a_search_made_again_is_served_from_the_kept_page_in_one_query(
    client, guides, django_assert_num_queries
):
    first = client.get("/search/?q=return")

    with django_assert_num_queries(1):
        again = client.get("/search/?q=return")

    assert _without_csrf_tokens(again.content) == _without_csrf_tokens(first.content)
    assert b"How to <mark>return</mark> an item" in again.content


def _without_csrf_tokens(html):
    return re.sub(rb'"x-csrftoken": "[^"]+"', b"", html)


def test_each_reader_of_a_kept_search_page_gets_a_csrf_token_of_their_own(guides):
    from django.test import Client

    pages = [Client().get("/search/?q=return") for _ in range(2)]
    tokens = [re.search(rb'"x-csrftoken": "([^"]+)"', page.content).group(1) for page in pages]

    assert tokens[0] != tokens[1]
    assert all(b"csrfslot" not in page.content for page in pages)


def test_a_guide_published_after_a_search_is_found_by_the_same_search_at_once(client, guides):
    assert b"/amazon/exchange/" not in client.get("/search/?q=return").content

    make_guide(guides.company, slug="exchange", title="How to return or exchange a gift")
    index.flush()  # what the commit does: the test runs in a transaction

    assert b'href="/amazon/exchange/"' in client.get("/search/?q=return").content


def test_a_change_on_another_server_is_seen_through_the_index_generation(client, guides):
    """Another server's edit reaches this one only through the database: the generation."""
    from django.db import connection

    assert b"How to <mark>return</mark> an item" in client.get("/search/?q=return").content
    with connection.cursor() as cursor:  # what another server's edit leaves in the database
        cursor.execute(
            "UPDATE guides_guide SET title = 'Send back and return' WHERE id = %s", [guides.pk]
        )
        cursor.execute("UPDATE search_indexgeneration SET number = number + 1")

    html = client.get("/search/?q=return").content.decode()

    assert "How to <mark>return</mark> an item" not in html
    assert "Send back and <mark>return</mark>" in html


def test_a_missed_search_is_counted_each_time_even_from_the_kept_page(client, guides):
    client.get("/search/?q=zzzqqq")
    client.get("/search/?q=zzzqqq")

    assert MissedSearch.objects.get(text="zzzqqq").count == 2


def test_search_pages_are_kept_apart_and_never_push_out_a_guide_page(client, guides):
    from guides_site.guides.page_cache import local_copies
    from guides_site.search.views import search_copies

    client.get("/amazon/return/")
    guide_pages = set(local_copies._entries)
    assert guide_pages
    for number in range(30):
        client.get(f"/search/?q=return+{number}")

    assert guide_pages <= set(local_copies._entries)
    assert not any(":search:" in key for key in local_copies._entries)
    assert len(search_copies._entries) == 30


def test_another_process_of_the_machine_serves_a_search_made_once_from_the_shared_cache(
    client, guides, django_assert_num_queries
):
    from guides_site.search.views import search_copies

    client.get("/search/?q=return")
    search_copies.clear()  # what another worker, with copies of its own, has

    with django_assert_num_queries(1):
        again = client.get("/search/?q=return")

    assert b"How to <mark>return</mark> an item" in again.content


def test_a_search_cache_folder_that_cannot_be_written_costs_a_miss_not_a_page(
    client, guides, settings, tmp_path, caplog
):
    (tmp_path / "a-file").write_text("")
    settings.CACHES = {
        **settings.CACHES,
        "search": {
            "BACKEND": "guides_site.operations.outages.FailOpenFileBasedCache",
            "LOCATION": str(tmp_path / "a-file" / "search-pages"),
        },
    }

    pages = [client.get("/search/?q=return") for _ in range(2)]

    assert [page.status_code for page in pages] == [200, 200]
    assert all(b"How to <mark>return</mark> an item" in page.content for page in pages)
    assert caplog.text.count("File cache") <= 1  # once a minute at most, never per request

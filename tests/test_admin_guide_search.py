"""The admin's guide list searches through the search index: words of the steps in either
language, drafts too, without a LIKE over every step's text, and without a full count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guides_site.guides.models import Guide, Step
from guides_site.search import index

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db


@pytest.fixture
def guides():
    company = make_company()
    draft = make_guide(
        company, slug="refund", title="How to get a refund", steps=0, status=Guide.Status.DRAFT
    )
    Step.objects.create(guide=draft, position=1, body_md="Write to the ombudsman.")
    french = make_guide(company, slug="annuler", title="Comment annuler", language="fr", steps=0)
    Step.objects.create(guide=french, position=1, body_md="Demandez le remboursement.")
    make_guide(company, slug="other", title="How to complain")
    index.flush()
    return draft, french


def listed(response):
    return [g.title for g in response.context["cl"].result_list]


def test_editors_find_guides_by_the_words_of_their_steps_drafts_included(editor, guides):
    with CaptureQueriesContext(connection) as queries:
        response = editor.get("/admin/guides/guide/", {"q": "ombudsman"})

    assert listed(response) == ["How to get a refund"]
    assert not any("body_md" in q["sql"] and "LIKE" in q["sql"] for q in queries.captured_queries)


def test_a_french_guide_is_found_by_a_french_word_form(editor, guides):
    response = editor.get("/admin/guides/guide/", {"q": "rembourser"})

    assert listed(response) == ["Comment annuler"]


def test_an_exact_slug_finds_its_guide(editor, guides):
    assert "How to complain" in listed(editor.get("/admin/guides/guide/", {"q": "other"}))


def test_the_guide_list_does_not_count_every_guide_when_searching(editor, guides):
    response = editor.get("/admin/guides/guide/", {"q": "ombudsman"})

    assert response.context["cl"].show_full_result_count is False


def test_when_more_guides_match_than_are_listed_those_named_by_the_words_come_first(
    editor, monkeypatch
):
    company = make_company()
    for number in range(3):
        guide = make_guide(company, slug=f"step-{number}", title=f"Guide {number}", steps=0)
        Step.objects.create(guide=guide, position=1, body_md="Ask for a chargeback.")
    make_guide(company, slug="disputes", title="How to ask for a chargeback")
    index.flush()
    monkeypatch.setattr(index, "ADMIN_MATCHES", 2)

    assert "How to ask for a chargeback" in listed(
        editor.get("/admin/guides/guide/", {"q": "chargeback"})
    )

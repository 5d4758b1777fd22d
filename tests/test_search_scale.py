"""The search when thousands of guides match: it orders a bounded set of candidates
(index.CANDIDATES), says "at least" past it, and still ranks the title match first, never
shows a draft or the other language's guides; a misspelt name among many alike is found."""

from datetime import date

import pytest

from guides_site.guides.models import Guide, Step
from guides_site.search import index
from guides_site.search.results import find

from .factories import make_company, make_guide

pytestmark = pytest.mark.django_db

MANY = index.CANDIDATES + 200


def many_guides(company, count, step, language="en", status=Guide.Status.PUBLISHED):
    """count guides with `step` as their one step, created in bulk and indexed at once."""
    guides = Guide.objects.bulk_create(
        Guide(
            company=company,
            slug=f"{language}-{status}-{number}",
            language=language,
            title=f"Guide number {number}",
            published=date(2020, 1, 2),
            status=status,
        )
        for number in range(count)
    )
    Step.objects.bulk_create(
        Step(guide=guide, position=1, body_md=step, body_html=f"<p>{step}</p>") for guide in guides
    )
    index.reindex([guide.pk for guide in guides])


@pytest.fixture
def crowd():
    """More English guides with "voucher" in a step than a search orders, and the one with
    it in its title made last, so no arbitrary first cut of the matches would hold it."""
    company = make_company("acme", "Acme")
    many_guides(company, MANY, "Ask for a voucher at the desk.")
    many_guides(company, 50, "Demandez un voucher.", language="fr")
    make_guide(company, slug="draft", title="Voucher draft", status=Guide.Status.DRAFT)
    make_guide(company, slug="french", title="Un voucher", language="fr")
    guide = make_guide(company, slug="voucher", title="How to use a voucher")
    index.flush()  # what a commit does; tests run inside one transaction
    return guide


def test_a_title_match_ranks_first_among_more_step_matches_than_are_ordered(crowd):
    results = find("voucher", "en")

    assert results.guides[0].title == "How to use a voucher"
    assert results.capped
    assert results.total == index.CANDIDATES
    assert results.pages == index.CANDIDATES // 10


def test_past_the_cap_no_draft_and_no_other_language_is_found(crowd):
    seen = set()
    for page in (1, 2, 50, 100):
        results = find("voucher", "en", page=page)
        seen |= {(guide.language, guide.status) for guide in results.guides}
    assert seen == {("en", Guide.Status.PUBLISHED)}

    french = find("voucher", "fr")
    assert not french.capped
    assert french.total == 51
    assert french.guides[0].title == "Un voucher"


def test_the_page_says_at_least_past_the_cap(client, crowd):
    html = client.get("/search/?q=voucher").content.decode()
    assert "At least 1,000 guides found · page 1 of 100" in html

    french = client.get("/fr/search/?q=voucher").content.decode()
    assert "51 guides trouvés" in french


def test_a_page_past_the_candidates_is_a_404(client, crowd):
    assert client.get("/search/?q=voucher&page=100").status_code == 200
    assert client.get("/search/?q=voucher&page=101").status_code == 404


def test_a_misspelt_name_among_many_alike_finds_its_own_company():
    for number in range(30):
        company = make_company(f"bench-co-{number}", f"Bench Company {number}")
        make_guide(company, slug="cancel", title="How to cancel", steps=2)
    index.companies_changed(None)
    index.flush()

    results = find("bench compny 12", "en")

    assert results.guides[0].company.name == "Bench Company 12"


def test_drafts_do_not_take_the_places_of_published_guides():
    company = make_company("acme", "Acme")
    many_guides(company, MANY, "Ask for a voucher.", status=Guide.Status.DRAFT)
    guide = make_guide(company, slug="pay", title="How to pay", steps=0)
    Step.objects.create(guide=guide, position=1, body_md="Hand over your voucher.")
    index.flush()

    results = find("voucher", "en")

    assert [guide.title for guide in results.guides] == ["How to pay"]
    assert results.total == 1
    assert not results.capped

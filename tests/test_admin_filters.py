"""Changelists of readers' input filter by guide or company without printing every guide or
company into every page: the filter searches as the editor types."""

import re
from datetime import date

import pytest

from guides_site.contacts.models import ContactChannel, ReachReport
from guides_site.guides.models import StepFeedback, VoteReset
from guides_site.questions.models import Question
from guides_site.search import index

from .factories import add_votes, make_company, make_guide

pytestmark = pytest.mark.django_db

FILTERED_LISTS = [
    ("/admin/guides/vote/", "guide__id__exact"),
    ("/admin/guides/stepfeedback/", "step__guide__id__exact"),
    ("/admin/guides/votereset/", "guide__id__exact"),
    ("/admin/questions/question/", "guide__id__exact"),
    ("/admin/guides/guide/", "company__id__exact"),
    ("/admin/contacts/reachreport/", "channel__company__id__exact"),
]


@pytest.fixture
def many_guides():
    """Forty guides in forty companies, each with readers' input of every kind."""
    guides = []
    for number in range(40):
        company = make_company(slug=f"company-{number}", name=f"Company Number{number}")
        guide = make_guide(company=company, title=f"How to do thing Number{number}")
        add_votes(guide, yes=1)
        StepFeedback.objects.create(step=guide.steps.first(), visitor="r", worked=True)
        Question.objects.create(guide=guide, visitor="r", text="Does it work?")
        channel = ContactChannel.objects.create(
            company=company, kind="help", value="https://example.com/help", position=1
        )
        ReachReport.objects.create(channel=channel, visitor="r", reached=True, day=date.today())
        VoteReset.objects.create(guide=guide, votes_yes=1, votes_no=0)
        guides.append(guide)
    index.flush()  # what the end of an admin save's transaction does
    return guides


def names_in_sidebar(html):
    sidebar = html[html.index('id="changelist-filter"') :]
    return set(re.findall(r"Number\d+", sidebar))


@pytest.mark.parametrize("url, parameter", FILTERED_LISTS)
def test_the_filter_prints_no_list_of_every_guide_or_company(editor, many_guides, url, parameter):
    html = editor.get(url).content.decode()

    assert f'name="{parameter}"' in html
    assert 'class="admin-autocomplete' in html
    assert names_in_sidebar(html) == set()


@pytest.mark.parametrize("url, parameter", FILTERED_LISTS)
def test_choosing_one_shows_only_its_rows_and_names_it(editor, many_guides, url, parameter):
    chosen = many_guides[7]
    value = chosen.company.pk if "company" in parameter else chosen.pk

    response = editor.get(url, {parameter: value})

    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert len(rows) == 1
    # The filter shows the choice (selected in the select) and nothing else.
    assert names_in_sidebar(response.content.decode()) == {"Number7"}


def test_the_filter_keeps_the_other_filters_and_the_search(editor, many_guides):
    html = editor.get(
        "/admin/guides/vote/", {"helpful__exact": "1", "q": "thing", "guide__id__exact": 1}
    ).content.decode()
    form = html[html.index('class="autocomplete-filter"') :]
    form = form[: form.index("</form>")]

    assert '<input type="hidden" name="helpful__exact" value="1">' in form
    assert '<input type="hidden" name="q" value="thing">' in form
    assert 'type="hidden" name="guide__id__exact"' not in form


def test_the_autocomplete_finds_guides_by_words_of_their_title(editor, many_guides):
    response = editor.get(
        "/admin/autocomplete/",
        {"term": "Number12", "app_label": "guides", "model_name": "vote", "field_name": "guide"},
    )

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == [str(many_guides[12])]


def test_a_filtered_list_does_not_count_the_whole_table(editor, many_guides):
    html = editor.get("/admin/guides/vote/", {"helpful__exact": "1"}).content.decode()

    assert "40 results" in html
    assert "total)" not in html


def test_a_malformed_choice_is_not_an_error_page(editor, many_guides):
    response = editor.get("/admin/guides/vote/", {"guide__id__exact": "not-a-number"})

    # Django's answer to a bad filter value: the unfiltered list, flagged ?e=1.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_facets_leave_the_autocomplete_filter_out(editor, many_guides):
    response = editor.get("/admin/guides/vote/", {"_facets": "True"})

    assert response.status_code == 200
    assert names_in_sidebar(response.content.decode()) == set()


def test_the_changelist_loads_the_autocomplete_scripts(editor, many_guides):
    html = editor.get("/admin/guides/vote/").content.decode()

    assert "admin/js/autocomplete" in html
    assert "dashboard/autocomplete-filter" in html

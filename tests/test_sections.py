"""Guides with routes: sections in the content format, on the guide page, in the walkthrough,
in the admin; and the thresholds under which small numbers are not shown."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides_site.content.exporter import export_content
from guides_site.content.importer import import_content
from guides_site.content.parser import ContentInvalid
from guides_site.guides.models import Guide, Section

from .factories import (
    GUIDE_MD,
    acme_tree,
    add_votes,
    form_errors,
    guide_form_data,
    guide_md,
    make_company,
    make_guide,
    visit,
)

pytestmark = pytest.mark.django_db

ROUTES = """\
Two ways: [the ticket route](#section-2).

## If you pay for Premium

1. Open settings.
2. Ask for a review.

## If you don't

3. Open a ticket.
4. Describe the charge.
5. Submit.

## If they say no

Write again.
"""


def import_body(tmp_path, body, front_matter="title: A guide"):
    acme_tree(tmp_path, **{"acme/refund.md": guide_md(front_matter, body)})
    import_content(tmp_path)
    return Guide.objects.get()


def routes_of(guide):
    return [
        (step.position, step.section.title if step.section else None)
        for step in guide.steps.select_related("section")
    ]


def test_headings_before_and_between_steps_start_sections_and_after_them_the_closing(tmp_path):
    guide = import_body(tmp_path, ROUTES)

    assert [s.title for s in guide.sections.all()] == ["If you pay for Premium", "If you don't"]
    assert routes_of(guide) == [
        (1, "If you pay for Premium"),
        (2, "If you pay for Premium"),
        (3, "If you don't"),
        (4, "If you don't"),
        (5, "If you don't"),
    ]
    assert guide.intro_md == "Two ways: [the ticket route](#section-2)."
    assert guide.closing_md == "## If they say no\n\nWrite again."


def test_steps_before_the_first_heading_belong_to_no_section(tmp_path):
    guide = import_body(tmp_path, "1. One.\n2. Two.\n\n### Otherwise\n\n1. Three.\n")
    assert routes_of(guide) == [(1, None), (2, None), (3, "Otherwise")]


def test_a_file_without_headings_in_its_steps_imports_as_before(tmp_path):
    acme_tree(tmp_path)
    import_content(tmp_path)
    guide = Guide.objects.get()
    assert guide.sections.count() == 0
    assert guide.steps.count() == 3
    assert guide.closing_md == "## If Acme says no\n\nWrite to the ombudsman."
    assert "## If Acme says no" in GUIDE_MD


def test_a_heading_straight_above_a_numbered_list_after_the_steps_is_a_section(tmp_path):
    # Before sections this list went into the closing section; now it is a route.
    guide = import_body(tmp_path, "1. One.\n\n## Afterwards\n\n1. Two.\n")
    assert routes_of(guide) == [(1, None), (2, "Afterwards")]
    assert guide.closing_md == ""


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("## Empty\n\n## Full\n\n1. One.\n", 4),
        ("1. One.\n\n## Empty\n### Full\n\n1. Two.\n", 6),
    ],
)
def test_an_empty_section_is_an_error_with_its_line(tmp_path, body, line):
    acme_tree(tmp_path, **{"acme/refund.md": guide_md(body=body)})
    with pytest.raises(ContentInvalid) as caught:
        import_content(tmp_path)
    assert [str(e) for e in caught.value.errors] == [
        f"{tmp_path / 'acme/refund.md'}:{line}: section 'Empty' has no steps: put numbered "
        "steps under its heading, or remove it"
    ]


def test_an_unknown_numbering_is_an_error(tmp_path):
    acme_tree(tmp_path, **{"acme/refund.md": guide_md("title: A\nnumbering: roman")})
    with pytest.raises(ContentInvalid, match="'numbering' must be one of continuous"):
        import_content(tmp_path)


def test_numbering_runs_on_across_sections_or_restarts_in_each(tmp_path, client):
    import_body(tmp_path, ROUTES)
    html = client.get("/acme/refund/").content.decode()
    # The numbers shown are a CSS counter that each list's items carry on (site.css).
    assert '<ol class="steps" role="list" start="3">' in html
    assert "restart" not in html

    guide = import_body(tmp_path, ROUTES, "title: A guide\nnumbering: per-section")
    assert guide.numbering == "per-section"
    html = client.get("/acme/refund/").content.decode()
    assert 'start="3"' not in html
    assert html.count('<ol class="steps restart" role="list">') == 2
    assert "3 steps" in html  # the table of contents counts the route's steps


def test_export_writes_sections_back_and_the_round_trip_is_lossless(tmp_path):
    source = tmp_path / "source"
    import_body(source, ROUTES, "title: A guide\nnumbering: per-section")
    out = tmp_path / "out"
    export_content(out)
    text = (out / "acme/refund.md").read_text()
    assert "numbering: per-section" in text
    assert "\n## If you pay for Premium\n\n1. Open settings.\n" in text
    assert "\n\n## If you don't\n\n3. Open a ticket.\n" in text

    report = import_content(out)
    assert report.summary() == "0 created, 0 updated, 2 unchanged"


def test_the_guide_page_lists_the_routes_and_anchors_them(tmp_path, client):
    import_body(tmp_path, ROUTES)
    html = client.get("/acme/refund/").content.decode()

    assert "Choose your route" in html
    assert '<a href="#section-1">If you pay for Premium</a>' in html
    assert "steps 1 to 2" in html and "steps 3 to 5" in html
    assert '<h3 id="section-2" class="section-heading">If you don&#x27;t</h3>' in html
    assert '<a href="#section-2" rel="noopener noreferrer">the ticket route</a>' in html
    assert 'href="/acme/refund/step/3/"' in html  # the route can be walked through directly
    assert html.index("Choose your route") < html.index('id="steps-heading"')


def test_one_section_has_a_heading_but_no_table_of_contents(tmp_path, client):
    import_body(tmp_path, "## Only route\n\n1. One.\n2. Two.\n")
    html = client.get("/acme/refund/").content.decode()
    assert "Choose your route" not in html
    assert 'id="section-1"' in html


def _queries_for_sectioned_page(client, slug, sections, steps_each):
    guide = make_guide(make_company(slug, slug), steps=0)
    position = 0
    for number in range(1, sections + 1):
        section = Section.objects.create(guide=guide, position=number, title=f"Route {number}")
        for _ in range(steps_each):
            position += 1
            guide.steps.create(position=position, section=section, body_md=f"Do thing {position}.")
    client.get(guide.get_absolute_url())
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(guide.get_absolute_url())
    assert response.content.decode().count('class="section-heading"') == sections
    return len(queries)


def test_the_guide_page_runs_as_many_queries_for_20_sections_as_for_2(client):
    assert _queries_for_sectioned_page(client, "small", 2, 2) == _queries_for_sectioned_page(
        client, "large", 20, 10
    )


def test_a_section_edit_shows_at_once(tmp_path, client):
    guide = import_body(tmp_path, ROUTES)
    assert "If you don&#x27;t" in client.get("/acme/refund/").content.decode()
    section = guide.sections.get(position=2)
    section.title = "Without Premium"
    section.save()
    html = client.get("/acme/refund/").content.decode()
    assert "Without Premium" in html and "If you don&#x27;t" not in html


def test_the_walkthrough_counts_the_steps_of_the_route_and_names_it(tmp_path, client):
    import_body(tmp_path, ROUTES)
    html = client.get("/acme/refund/step/4/").content.decode()
    assert "Step 4 of 5 · If you don&#x27;t" in html
    assert "<title>Step 4 of 5 · If you don&#x27;t: A guide" in html
    assert 'max="3" value="2"' in html
    assert 'href="/acme/refund/step/3/">If you don&#x27;t</a>' in html  # breadcrumb


def test_the_end_of_a_route_offers_the_vote_and_the_next_route_without_forcing_it(tmp_path, client):
    import_body(tmp_path, ROUTES)
    html = client.get("/acme/refund/step/2/").content.decode()
    assert "Step 2 of 2 · If you pay for Premium" in html
    assert "This route ends here." in html
    assert "Was this page helpful?" in html
    assert 'rel="next"' not in html
    assert "Or go on to “If you don&#x27;t”" in html
    assert 'href="/acme/refund/step/3/"' in html

    last = client.get("/acme/refund/step/5/").content.decode()
    assert "This route ends here." in last and "Or go on to" not in last


def test_a_route_can_be_started_directly(tmp_path, client):
    import_body(tmp_path, ROUTES)
    html = client.get("/acme/refund/step/3/").content.decode()
    assert "Step 3 of 5 · If you don&#x27;t" in html
    assert 'href="/acme/refund/step/2/"' in html  # Previous still reaches the other route


def test_yes_on_the_last_step_of_a_route_says_the_reader_is_done(tmp_path):
    import_body(tmp_path, ROUTES)
    reader = visit(Client(), "/acme/refund/step/2/")
    response = reader.post(
        "/acme/refund/step/2/answer/", {"worked": "yes"}, headers={"HX-Request": "true"}
    )
    assert "that was the last step of this route, so you are done" in response.content.decode()
    response = reader.post(
        "/acme/refund/step/1/answer/", {"worked": "yes"}, headers={"HX-Request": "true"}
    )
    assert "On to the next step." in response.content.decode()


def test_an_htmx_step_brings_its_breadcrumb_and_language_links_out_of_band(tmp_path, client):
    acme_tree(tmp_path)
    fr = guide_md(
        "title: Se faire rembourser\nslug: remboursement", "## Avec Premium\n\n1. Un.\n2. Deux.\n"
    )
    acme_tree(tmp_path, **{"acme/refund.md": guide_md(body=ROUTES), "acme/refund.fr.md": fr})
    import_content(tmp_path)

    html = client.get("/acme/refund/step/2/", headers={"HX-Request": "true"}).content.decode()
    assert "<title>Step 2 of 2 · If you pay for Premium: A guide" in html
    assert 'id="breadcrumbs"' in html and 'hx-swap-oob="true"' in html
    assert 'id="language-switcher"' in html
    assert 'href="/fr/acme/remboursement/step/2/" lang="fr"' in html
    assert "<!doctype" not in html.lower()

    # Step 4 has no French counterpart: the switcher offers the French guide.
    html = client.get("/acme/refund/step/4/").content.decode()
    assert 'href="/fr/acme/remboursement/" lang="fr"' in html
    french = client.get("/fr/acme/remboursement/step/1/").content.decode()
    assert "Étape 1 sur 2 · Avec Premium" in french
    assert 'href="/acme/refund/step/1/" lang="en"' in french


def test_the_view_count_shows_only_from_100_views(client):
    make_guide(view_count=98)
    assert "Viewed" not in client.get("/acme/refund/").content.decode()
    assert "Viewed 100 times" in client.get("/acme/refund/").content.decode()


def test_the_share_found_helpful_shows_only_from_5_votes(client):
    guide = make_guide()
    add_votes(guide, no=1)
    html = client.get("/acme/refund/").content.decode()
    assert "1 reader answered" in html and "found this helpful" not in html
    add_votes(guide, yes=2, no=1)
    assert "4 readers answered" in client.get("/acme/refund/").content.decode()
    add_votes(guide, yes=1)
    assert "60% of 5 readers found this helpful" in client.get("/acme/refund/").content.decode()
    assert "3 lecteurs ont répondu" in _french_stats(guide, 3)


def _french_stats(guide, total):
    french = make_guide(guide.company, slug="remboursement", language="fr")
    add_votes(french, yes=1, no=total - 1)
    return Client().get("/fr/acme/remboursement/").content.decode()


def test_the_header_leads_with_the_date_checked_and_its_age(client):
    from datetime import date, timedelta

    checked = date.today() - timedelta(days=40)
    make_guide(published=date(2019, 7, 19), updated=checked)
    html = client.get("/acme/refund/").content.decode()
    header = html[html.index('class="meta"') :]
    assert header.index("Checked") < header.index("Published 19 July 2019")
    assert "(1\xa0month ago)" in header[: header.index("Published")]
    assert '"dateModified": "' + checked.isoformat() in html


def test_an_editor_puts_steps_in_sections_and_the_page_follows(editor, client):
    guide = make_guide(steps=4, source_path="acme/refund.md")
    first = Section.objects.create(guide=guide, position=1, title="Route A")
    second = Section.objects.create(guide=guide, position=2, title="Route B")
    steps = list(guide.steps.all())
    layout = [second, second, first, first]  # B's steps first: sections follow their steps
    data = guide_form_data(
        guide,
        [
            (s.pk, s.body_md, s.position, section.pk)
            for s, section in zip(steps, layout, strict=True)
        ],
    )

    response = editor.post(f"/admin/guides/guide/{guide.pk}/change/", data)

    assert response.status_code == 302, form_errors(response)
    assert [s.title for s in guide.sections.all()] == ["Route B", "Route A"]
    assert [s.section.title for s in guide.steps.select_related("section")] == [
        "Route B",
        "Route B",
        "Route A",
        "Route A",
    ]
    guide.refresh_from_db()
    assert guide.edited_since_import
    html = client.get("/acme/refund/").content.decode()
    assert '<a href="#section-1">Route B</a>' in html


def test_the_admin_refuses_a_section_split_by_other_steps(editor):
    guide = make_guide(steps=3)
    route = Section.objects.create(guide=guide, position=1, title="Route A")
    steps = list(guide.steps.all())
    data = guide_form_data(
        guide,
        [
            (s.pk, s.body_md, s.position, pk)
            for s, pk in zip(steps, [route.pk, None, route.pk], strict=True)
        ],
    )

    response = editor.post(f"/admin/guides/guide/{guide.pk}/change/", data)

    assert response.status_code == 200
    assert "must follow each other" in response.content.decode()


def test_an_editor_adds_a_section_and_renames_one(editor, client):
    guide = make_guide(steps=2)
    Section.objects.create(guide=guide, position=1, title="Old")
    client.get("/acme/refund/")
    data = guide_form_data(guide, sections=[(guide.sections.get().pk, "New"), (None, "Extra")])

    response = editor.post(f"/admin/guides/guide/{guide.pk}/change/", data)

    assert response.status_code == 302, form_errors(response)
    assert sorted(guide.sections.values_list("title", flat=True)) == ["Extra", "New"]
    guide.refresh_from_db()
    assert guide.edited_since_import


def test_setup_editors_lets_editors_edit_sections():
    call_command("setup_editors", stdout=StringIO())
    from django.contrib.auth.models import Group

    codes = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_section", "change_section", "delete_section"} <= codes

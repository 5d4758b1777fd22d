"""What the search finds, on the engine of this run (SQLite FTS5, or PostgreSQL with
DATABASE_URL): misspelt companies, accents, elisions, word forms, step text; languages kept
apart; drafts never; the index following every change."""

from io import StringIO

import pytest
from django.core.management import call_command

from guides_site.guides.models import CompanyTranslation, Guide, Step
from guides_site.search import index
from guides_site.search.results import find

from .factories import acme_tree, guide_form_data, make_company, make_guide, write_tree

pytestmark = pytest.mark.django_db


def titles(query, language="en", **options):
    index.flush()  # what a commit does; tests run inside one transaction
    return [guide.title for guide in find(query, language, **options).guides]


def guide_with_steps(company, slug, title, steps, language="en", **fields):
    guide = make_guide(company, slug=slug, title=title, language=language, steps=0, **fields)
    for position, body in enumerate(steps, 1):
        Step.objects.create(guide=guide, position=position, body_md=body)
    return guide


@pytest.fixture
def amazon():
    return make_company("amazon", "Amazon")


def test_a_misspelt_company_name_finds_its_guides(amazon):
    guide_with_steps(amazon, "return", "How to return an item", ["Open Your Orders."])
    make_guide(make_company("spotify", "Spotify"), slug="cancel", title="How to cancel Premium")

    assert titles("amazn return") == ["How to return an item"]
    assert titles("spotfy") == ["How to cancel Premium"]


def test_accents_are_folded_both_ways(amazon):
    guide_with_steps(
        amazon, "echange", "Comment échanger un article", ["Ouvrez vos commandes."], language="fr"
    )

    assert titles("echanger", "fr") == ["Comment échanger un article"]
    assert titles("ÉCHANGER", "fr") == ["Comment échanger un article"]


def test_french_elisions_are_cut(amazon):
    guide_with_steps(
        amazon,
        "appli",
        "Comment se faire rembourser",
        ["Ouvrez l'application Amazon."],
        language="fr",
    )

    assert titles("application", "fr") == ["Comment se faire rembourser"]
    assert titles("l’application", "fr") == ["Comment se faire rembourser"]


def test_plurals_and_verb_forms_meet_by_their_stem(amazon):
    guide_with_steps(
        amazon,
        "rembourser",
        "Comment se faire rembourser",
        ["Demandez l'annulation."],
        language="fr",
    )
    guide_with_steps(amazon, "cancel", "How to cancel Prime", ["Open Prime settings."])

    assert titles("remboursement", "fr") == ["Comment se faire rembourser"]
    assert titles("annulations", "fr") == ["Comment se faire rembourser"]
    assert titles("cancelling") == ["How to cancel Prime"]


def test_words_from_the_steps_are_found(amazon):
    guide_with_steps(amazon, "refund", "How to get a refund", ["Open your order history."])
    guide_with_steps(amazon, "other", "How to complain", ["Write a letter."])

    assert titles("order history") == ["How to get a refund"]


def test_a_title_match_ranks_above_a_step_match(amazon):
    guide_with_steps(amazon, "steps", "How to complain", ["Ask for a refund politely."])
    guide_with_steps(amazon, "title", "How to get a refund", ["Write a letter."])

    assert titles("refund") == ["How to get a refund", "How to complain"]


def test_a_summary_or_tag_match_ranks_above_a_step_match(amazon):
    guide_with_steps(amazon, "steps", "How to complain", ["Ask for a voucher politely."])
    guide_with_steps(amazon, "tags", "How to write in", ["Write a letter."], summary="Vouchers.")

    assert titles("voucher") == ["How to write in", "How to complain"]


def test_each_language_finds_only_its_own_guides(amazon):
    guide_with_steps(amazon, "cancel", "How to cancel Prime", ["Open Prime."])
    guide_with_steps(amazon, "cancel", "Comment résilier Prime", ["Ouvrez Prime."], language="fr")

    assert titles("prime") == ["How to cancel Prime"]
    assert titles("prime", "fr") == ["Comment résilier Prime"]


def test_the_language_code_as_a_word_matches_text_only(amazon):
    guide_with_steps(amazon, "cancel", "How to cancel Prime", ["Open Prime."])
    guide_with_steps(amazon, "en", "How to order in English", ["Choose EN in the menu."])
    guide_with_steps(amazon, "annuler", "Annuler en ligne", ["Ouvrez Prime."], language="fr")

    assert titles("en") == ["How to order in English"]
    assert titles("e", prefix=True) == ["How to order in English"]
    assert titles("fr", "fr") == []


def test_the_company_is_found_under_its_french_name(db):
    company = make_company("deutsche-bahn", "Deutsche Bahn")
    CompanyTranslation.objects.create(
        company=company, language="fr", name="Chemins de fer allemands"
    )
    guide_with_steps(company, "billet", "Comment annuler un billet", ["Ouvrez."], language="fr")

    assert titles("allemands", "fr") == ["Comment annuler un billet"]


def test_drafts_are_never_found(amazon):
    guide_with_steps(amazon, "draft", "How to get a refund", ["Ask."], status=Guide.Status.DRAFT)

    assert titles("refund") == []


def test_unpublishing_hides_a_guide_even_by_a_bulk_update(amazon):
    guide = guide_with_steps(amazon, "refund", "How to get a refund", ["Ask."])
    assert titles("refund") == ["How to get a refund"]

    Guide.objects.filter(pk=guide.pk).update(status=Guide.Status.DRAFT)

    assert titles("refund") == []


def test_publishing_a_draft_makes_it_found(amazon):
    guide = guide_with_steps(
        amazon, "refund", "How to get a refund", ["Ask."], status=Guide.Status.DRAFT
    )
    guide.status = Guide.Status.PUBLISHED
    guide.save()

    assert titles("refund") == ["How to get a refund"]


def test_a_deleted_guide_is_gone_from_the_index(amazon):
    guide = guide_with_steps(amazon, "refund", "How to get a refund", ["Ask."])
    index.flush()
    guide.delete()

    assert titles("refund") == []


def test_a_rolled_back_change_leaves_the_index_as_it_was(amazon):
    from django.db import transaction

    guide = guide_with_steps(amazon, "refund", "How to get a refund", ["Ask."])
    index.flush()
    with pytest.raises(RuntimeError), transaction.atomic():
        guide.title = "How to complain"
        guide.save()
        raise RuntimeError

    assert titles("refund") == ["How to get a refund"]
    assert titles("complain") == []


def test_the_index_follows_an_import_and_a_re_import(tmp_path):
    root = acme_tree(tmp_path)
    call_command("import_content", str(root), stdout=StringIO())
    assert titles("ombudsman") == ["How to get a refund from Acme"]

    text = (root / "acme/refund.md").read_text().replace("ombudsman", "mediator")
    write_tree(root, {"acme/refund.md": text})
    call_command("import_content", str(root), stdout=StringIO())

    assert titles("ombudsman") == []
    assert titles("mediator") == ["How to get a refund from Acme"]


def test_the_index_follows_an_admin_edit(editor, amazon, django_capture_on_commit_callbacks):
    guide = guide_with_steps(amazon, "refund", "How to get a refund", ["Ask politely."])
    index.flush()
    steps = [(s.pk, s.body_md, s.position, None) for s in guide.steps.all()]
    steps[0] = (steps[0][0], "Call the ombudsman.", 1, None)
    data = guide_form_data(guide, steps, title="How to claim your money back")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/guides/guide/{guide.pk}/change/", data)

    assert response.status_code == 302
    assert titles("ombudsman") == ["How to claim your money back"]
    assert titles("politely") == []


def test_the_index_follows_publish_and_unpublish_in_the_admin(
    editor, amazon, django_capture_on_commit_callbacks
):
    guide = guide_with_steps(
        amazon, "refund", "How to get a refund", ["Ask."], status=Guide.Status.DRAFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            f"/admin/guides/guide/{guide.pk}/change/",
            guide_form_data(guide, status=Guide.Status.PUBLISHED),
        )
    assert titles("refund") == ["How to get a refund"]

    guide.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            f"/admin/guides/guide/{guide.pk}/change/",
            guide_form_data(guide, status=Guide.Status.DRAFT),
        )
    assert titles("refund") == []


def test_rebuild_search_index_indexes_every_guide_again(amazon):
    from django.db import connection

    guide_with_steps(amazon, "refund", "How to get a refund", ["Ask."])
    index.flush()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_guide")
    assert titles("refund") == []

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert "Indexed 1 guides" in out.getvalue()
    assert titles("refund") == ["How to get a refund"]


def test_the_word_being_typed_matches_as_a_prefix(amazon):
    guide_with_steps(amazon, "refund", "How to get a refund", ["Ask."])

    assert titles("refu", prefix=True) == ["How to get a refund"]
    assert titles("refu") == []


def test_a_query_of_punctuation_only_finds_nothing_and_does_not_fail(amazon):
    guide_with_steps(amazon, "refund", "How to get a refund", ["Ask."])

    assert titles("\"*) OR NEAR(( -- ' ") == []


def test_rebuild_if_empty_indexes_a_database_from_before_search_only(amazon):
    from django.db import connection

    guide_with_steps(amazon, "refund", "How to get a refund", ["Ask."])
    index.flush()
    out = StringIO()
    call_command("rebuild_search_index", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_guide")
    call_command("rebuild_search_index", "--if-empty", stdout=out)

    assert "Indexed 1 guides" in out.getvalue()
    assert titles("refund") == ["How to get a refund"]

"""What editors' lists sort guides by is stored on each guide and kept right as readers vote
and ask and editors answer, so that the lists read a page of an index at any size."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from guides_site.guides.models import Guide, Vote
from guides_site.questions.models import Question

from .factories import add_votes, make_guide

pytestmark = pytest.mark.django_db


def stored(guide):
    guide.refresh_from_db()
    return guide.needs_attention, guide.questions_waiting


def test_a_reader_s_question_puts_its_guide_among_those_needing_attention():
    guide = make_guide()
    assert stored(guide) == (False, 0)

    Question.objects.create(guide=guide, text="Does this work in France?")
    Question.objects.create(guide=guide, text="And in Belgium?")

    assert stored(guide) == (True, 2)


def test_answering_or_deleting_the_questions_takes_the_guide_out_again():
    guide = make_guide()
    answered = Question.objects.create(guide=guide, text="Does this work in France?")
    deleted = Question.objects.create(guide=guide, text="And in Belgium?")

    answered.status, answered.answer = Question.Status.PUBLISHED, "Yes, the same way."
    answered.save()
    assert stored(guide) == (True, 1)
    deleted.delete()
    assert stored(guide) == (False, 0)


def test_mostly_unhappy_votes_mark_a_guide_and_a_vote_reset_clears_it():
    guide = make_guide()
    add_votes(guide, yes=3, no=9)
    assert stored(guide) == (True, 0)

    Vote.objects.filter(guide=guide).delete()
    Guide.refresh_vote_counts(guide.pk)
    assert stored(guide) == (False, 0)


def test_few_votes_are_not_enough_to_call_a_guide_unhelpful():
    guide = make_guide()
    add_votes(guide, no=3)
    assert stored(guide) == (False, 0)


def test_the_helpful_score_is_the_wilson_lower_bound_of_the_votes():
    lucky = make_guide(slug="lucky")
    solid = make_guide(lucky.company, slug="solid")
    add_votes(lucky, yes=1)
    add_votes(solid, yes=180, no=20)

    assert 0.85 < solid.helpful_score < 0.9 and 0.2 < lucky.helpful_score < 0.25


@pytest.mark.django_db(transaction=True)
def test_the_migration_computes_what_existing_guides_already_have():
    before = [
        ("guides", "0010_step_answer_what_happened"),
        ("questions", "0002_answers_by_email_and_masking"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    executor.loader.build_graph()
    old = executor.loader.project_state(before).apps
    company = old.get_model("guides", "Company").objects.create(slug="acme", name="Acme")
    OldGuide = old.get_model("guides", "Guide")
    OldGuide.objects.create(company=company, slug="unhappy", title="U", votes_yes=2, votes_total=12)
    asked = OldGuide.objects.create(company=company, slug="asked", title="A")
    old.get_model("questions", "Question").objects.create(guide=asked, text="Why?")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    guides = {g.slug: g for g in Guide.objects.all()}
    assert (guides["unhappy"].needs_attention, guides["unhappy"].questions_waiting) == (True, 0)
    assert guides["unhappy"].helpful_score == pytest.approx(0.047, abs=0.01)
    assert (guides["asked"].needs_attention, guides["asked"].questions_waiting) == (True, 1)

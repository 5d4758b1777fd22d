import re
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from guides_site.guides.models import StepFeedback
from guides_site.questions.models import Question

from .factories import add_votes, make_company, make_guide


def panel(html, title):
    """The text of one panel of the editors' home page."""
    match = re.search(
        rf'<article class="editor-panel".*?{re.escape(title)}.*?</article>', html, re.S
    )
    assert match, f"no panel {title!r}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group()))


def fill(company_slug="acme", questions=1, stuck=1):
    company = make_company(slug=company_slug, name=company_slug.title())
    guide = make_guide(company, title=f"{company_slug} refund", steps=3)
    for days in range(questions):
        question = Question.objects.create(guide=guide, text=f"Question {days} for {company_slug}")
        Question.objects.filter(pk=question.pk).update(
            created=timezone.now() - timedelta(days=days + 1)
        )
    step = guide.steps.get(position=2)
    StepFeedback.objects.bulk_create(
        [StepFeedback(step=step, visitor=f"r{i}", worked=False) for i in range(3 * stuck)]
    )
    add_votes(guide, yes=2, no=10)
    return guide


def test_the_editors_home_page_leads_with_what_needs_them(editor):
    guide = fill(questions=3)
    Question.objects.create(guide=guide, text="Answered already", status="published", answer="a")

    html = editor.get("/admin/").content.decode()

    waiting = panel(html, "Questions waiting for an answer")
    assert "Questions waiting for an answer: 3" in waiting
    assert "The oldest has waited 3 days" in waiting
    assert waiting.index("Question 2") < waiting.index("Question 1") < waiting.index("Question 0")
    assert "Answered already" not in waiting
    attention = panel(html, "Guides needing attention")
    assert "Guides needing attention: 1" in attention and "acme refund" in attention
    assert "17% found helpful · 3 waiting" in attention
    stuck = panel(html, "Steps where readers get stuck")
    assert "acme refund, step 2" in stuck and "3 of 3 said it did not work" in stuck
    assert html.index("What needs you today") < html.index('class="app-guides')
    assert "/admin/questions/question/?status__exact=pending" in html


def test_the_home_page_costs_the_same_queries_however_much_waits(editor):
    fill("small")
    editor.get("/admin/")
    with CaptureQueriesContext(connection) as few:
        editor.get("/admin/")
    for slug in ("b", "c", "d", "e", "f", "g"):
        fill(slug, questions=4, stuck=2)
    with CaptureQueriesContext(connection) as many:
        editor.get("/admin/")
    assert len(many) == len(few)


def test_staff_without_editors_permissions_see_no_panels(db):
    fill()
    user = User.objects.create_user("visitor", password="x" * 20, is_staff=True)
    client = Client()
    client.force_login(user)
    html = client.get("/admin/").content.decode()
    assert "What needs you today" not in html


def test_a_guides_page_in_the_admin_charts_its_step_by_step_funnel_above_the_forms(editor):
    guide = fill()
    step_one = guide.steps.get(position=1)
    StepFeedback.objects.bulk_create(
        [StepFeedback(step=step_one, visitor=f"y{i}", worked=True) for i in range(6)]
    )

    html = editor.get(f"/admin/guides/guide/{guide.pk}/change/").content.decode()

    svg = re.search(r'<svg class="funnel".*?</svg>', html, re.S).group()
    bars = re.findall(r'<rect x="(\d+)" y="4" width="(\d+)"', svg)
    # Step 1: 6 worked, 0 failed; step 2: 0 worked, 3 failed; step 3: no answers.
    assert [int(width) for _x, width in bars] == [420, 0, 0, 210, 0, 0]
    assert "6 / 0" in svg and "0 / 3" in svg and 'role="img"' in svg
    assert html.index("Where readers get stuck") < html.index('name="title"')

from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guides_site.guides.models import Guide, StepFeedback, Vote, VoteReset
from guides_site.questions.models import Question

from .factories import add_votes, form_errors, guide_form_data, make_company, make_guide

pytestmark = pytest.mark.django_db


def test_setup_editors_is_idempotent():
    call_command("setup_editors", stdout=StringIO())
    first = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    call_command("setup_editors", stdout=StringIO())
    group = Group.objects.get(name="Editors")
    assert set(group.permissions.values_list("codename", flat=True)) == first
    assert "change_guide" in first and "change_question" in first
    assert not any(code.endswith(("_user", "_group", "_permission")) for code in first)


def test_an_editor_cannot_reach_users_or_groups(editor):
    for url in ("/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"):
        assert editor.get(url).status_code == 403, url
    assert "auth/user" not in editor.get("/admin/").content.decode()


def test_an_editor_edits_a_step_and_the_html_is_re_rendered(editor):
    guide = make_guide(steps=3, source_path="acme/refund.md")
    steps = [(s.pk, s.body_md, s.position) for s in guide.steps.all()]
    steps[1] = (steps[1][0], "Open **Payments** now.", 2)

    response = editor.post(f"/admin/guides/guide/{guide.pk}/change/", guide_form_data(guide, steps))

    assert response.status_code == 302, form_errors(response)
    guide.refresh_from_db()
    assert guide.steps.get(position=2).body_html == "<p>Open <strong>Payments</strong> now.</p>"
    assert guide.edited_since_import
    assert guide.updated is not None
    assert LogEntry.objects.filter(object_id=str(guide.pk)).exists()
    assert "Open <strong>Payments</strong> now." in Client().get("/acme/refund/").content.decode()


def test_reordering_steps_keeps_positions_unique_and_consecutive(editor):
    guide = make_guide(steps=4)
    first, second, third, fourth = guide.steps.all()
    # The third step dragged to the top; the fourth deleted; a new one added at the end.
    steps = [
        (third.pk, third.body_md, 1),
        (first.pk, first.body_md, 2),
        (second.pk, second.body_md, 3),
        (fourth.pk, fourth.body_md, 4),
        (None, "A brand new step.", 5),
    ]
    data = guide_form_data(guide, steps)
    data["steps-3-DELETE"] = "on"

    response = editor.post(f"/admin/guides/guide/{guide.pk}/change/", data)

    assert response.status_code == 302, form_errors(response)
    assert list(guide.steps.values_list("position", "body_md")) == [
        (1, "Do thing 3."),
        (2, "Do thing 1."),
        (3, "Do thing 2."),
        (4, "A brand new step."),
    ]
    assert guide.steps.get(position=1).pk == third.pk


def test_the_markdown_preview_is_sanitised(editor):
    response = editor.post(
        "/admin/guides/guide/markdown-preview/",
        {"steps-0-body_md": "**Bold** <script>alert(1)</script> [x](javascript:alert(2))"},
        headers={"HX-Trigger-Name": "steps-0-body_md"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html


def test_the_markdown_preview_refuses_visitors_and_non_staff():
    url = "/admin/guides/guide/markdown-preview/"
    assert Client().post(url, {"x": "hi"}).status_code == 302  # to the login page
    member = User.objects.create_user("reader", password="a-long-passphrase")
    client = Client()
    client.force_login(member)
    response = client.post(url, {"x": "hi"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_drafts_have_a_staff_only_preview(editor):
    guide = make_guide(status=Guide.Status.DRAFT, title="Secret draft")
    url = f"/admin/guides/guide/{guide.pk}/preview/"
    html = editor.get(url).content.decode()
    assert "Secret draft" in html
    assert "Preview: readers cannot see this guide until it is published." in html
    assert Client().get(url).status_code == 302
    assert Client().get(guide.get_absolute_url()).status_code == 404


def test_the_guide_list_shows_what_needs_attention(editor):
    good = make_guide(title="Good guide")
    bad = make_guide(good.company, slug="bad", title="Bad guide")
    add_votes(good, yes=12)
    add_votes(bad, yes=3, no=9)
    Question.objects.create(guide=good, text="A question waiting here")

    html = editor.get("/admin/guides/guide/").content.decode()
    assert "25%" in html and "100%" in html

    attention = editor.get("/admin/guides/guide/?attention=yes").content.decode()
    assert "Bad guide" in attention and "Good guide" in attention  # votes / question waiting
    question = Question.objects.get()
    question.status = "rejected"
    question.save()  # as the editor's reject action does
    attention = editor.get("/admin/guides/guide/?attention=yes").content.decode()
    assert "Bad guide" in attention and "Good guide" not in attention


def test_the_guide_list_ranks_by_wilson_lower_bound(editor):
    company = make_company()
    lucky = make_guide(company, slug="lucky", title="Lucky guide")
    solid = make_guide(company, slug="solid", title="Solid guide")
    add_votes(lucky, yes=1)
    add_votes(solid, yes=180, no=20)

    html = editor.get("/admin/guides/guide/").content.decode()
    # Least helpful first: 1 "yes" out of 1 is less sure than 180 out of 200.
    assert html.index(">Lucky guide<") < html.index(">Solid guide<")
    ranked = list(Guide.objects.order_by("-helpful_score").values_list("slug", flat=True))
    assert ranked == ["solid", "lucky"]


def test_the_guide_list_runs_as_many_queries_for_200_guides_as_for_10(editor):
    def queries_for(count, company_slug):
        company = make_company(company_slug, company_slug)
        for index in range(count):
            guide = make_guide(company, slug=f"g{index}", steps=1)
            add_votes(guide, yes=1)
        with CaptureQueriesContext(connection) as queries:
            response = editor.get(f"/admin/guides/guide/?company__id__exact={company.pk}&all=")
        assert response.status_code == 200
        return len(queries)

    assert queries_for(10, "ten") == queries_for(200, "two-hundred")


def test_the_guide_page_in_the_admin_shows_where_readers_get_stuck(editor):
    guide = make_guide(steps=3)
    steps = list(guide.steps.all())
    for index, worked in enumerate([True, False, False]):
        StepFeedback.objects.create(step=steps[1], visitor=str(index), worked=worked)
    StepFeedback.objects.create(step=steps[0], visitor="x", worked=True)
    Vote.objects.create(
        guide=guide,
        visitor="a",
        helpful=False,
        reason="outdated",
        comment="The menu moved.",
        feedback_sent=True,
    )

    html = editor.get(f"/admin/guides/guide/{guide.pk}/change/").content.decode()

    assert "Where readers get stuck" in html
    assert html.index("<td>2</td><td>2</td><td>1</td>") < html.index("<td>1</td><td>0</td>")
    assert "The menu moved." in html and "It&#x27;s out of date" in html


def test_moderation_decides_what_the_public_page_shows(editor):
    guide = make_guide()
    answered = Question.objects.create(
        guide=guide, text="Is there a phone number?", answer="Yes: 0800 000 000."
    )
    unanswered = Question.objects.create(guide=guide, text="Nobody answered this one")
    spam = Question.objects.create(guide=guide, text="Cheap watches here", answer="x")
    url = "/admin/questions/question/"

    editor.post(url, {"action": "publish", "_selected_action": [answered.pk, unanswered.pk]})
    editor.post(url, {"action": "reject", "_selected_action": [spam.pk]})

    html = Client().get("/acme/refund/").content.decode()
    assert "Is there a phone number?" in html and "0800 000 000" in html
    assert "Nobody answered" not in html and "Cheap watches" not in html
    unanswered.refresh_from_db()
    assert unanswered.status == "pending"
    assert LogEntry.objects.filter(object_id=str(spam.pk)).exists()


def test_answering_a_question_in_the_form_records_when(editor):
    question = Question.objects.create(guide=make_guide(), text="When will I be refunded?")
    editor.post(
        f"/admin/questions/question/{question.pk}/change/",
        {"text": question.text, "status": "published", "answer": "Within 14 days."},
    )
    question.refresh_from_db()
    assert question.status == "published" and question.answered_at is not None


def test_resetting_votes_is_recorded_with_who_and_when(editor):
    guide = make_guide()
    add_votes(guide, yes=1, no=1)

    editor.post("/admin/guides/guide/", {"action": "reset_votes", "_selected_action": [guide.pk]})

    guide.refresh_from_db()
    assert guide.votes.count() == guide.votes_total == guide.votes_yes == 0
    reset = VoteReset.objects.get()
    assert (reset.guide, reset.reset_by, reset.votes_yes, reset.votes_no) == (
        guide,
        editor.user,
        1,
        1,
    )
    assert LogEntry.objects.filter(object_id=str(guide.pk), user=editor.user).exists()


def test_votes_are_read_only_for_editors(editor):
    vote = Vote.objects.create(guide=make_guide(), visitor="a", helpful=True)
    assert editor.get("/admin/guides/vote/").status_code == 200
    assert editor.get("/admin/guides/vote/add/").status_code == 403
    response = editor.post(f"/admin/guides/vote/{vote.pk}/change/", {"helpful": "false"})
    assert response.status_code == 403


def test_the_admin_speaks_french_to_an_editor_who_chooses_it(editor):
    editor.post("/i18n/setlang/", {"language": "fr", "next": "/admin/"})
    html = editor.get("/admin/guides/guide/").content.decode()
    assert "Déconnexion" in html
    assert "Questions en attente" in html or "questions en attente" in html


def test_every_admin_change_leaves_an_entry_in_the_admin_log(editor):
    guide = make_guide()
    question = Question.objects.create(guide=guide, text="Is there a phone line?")
    add_votes(guide, yes=1)
    vote = guide.votes.get()
    before = LogEntry.objects.count()

    editor.post(
        f"/admin/questions/question/{question.pk}/change/",
        {"text": question.text, "status": "pending", "answer": "Yes."},
    )
    editor.post("/admin/guides/tag/add/", {"name": "Billing", "slug": "billing"})
    editor.post(f"/admin/guides/vote/{vote.pk}/delete/", {"post": "yes"})
    editor.post("/admin/guides/guide/", {"action": "unpublish", "_selected_action": [guide.pk]})

    entries = LogEntry.objects.order_by("pk")[before:]
    assert [(e.content_type.model, e.action_flag) for e in entries] == [
        ("question", 2),
        ("tag", 1),
        ("vote", 3),
        ("guide", 2),
    ]
    assert all(e.user == editor.user for e in entries)
    guide.refresh_from_db()
    assert guide.votes_total == 0  # a deleted vote is no longer counted

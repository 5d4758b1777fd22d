"""What readers tell about a guide: their vote (and what needs work), and whether a step
worked for them. Each answer is one per reader, stored only from a reader given an id on an
earlier page view and within the rate limits; a refusal says why beside the form."""

from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guides_site.limits import ratelimit
from guides_site.limits.views import minutes_to_wait
from guides_site.questions.masking import mask_personal_data

from .forms import FeedbackForm, StepAnswerForm, VoteForm
from .guide_page import full_guide_page_context, get_guide, render_vote, visitor_vote
from .models import Guide, Step, StepFeedback, Vote
from .outline import Outline
from .views import step_url, walkthrough_context
from .visitors import visitor_id


def _save_per_visitor(model, lookup, values):
    """Create or update a reader's row; a concurrent first write by the same reader
    (a double click) loses the race on the unique constraint and becomes an update."""
    try:
        with transaction.atomic():
            model.objects.update_or_create(**lookup, defaults=values)
    except IntegrityError:
        model.objects.filter(**lookup).update(**values)


def _save_vote(guide, visitor, values):
    """Record a reader's vote and recount the guide's votes, as one transaction.

    The guide row is locked first, so concurrent votes on one guide are counted one after
    the other and the stored counts always equal the votes.
    """
    with transaction.atomic():
        Guide.objects.select_for_update().filter(pk=guide.pk).order_by().first()
        _save_per_visitor(Vote, {"guide": guide, "visitor": visitor}, values)
        Guide.refresh_vote_counts(guide.pk)
    guide.refresh_from_db(fields=["votes_yes", "votes_total"])


class Refused(NamedTuple):
    """Why a submission was not stored, told to the reader beside the form."""

    message: str
    status: int
    retry_after: int | None = None


def slow_down(seconds):
    minutes = minutes_to_wait(seconds)
    return Refused(
        ngettext(
            "That's a lot of answers from your connection. Please wait a minute and try again.",
            "That's a lot of answers from your connection. "
            "Please wait %(minutes)d minutes and try again.",
            minutes,
        )
        % {"minutes": minutes},
        429,
        seconds,
    )


def _no_reader():
    return Refused(
        _(
            "We could not count this answer: your browser did not send back the cookie this "
            "page gave it. Please reload the page and try again."
        ),
        403,
    )


def _store_vote(request, guide, visitor, values):
    """Record a reader's vote; a Refused if it cannot count.

    A vote counts only from a reader the site gave an id on an earlier page view, within
    the rate limits, and a reader's first vote on a guide only while their network has not
    given it many first votes today (ratelimit.network_may_vote).
    """
    if visitor is None:
        return _no_reader()
    wait = ratelimit.refusal("vote", request, visitor)
    if wait:
        return slow_down(wait)
    first_vote = not Vote.objects.filter(guide=guide, visitor=visitor).exists()
    if first_vote and not ratelimit.network_may_vote(request, guide.pk):
        return Refused(
            _(
                "Many readers on your network have already answered for this guide today, "
                "so we could not count yours. Thank you all the same."
            ),
            429,
            24 * 60 * 60,
        )
    _save_vote(guide, visitor, values)
    ratelimit.record("vote", request, visitor)
    if first_vote:
        ratelimit.record_network_vote(request, guide.pk)
    return None


@require_POST
def vote(request, company, guide):
    guide = get_guide(company, guide)
    form = VoteForm(request.POST)
    visitor = visitor_id(request)
    refused = None
    if form.is_valid():
        refused = _store_vote(request, guide, visitor, {"helpful": form.is_helpful})
    return _vote_response(request, guide, visitor, form, refused=refused)


@require_POST
def vote_feedback(request, company, guide):
    guide = get_guide(company, guide)
    visitor = visitor_id(request)
    form = FeedbackForm(request.POST)
    refused = None
    if form.is_valid():
        # Feedback always comes with a "Needs work" vote, even if the reader's earlier
        # vote was lost (an expired cookie) or said yes.
        refused = _store_vote(
            request,
            guide,
            visitor,
            {
                "helpful": False,
                "reason": form.cleaned_data["reason"],
                "comment": form.cleaned_data["comment"],
                "feedback_sent": True,
            },
        )
    return _vote_response(request, guide, visitor, feedback_form=form, refused=refused)


def _vote_response(request, guide, visitor, form=None, feedback_form=None, refused=None):
    extra = {"swapped": True}
    if feedback_form is not None and not feedback_form.is_valid():
        extra["feedback_form"] = feedback_form
    if form is not None and not form.is_valid():
        extra["vote_error"] = _("Please choose Yes or Needs work.")
    if refused:
        extra["vote_error"] = refused.message
    if request.htmx:
        return HttpResponse(render_vote(request, guide, visitor_vote(guide.pk, visitor), **extra))
    if refused:
        # The whole page, with the reason where the vote was.
        context = full_guide_page_context(request, guide, None, **extra)
        return refused_page(request, "guides/guide.html", context, refused)
    return redirect(guide.get_absolute_url() + "#helpful")


def refused_page(request, template, context, refused):
    response = render(request, template, context, status=refused.status)
    if refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


@require_POST
def step_answer(request, company, guide, position):
    guide = get_guide(company, guide)
    step = get_object_or_404(Step, guide=guide, position=position)
    visitor = visitor_id(request)
    form = StepAnswerForm(request.POST)
    refused = None
    if form.is_valid():
        refused = _store_step_answer(request, step, visitor, form.cleaned_data)
    invalid = form if form.errors else None
    if request.htmx:
        outline = Outline(guide, guide.steps.only("pk", "guide_id", "position", "section_id"))
        return render(
            request,
            "guides/_step_answer.html",
            {
                "guide": guide,
                "step": step,
                "route_end": outline.is_route_end(step.position),
                "swapped": True,
                "refused": refused,
                "step_answer_form": invalid or StepAnswerForm(),
                "answer": step.feedback.filter(visitor=visitor).first() if visitor else None,
            },
        )
    if refused or invalid:
        context = walkthrough_context(request, guide, step, visitor)
        context.update(refused=refused, step_answer_form=invalid or StepAnswerForm())
        if refused:
            return refused_page(request, "guides/walkthrough.html", context, refused)
        return render(request, "guides/walkthrough.html", context)
    return redirect(step_url(guide, position) + "#step-answer")


def _store_step_answer(request, step, visitor, answer):
    if visitor is None:
        return _no_reader()
    wait = ratelimit.refusal("step_answer", request, visitor)
    if wait:
        return slow_down(wait)
    worked = answer["worked"] == "yes"
    values = {"worked": worked}
    if worked:
        values["what_happened"] = ""
    elif answer["what_happened"]:
        # Masked as it is stored: editors list these, and never need the reader's numbers.
        values["what_happened"] = mask_personal_data(answer["what_happened"], step.guide.language)
    _save_per_visitor(StepFeedback, {"step": step, "visitor": visitor}, values)
    ratelimit.record("step_answer", request, visitor)
    return None

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import connection, transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from guides_site.guides.feedback_views import refused_page, slow_down
from guides_site.guides.guide_page import full_guide_page_context, get_guide, visitor_vote
from guides_site.guides.visitors import ensure_visitor_id, remember_visitor
from guides_site.limits import ratelimit
from guides_site.limits.views import minutes_to_wait
from guides_site.search.answers import instant_answers_context, remember_instant_answers

from .forms import QuestionForm
from .mail import question_from_token
from .masking import mask_personal_data
from .models import Question


@require_POST
def ask(request, company, guide):
    guide = get_guide(company, guide)
    visitor = ensure_visitor_id(request)
    form = QuestionForm(request.POST)
    refused = None
    sent = False
    if form.is_valid():
        wait = ratelimit.refusal("question", request, visitor)
        if wait:
            refused = slow_down(wait)
            form.add_error(
                "text",
                _(
                    "You have sent several questions in a short time. Your question is kept "
                    "below: please send it again in %(minutes)s."
                )
                % {"minutes": _minutes_text(wait)},
            )
        else:
            sent = form.is_bot or _store_question(guide, visitor, form)
            if sent and not form.is_bot:
                ratelimit.record("question", request, visitor)
    from_step = _asked_from_step(request, guide)
    if request.htmx:
        response = render(
            request,
            "questions/_question.html",
            {
                "guide": guide,
                "question_form": QuestionForm() if sent else form,
                "question_sent": sent,
                "asking_from_step": from_step,
                "swapped": True,
                **(instant_answers_context(form.cleaned_data["text"], guide) if sent else {}),
            },
        )
    elif sent:
        messages.success(
            request, _("Thank you. Your question was sent to our editors."), extra_tags="question"
        )
        remember_instant_answers(request, form.cleaned_data["text"], guide)
        page = (
            reverse("walkthrough", args=[guide.company.slug, guide.slug, from_step])
            if from_step
            else guide.get_absolute_url()
        )
        response = redirect(page + "#ask")
    else:
        context = full_guide_page_context(request, guide, visitor_vote(guide.pk, visitor))
        context["question_form"] = form
        if refused:
            response = refused_page(request, "guides/guide.html", context, refused)
        else:
            response = render(request, "guides/guide.html", context)
    return remember_visitor(request, response)


def _asked_from_step(request, guide):
    """The step page the question was sent from, to go back to; None for the guide page."""
    position = request.POST.get("from_step", "")
    if position.isdigit() and guide.steps.filter(position=int(position)).exists():
        return int(position)
    return None


def _minutes_text(seconds):
    minutes = minutes_to_wait(seconds)
    return ngettext("%(minutes)d minute", "%(minutes)d minutes", minutes) % {"minutes": minutes}


def _store_question(guide, visitor, form):
    """Store a reader's question, once; False (with the reason on the form) over the cap.

    The checks and the insert run as one transaction under a per-reader lock, so a double
    submit, or many questions sent at once, cannot slip past them.
    """
    typed = form.cleaned_data["text"]
    with transaction.atomic():
        _lock_reader(visitor)
        recent = Question.objects.filter(
            visitor=visitor, created__gte=timezone.now() - timedelta(days=1)
        )
        same = Q(original_text__iexact=typed) | Q(text__iexact=typed)
        if recent.filter(same, guide=guide).exists():
            return True  # the same question again (a double submit): already stored
        if recent.count() >= settings.QUESTIONS_PER_READER_PER_DAY:
            form.add_error(
                "text",
                _(
                    "You have asked many questions today. Please wait for "
                    "our answers, or come back tomorrow."
                ),
            )
            return False
        masked = mask_personal_data(typed, guide.language)
        Question.objects.create(
            guide=guide,
            visitor=visitor,
            text=masked,
            # The reader's own words are kept for the editor only when masking changed them.
            original_text=typed if masked != typed else "",
            email=form.cleaned_data["email"],
        )
        return True


def _lock_reader(visitor):
    """Make one reader's concurrent transactions wait for each other. SQLite's IMMEDIATE
    transactions already run one at a time; PostgreSQL takes an advisory lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [visitor])


# A GET that changes data, on purpose: the link is clicked in a mail client, and all it can do
# is forget what the reader left with us, which is what they asked for. A mail scanner that
# follows it does no harm: the address is deleted once the answer is sent anyway.
@require_safe
@never_cache
def erase_details(request, token):
    try:
        question_id = question_from_token(token)
    except signing.BadSignature:
        return _private(render(request, "questions/erase.html", {"invalid": True}, status=400))
    with transaction.atomic():
        question = Question.objects.select_for_update().filter(pk=question_id).first()
        already = question is None or question.erased_at is not None
        if not already:
            question.forget_reader()
            question.erased_at = timezone.now()
            question.save(update_fields=["email", "original_text", "visitor", "erased_at"])
    return _private(render(request, "questions/erase.html", {"already": already}))


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    return response

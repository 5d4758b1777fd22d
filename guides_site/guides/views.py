import functools
import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from . import page_cache, seo, view_counts
from .forms import FeedbackForm, QuestionForm, StepAnswerForm, VoteForm
from .models import Company, Guide, Question, Step, StepFeedback, Tag, Vote
from .ratelimit import rate_limited
from .release import release_id
from .visitors import ensure_visitor_id, remember_visitor, visitor_id

_BOT_RE = re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|headless", re.I)
RELATED_GUIDES = 5
RELEASE = release_id()


def _reader_language_first(guides):
    return guides.annotate(
        other_language=Case(
            When(language=get_language(), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("other_language", "title")


def _language_links(request, translations=None):
    """Where the language switcher sends the reader: for a guide, its translations;
    elsewhere, the same page in each language."""
    if translations:
        return sorted(translations.items())
    return [(code, translate_url(request.path, code)) for code, _name in settings.LANGUAGES]


# The home page's lists of most viewed and most helpful guides may lag a minute behind.
HOME_CACHE_SECONDS = 60


@require_safe
def home(request):
    # Any change to a company or a guide bumps a company's cache_version.
    generation = Company.objects.aggregate(versions=Sum("cache_version"), count=Count("pk"))

    def render_home(csrf_token):
        guides = Guide.objects.published().in_language(get_language()).select_related("company")
        return render_to_string(
            "guides/home.html",
            {
                "companies": Company.objects.annotate(
                    guide_count=Count("guides", filter=Q(guides__status=Guide.Status.PUBLISHED))
                ).filter(guide_count__gt=0),
                "most_viewed": guides.order_by("-view_count", "title")[:6],
                "most_helpful": guides.ranked()
                .filter(votes_total__gt=0)
                .order_by("-helpful_score", "title")[:6],
                "language_links": _language_links(request),
                "breadcrumbs": seo.breadcrumbs(),
                "csrf_token": csrf_token,
            },
            request,
        )

    return HttpResponse(
        page_cache.cached_page(
            request,
            ["home", generation["versions"], generation["count"]],
            render_home,
            release=RELEASE,
            seconds=HOME_CACHE_SECONDS,
        )
    )


@require_safe
def about(request):
    return render(
        request,
        "guides/about.html",
        {
            "language_links": _language_links(request),
            "breadcrumbs": seo.breadcrumbs((_("About"), request.path)),
        },
    )


@require_safe
def company(request, company):
    company = get_object_or_404(Company, slug=company)

    def render_company(csrf_token):
        return render_to_string(
            "guides/company.html",
            {
                "company": company,
                "guides": _reader_language_first(company.guides.published()),
                "language_links": _language_links(request),
                "breadcrumbs": seo.breadcrumbs((company.name, company.get_absolute_url())),
                "csrf_token": csrf_token,
            },
            request,
        )

    return HttpResponse(
        page_cache.cached_page(
            request,
            ["company", company.pk, company.cache_version],
            render_company,
            release=RELEASE,
        )
    )


@require_safe
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    guides = _reader_language_first(tag.guides.published().select_related("company"))
    if not guides:
        raise Http404("No published guide has this tag.")
    return render(
        request,
        "guides/tag.html",
        {
            "tag": tag,
            "guides": guides,
            "language_links": _language_links(request),
            "breadcrumbs": seo.breadcrumbs((tag.name, request.path)),
        },
    )


def _get_guide(company, slug):
    """The published guide in the page's language, or 404."""
    return get_object_or_404(
        Guide.objects.published().select_related("company"),
        company__slug=company,
        slug=slug,
        language=get_language(),
    )


def full_guide_page_context(request, guide, vote):
    """Everything the guide page shows, this reader's vote box and the view count included,
    for the few responses rendered whole instead of from the cached page."""
    return {
        **guide_page_context(request, guide),
        "views_text": _views_text(guide.view_count + view_counts.pending_views(guide.pk)),
        "vote_html": _render_vote(request, guide, vote),
    }


def guide_page_context(request, guide):
    """What the guide page shows to every reader. Querysets stay lazy: only a render
    evaluates them, and the page is rendered once per version of the guide (page_cache)."""
    translations = _translations(guide)
    return {
        "guide": guide,
        "company": guide.company,
        "steps": guide.steps.all(),
        "tags": guide.tags.all(),
        "contacts": guide.company.contacts.all(),
        "related": guide.company.guides.published()
        .in_language(guide.language)
        .exclude(pk=guide.pk)
        .order_by("-view_count", "title")[:RELATED_GUIDES],
        "answered_questions": guide.questions.published().order_by("-answered_at"),
        "translations": translations,
        "language_links": _language_links(request, translations),
        "question_form": QuestionForm(),
        "breadcrumbs": seo.breadcrumbs(
            (guide.company.name, guide.company.get_absolute_url()),
            (guide.title, guide.get_absolute_url()),
        ),
    }


def _views_text(views):
    return ngettext("Viewed %(views)s time", "Viewed %(views)s times", views) % {
        "views": intcomma(views)
    }


def _render_vote(request, guide, vote, **extra):
    context = {"guide": guide, **_vote_context(guide, vote), **extra}
    return render_to_string("guides/_vote.html", context, request)


def _translations(guide):
    """{language: url} of the guide and its published translations."""
    key = f"translations:{guide.pk}:{guide.cache_version}:{guide.company.cache_version}"

    def find():
        found = {guide.language: guide.get_absolute_url()}
        if guide.translation_key:
            for other in (
                Guide.objects.published()
                .select_related("company")
                .filter(translation_key=guide.translation_key)
                .exclude(language=guide.language)
            ):
                found[other.language] = other.get_absolute_url()
        return found

    return cache.get_or_set(key, find, page_cache.CACHE_SECONDS)


def _visitor_vote(guide_id, visitor):
    if not visitor:
        return None
    return Vote.objects.filter(guide_id=guide_id, visitor=visitor).order_by().first()


def _vote_context(guide, vote):
    return {
        "vote": vote,
        "votes_yes": guide.votes_yes,
        "votes_total": guide.votes_total,
        "votes_percent": guide.helpful_percent,
        "feedback_form": FeedbackForm(),
    }


def _guide_etag(request, state, vote):
    """Changes whenever the page this browser would get changes (the view count aside)."""
    parts = [
        RELEASE,
        get_language(),
        *state.versions_and_votes,
        vote and (vote.helpful, vote.feedback_sent, vote.reason),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME),
        request.COOKIES.get("messages"),
    ]
    return quote_etag(hashlib.sha256(repr(parts).encode()).hexdigest()[:32])


@require_safe
def guide(request, company, guide):
    # The busiest page: one small query, then the cached page (page_cache). The guide itself
    # is only loaded when a part of its page has to be rendered.
    state = page_cache.guide_state(company, guide, get_language())
    if state is None:
        # The address may exist in another language: send the reader to it.
        other = (
            Guide.objects.published()
            .select_related("company")
            .filter(company__slug=company, slug=guide)
            .first()
        )
        if other is None:
            raise Http404("No such guide.")
        return redirect(other)
    views = _count_view(request, state)
    vote = _visitor_vote(state.pk, visitor_id(request))
    etag = _guide_etag(request, state, vote)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        load_guide = functools.cache(lambda: _get_guide(company, guide))
        if request.COOKIES.get("messages"):  # a confirmation to show: render this one fully
            response = render(
                request, "guides/guide.html", full_guide_page_context(request, load_guide(), vote)
            )
        else:
            vote_html = page_cache.vote_box(
                request,
                state,
                vote,
                release=RELEASE,
                render=lambda token: _render_vote(request, load_guide(), vote, csrf_token=token),
            )
            shell = page_cache.guide_shell(
                request,
                state,
                release=RELEASE,
                build_context=lambda: guide_page_context(request, load_guide()),
            )
            page = page_cache.with_vote_box(shell, vote_html)
            response = HttpResponse(
                page_cache.fill_guide_page(request, page, views_text=_views_text(views))
            )
            if vote is None:  # what any reader without cookies gets: see FirstVisitMiddleware
                response.first_visit_page = {
                    "company": company,
                    "guide": guide,
                    "language": get_language(),
                    "state": state,
                    "page": page,
                }
        response["ETag"] = etag
    # Browsers keep the page but ask every time whether it changed.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def first_visit_guide_page(request, kept):
    """The guide page for a reader without any cookie from the page kept for its address
    (page_cache.FirstVisitPage), or None if the guide has changed or has new votes since.
    See FirstVisitMiddleware."""
    with translation.override(kept.language):
        state = page_cache.guide_state(kept.company, kept.guide, kept.language)
        if state is None or not kept.shows(state):
            return None
        views = _count_view(request, state)
        body = page_cache.fill_first_visit_page(request, kept.parts, views_text=_views_text(views))
    return HttpResponse(body, headers={**kept.headers, "Content-Length": len(body)})


def _count_view(request, state):
    """Count this view unless a bot asks; the number of views to show."""
    if _BOT_RE.search(request.META.get("HTTP_USER_AGENT", "")):
        return state.view_count + view_counts.pending_views(state.pk)
    return state.view_count + view_counts.count_view(state.pk)


@require_safe
@vary_on_headers("HX-Request")
def walkthrough(request, company, guide, position):
    guide = _get_guide(company, guide)
    step = get_object_or_404(guide.steps, position=position)
    total = guide.steps.count()
    visitor = visitor_id(request)
    context = {
        "guide": guide,
        "company": guide.company,
        "step": step,
        "total": total,
        "previous_url": _step_url(guide, position - 1) if position > 1 else None,
        "next_url": _step_url(guide, position + 1) if position < total else None,
        "answer": step.feedback.filter(visitor=visitor).first() if visitor else None,
        "contacts": guide.company.contacts.all(),
        "breadcrumbs": seo.breadcrumbs(
            (guide.company.name, guide.company.get_absolute_url()),
            (guide.title, guide.get_absolute_url()),
            (_("Step %(number)s") % {"number": position}, request.path),
        ),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "guides/_walkthrough.html", context)
    return render(request, "guides/walkthrough.html", context)


def _step_url(guide, position):
    return reverse("walkthrough", args=[guide.company.slug, guide.slug, position])


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


@require_POST
@rate_limited("vote")
def vote(request, company, guide):
    guide = _get_guide(company, guide)
    form = VoteForm(request.POST)
    visitor = ensure_visitor_id(request)
    if form.is_valid():
        _save_vote(guide, visitor, {"helpful": form.is_helpful})
    return _vote_response(request, guide, visitor, form)


@require_POST
@rate_limited("vote")
def vote_feedback(request, company, guide):
    guide = _get_guide(company, guide)
    visitor = ensure_visitor_id(request)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        # Feedback always comes with a "Needs work" vote, even if the reader's earlier
        # vote was lost (an expired cookie) or said yes.
        _save_vote(
            guide,
            visitor,
            {
                "helpful": False,
                "reason": form.cleaned_data["reason"],
                "comment": form.cleaned_data["comment"],
                "feedback_sent": True,
            },
        )
    return _vote_response(request, guide, visitor, feedback_form=form)


def _vote_response(request, guide, visitor, form=None, feedback_form=None):
    if request.htmx:
        extra = {"swapped": True}
        if feedback_form is not None and not feedback_form.is_valid():
            extra["feedback_form"] = feedback_form
        if form is not None and not form.is_valid():
            extra["vote_error"] = _("Please choose Yes or Needs work.")
        response = HttpResponse(
            _render_vote(request, guide, _visitor_vote(guide.pk, visitor), **extra)
        )
    else:
        response = redirect(guide.get_absolute_url() + "#helpful")
    return remember_visitor(request, response)


@require_POST
@rate_limited("step_answer")
def step_answer(request, company, guide, position):
    guide = _get_guide(company, guide)
    step = get_object_or_404(Step, guide=guide, position=position)
    visitor = ensure_visitor_id(request)
    form = StepAnswerForm(request.POST)
    if form.is_valid():
        _save_per_visitor(
            StepFeedback,
            {"step": step, "visitor": visitor},
            {"worked": form.cleaned_data["worked"] == "yes"},
        )
    if request.htmx:
        response = render(
            request,
            "guides/_step_answer.html",
            {
                "guide": guide,
                "step": step,
                "swapped": True,
                "answer": step.feedback.filter(visitor=visitor).first(),
            },
        )
    else:
        response = redirect(_step_url(guide, position) + "#step-answer")
    return remember_visitor(request, response)


@require_POST
@rate_limited("question")
def ask(request, company, guide):
    guide = _get_guide(company, guide)
    visitor = ensure_visitor_id(request)
    form = QuestionForm(request.POST)
    sent = form.is_valid() and (form.is_bot or _store_question(guide, visitor, form))
    if request.htmx:
        response = render(
            request,
            "guides/_question.html",
            {
                "guide": guide,
                "question_form": QuestionForm() if sent else form,
                "question_sent": sent,
                "swapped": True,
            },
        )
    elif sent:
        messages.success(
            request, _("Thank you. Your question was sent to our editors."), extra_tags="question"
        )
        response = redirect(guide.get_absolute_url() + "#ask")
    else:
        context = full_guide_page_context(request, guide, _visitor_vote(guide.pk, visitor))
        context["question_form"] = form
        response = render(request, "guides/guide.html", context)
    return remember_visitor(request, response)


def _store_question(guide, visitor, form):
    """Store a reader's question, once; False (with the reason on the form) over the cap.

    The checks and the insert run as one transaction under a per-reader lock, so a double
    submit, or many questions sent at once, cannot slip past them.
    """
    with transaction.atomic():
        _lock_reader(visitor)
        recent = Question.objects.filter(
            visitor=visitor, created__gte=timezone.now() - timedelta(days=1)
        )
        if recent.filter(guide=guide, text__iexact=form.cleaned_data["text"]).exists():
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
        Question.objects.create(
            guide=guide,
            visitor=visitor,
            text=form.cleaned_data["text"],
            email=form.cleaned_data["email"],
        )
        return True


def _lock_reader(visitor):
    """Make one reader's concurrent transactions wait for each other. SQLite's IMMEDIATE
    transactions already run one at a time; PostgreSQL takes an advisory lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [visitor])


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")

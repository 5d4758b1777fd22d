import functools
import hashlib
import re
from typing import NamedTuple

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import EmptyPage, Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from guides_site.contacts.presentation import window_start as channel_window_start
from guides_site.limits import ratelimit
from guides_site.limits.views import minutes_to_wait
from guides_site.questions.forms import QuestionForm
from guides_site.questions.masking import mask_personal_data

from . import directory, page_cache, seo, view_counts
from .forms import FeedbackForm, StepAnswerForm, VoteForm
from .models import Company, Guide, Step, StepFeedback, Tag, Vote
from .outline import Outline
from .release import release_id
from .visitors import give_visitor_id, visitor_id

_BOT_RE = re.compile(r"bot|crawl|spider|slurp|preview|facebookexternalhit|headless", re.I)
RELATED_GUIDES = 5
# Small numbers say little and look odd ("Viewed 2 times", "0% of 3 readers"): the view
# count shows from this many views, the share of readers helped from this many votes.
SHOW_VIEWS_FROM = 100
SHOW_SHARE_FROM = 5
RELEASE = release_id()


def _in_page_language(guides):
    """Lists never mix languages: a reader of the French pages sees the French guides."""
    return guides.in_language(get_language()).order_by("title")


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
                # An A–Z index, not every company: 10,000 tiles would be the whole page.
                "letters": directory.initials(get_language()),
                "most_viewed": guides.order_by("-view_count", "title")[:6],
                "most_helpful": guides.filter(votes_total__gt=0).order_by(
                    "-helpful_score", "title"
                )[:6],
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
    company = get_object_or_404(Company.objects.prefetch_related("translations"), slug=company)
    # The page carries its channels' opening intervals for the weeks from this one on.
    contact_window = channel_window_start()
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit():
        raise Http404("No such page of guides.")

    def render_company(csrf_token):
        # A long list of guides comes in pages; a page past the last is a 404, found here,
        # when the page is built, so that a kept page costs no count.
        paginator = Paginator(
            _in_page_language(company.guides.published()), COMPANY_GUIDES_PER_PAGE
        )
        try:
            guides_page = paginator.page(page_number)
        except EmptyPage as error:
            raise Http404("No such page of guides.") from error
        return render_to_string(
            "guides/company.html",
            {
                "company": company,
                "contact_window": contact_window,
                "guides": guides_page.object_list,
                "guides_page": guides_page,
                "language_links": _language_links(request),
                "breadcrumbs": seo.breadcrumbs((company.name_in(), company.get_absolute_url())),
                "csrf_token": csrf_token,
            },
            request,
        )

    return HttpResponse(
        page_cache.cached_page(
            request,
            ["company", company.pk, company.cache_version, f"{contact_window:%Y%m%d}", page_number],
            render_company,
            release=RELEASE,
        )
    )


COMPANY_GUIDES_PER_PAGE = 50


@require_safe
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    guides = _in_page_language(tag.guides.published().select_related("company"))
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


def get_guide(company, slug):
    """The published guide in the page's language, or 404."""
    return get_object_or_404(
        Guide.objects.published().select_related("company"),
        company__slug=company,
        slug=slug,
        language=get_language(),
    )


def full_guide_page_context(request, guide, vote, **vote_extra):
    """Everything the guide page shows, this reader's vote box (with vote_extra in its
    context) and the view count included, for the few responses rendered whole instead of
    from the cached page."""
    return {
        **guide_page_context(request, guide),
        "views_text": _views_text(guide.view_count + view_counts.pending_views(guide.pk)),
        "vote_html": _render_vote(request, guide, vote, **vote_extra),
    }


def guide_page_context(request, guide):
    """What the guide page shows to every reader. Querysets stay lazy: only a render
    evaluates them, and the page is rendered once per version of the guide (page_cache)."""
    translations = _translations(guide)
    return {
        "guide": guide,
        "company": guide.company,
        "outline": Outline(guide),
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
    if views < SHOW_VIEWS_FROM:
        return ""
    return ngettext("Viewed %(views)s time", "Viewed %(views)s times", views) % {
        "views": intcomma(views)
    }


def _render_vote(request, guide, vote, **extra):
    context = {"guide": guide, **_vote_context(guide, vote), **extra}
    return render_to_string("guides/_vote.html", context, request)


def _translations(guide):
    """{language: url} of the guide and its published translations."""

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

    return page_cache.kept(
        ["translations", guide.pk, guide.cache_version, guide.company.cache_version],
        find,
        release=RELEASE,
    )


def visitor_vote(guide_id, visitor):
    if not visitor:
        return None
    return Vote.objects.filter(guide_id=guide_id, visitor=visitor).order_by().first()


def _vote_context(guide, vote):
    return {
        "vote": vote,
        "votes_yes": guide.votes_yes,
        "votes_total": guide.votes_total,
        "votes_percent": guide.helpful_percent,
        "show_share": guide.votes_total >= SHOW_SHARE_FROM,
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
    state, vote = page_cache.guide_state(company, guide, get_language(), visitor_id(request))
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
    etag = _guide_etag(request, state, vote)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        load_guide = functools.cache(lambda: get_guide(company, guide))
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
    return give_visitor_id(request, response)


def first_visit_guide_page(request, kept):
    """The guide page for a reader without any cookie from the page kept for its address
    (page_cache.FirstVisitPage), or None if the guide has changed or has new votes since.
    See FirstVisitMiddleware."""
    with translation.override(kept.language):
        state, _vote = page_cache.guide_state(kept.company, kept.guide, kept.language)
        if state is None or not kept.shows(state):
            return None
        views = _count_view(request, state)
        body = page_cache.fill_first_visit_page(request, kept.parts, views_text=_views_text(views))
    response = HttpResponse(body, headers={**kept.headers, "Content-Length": len(body)})
    return give_visitor_id(request, response)


def _count_view(request, state):
    """Count this view unless a bot asks; the number of views to show."""
    if _BOT_RE.search(request.META.get("HTTP_USER_AGENT", "")):
        return state.view_count + view_counts.pending_views(state.pk)
    return state.view_count + view_counts.count_view(state.pk)


@require_safe
@vary_on_headers("HX-Request")
def walkthrough(request, company, guide, position):
    guide = get_guide(company, guide)
    step = get_object_or_404(guide.steps, position=position)
    context = _walkthrough_context(request, guide, step, visitor_id(request))
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "guides/_walkthrough.html", context)
    else:
        response = render(request, "guides/walkthrough.html", context)
    return give_visitor_id(request, response)


def _walkthrough_context(request, guide, step, visitor):
    outline = Outline(guide, guide.steps.only("pk", "guide_id", "position", "section_id"))
    position = step.position
    group = outline.group_of(position)
    route_end = position == group.last_position
    next_group = outline.group_after(group)
    heading = _("Step %(number)s of %(total)s") % {
        "number": outline.number_of(position),
        "total": group.last_number,
    }
    if group.section:
        heading = f"{heading} · {group.title}"
    crumbs = [
        (guide.company.name, guide.company.get_absolute_url()),
        (guide.title, guide.get_absolute_url()),
    ]
    if group.section:
        crumbs.append((group.title, _step_url(guide, group.first_position)))
    crumbs.append(
        (_("Step %(number)s") % {"number": outline.number_of(position)}, _step_url(guide, position))
    )
    context = {
        "guide": guide,
        "company": guide.company,
        "step": step,
        "outline": outline,
        "group": group,
        "step_heading": heading,
        "progress_value": group.index_of(position),
        "progress_max": len(group.steps),
        "route_end": route_end,
        "sectioned": outline.sectioned,
        "next_route": next_group if route_end else None,
        "next_route_url": _step_url(guide, next_group.first_position)
        if route_end and next_group
        else None,
        "previous_url": _step_url(guide, position - 1) if position > 1 else None,
        "next_url": None if route_end else _step_url(guide, position + 1),
        "answer": step.feedback.filter(visitor=visitor).first() if visitor else None,
        "contacts": guide.company.contacts.all(),
        # A reader stuck on this step can ask about it here, the step already named.
        "question_form": QuestionForm(initial={"text": _step_question_start(outline, group, step)}),
        "asking_from_step": position,
        "step_answer_form": StepAnswerForm(),
        "language_links": _walkthrough_language_links(guide, position),
        "breadcrumbs": seo.breadcrumbs(*crumbs),
    }
    if route_end:
        context["vote_html"] = _render_vote(request, guide, visitor_vote(guide.pk, visitor))
    return context


def _step_question_start(outline, group, step):
    number = outline.number_of(step.position)
    if group.section:
        return _("Step %(number)s (%(route)s): ") % {"number": number, "route": group.title}
    return _("Step %(number)s: ") % {"number": number}


def _step_url(guide, position):
    return reverse("walkthrough", args=[guide.company.slug, guide.slug, position])


def _walkthrough_language_links(guide, position):
    """The same step in each translation that has it; else the translation's guide page."""
    translations = _translations(guide)
    having_step = set()
    if len(translations) > 1:
        having_step = set(
            Step.objects.filter(
                guide__translation_key=guide.translation_key,
                guide__status=Guide.Status.PUBLISHED,
                guide__language__in=list(translations),
                position=position,
            ).values_list("guide__language", flat=True)
        )
    links = {}
    for code, url in translations.items():
        if code == guide.language or code in having_step:
            links[code] = f"{url}step/{position}/"
        else:
            links[code] = url
    return sorted(links.items())


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
        return HttpResponse(_render_vote(request, guide, visitor_vote(guide.pk, visitor), **extra))
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
        context = _walkthrough_context(request, guide, step, visitor)
        context.update(refused=refused, step_answer_form=invalid or StepAnswerForm())
        if refused:
            return refused_page(request, "guides/walkthrough.html", context, refused)
        return render(request, "guides/walkthrough.html", context)
    return redirect(_step_url(guide, position) + "#step-answer")


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


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {seo.absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")

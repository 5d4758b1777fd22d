"""'Did you reach a person?' under each channel of the company page."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from guides_site.guides.visitors import ensure_visitor_id, remember_visitor
from guides_site.limits import ratelimit
from guides_site.limits.views import minutes_to_wait

from . import reach
from .forms import ReachForm
from .models import ContactChannel, ReachReport
from .presentation import ChannelView, window_start


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def reached(request, company, channel):
    """GET: what readers say of the channel (the company page loads it with htmx, which a
    cached page cannot hold). POST: a reader's answer, one a day per channel."""
    channel = get_object_or_404(
        ContactChannel.objects.select_related("company"), pk=channel, company__slug=company
    )
    form, refused, status = ReachForm(), None, 200
    if request.method == "POST":
        form = ReachForm(request.POST)
        if form.is_valid():
            refused = _store(request, channel, form.cleaned_data)
            if refused is None:
                if not request.htmx:
                    messages.success(request, _("Thank you: your answer helps other readers."))
                    return remember_visitor(request, redirect(request.path))
                form = None
            else:
                status = 429
    context = {
        "channel": channel,
        "view": ChannelView(channel, request.LANGUAGE_CODE, window_start()),
        "company": channel.company,
        "summary": summary_text(channel),
        "form": form,
        "refused": refused,
        "thanks": request.method == "POST" and form is None,
    }
    template = "contacts/_reach.html" if request.htmx else "contacts/reach_page.html"
    response = render(request, template, context, status=status)
    if refused:
        response["Retry-After"] = str(refused[1])
    return remember_visitor(request, response) if request.method == "POST" else response


def _store(request, channel, data):
    """None once the answer is stored, else (why not, seconds to wait)."""
    visitor = ensure_visitor_id(request)
    wait = ratelimit.refusal("reach", request, visitor)
    if wait:
        minutes = minutes_to_wait(wait)
        return (
            ngettext(
                "That's a lot of answers from your connection. Please wait a minute and try again.",
                "That's a lot of answers from your connection. Please wait %(minutes)d "
                "minutes and try again.",
                minutes,
            )
            % {"minutes": minutes},
            wait,
        )
    values = {
        "reached": data["reached"],
        "minutes_waited": data["minutes"] if data["reached"] else None,
    }
    lookup = {"channel": channel, "visitor": visitor, "day": timezone.now().date()}
    try:
        with transaction.atomic():
            ReachReport.objects.update_or_create(**lookup, defaults=values)
    except IntegrityError:  # the same reader twice at once: the second is an update
        ReachReport.objects.filter(**lookup).update(**values)
    ratelimit.record("reach", request, visitor)
    return None


def summary_text(channel):
    """'A reader got through 2 days ago · typical wait 12 min', from 3 answers in 30 days."""
    found = reach.summary(channel)
    if found is None:
        return ""
    if found["last_reached"] is None:
        return ngettext(
            "No reader got through lately (%(count)s answer in 30 days).",
            "No reader got through lately (%(count)s answers in 30 days).",
            found["count"],
        ) % {"count": found["count"]}
    days = (timezone.now() - found["last_reached"]).days
    if days == 0:
        text = _("A reader got through today")
    else:
        text = ngettext(
            "A reader got through %(days)s day ago",
            "A reader got through %(days)s days ago",
            days,
        ) % {"days": days}
    if found["typical_wait"] is not None:
        text += " · " + _("typical wait %(minutes)s min") % {"minutes": found["typical_wait"]}
    return text

"""Readers' answers to "Did you reach a person?": what a channel shows, and the channels
editors should look at."""

import statistics
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guides_site.dashboard.panels import Panel, Row

from .models import ContactChannel, ReachReport

RECENT_DAYS = 30
# Fewer answers than this say too little to show, or to worry an editor.
SHOW_FROM = 3
PANEL_ROWS = 5


def recent_reports(channel):
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return ReachReport.objects.filter(channel=channel, changed__gte=since)


def summary(channel):
    """{"count", "last_reached" (a datetime or None), "typical_wait" (minutes or None)} of
    the last 30 days, or None below SHOW_FROM answers."""
    reports = list(recent_reports(channel).values_list("reached", "minutes_waited", "changed"))
    if len(reports) < SHOW_FROM:
        return None
    reached = [(minutes, changed) for ok, minutes, changed in reports if ok]
    waits = [minutes for minutes, _changed in reached if minutes is not None]
    return {
        "count": len(reports),
        "reached": len(reached),
        "last_reached": max((changed for _m, changed in reached), default=None),
        "typical_wait": round(statistics.median(waits)) if waits else None,
    }


def unreachable_channels(since=None):
    """Channels most readers could not get through lately, the worst first."""
    since = since or timezone.now() - timedelta(days=RECENT_DAYS)
    recent = Q(reach_reports__changed__gte=since)
    channels = (
        ContactChannel.objects.select_related("company")
        .annotate(
            answers=Count("reach_reports", filter=recent),
            failures=Count("reach_reports", filter=recent & Q(reach_reports__reached=False)),
        )
        .filter(answers__gte=SHOW_FROM)
    )
    found = [c for c in channels if c.failures * 2 > c.answers]
    return sorted(found, key=lambda c: (-c.failures / c.answers, -c.answers, c.pk))


def unreachable_channels_panel(request):
    """The editors' home panel: channels readers could not get through lately."""
    if not request.user.has_perm("contacts.view_reachreport"):
        return None
    channels = unreachable_channels()
    if not channels:
        return None
    rows = tuple(
        Row(
            text=f"{channel.company.name}: {channel.label_text() or channel.value}",
            url=reverse("admin:guides_company_change", args=[channel.company_id]),
            detail=ngettext(
                "%(failures)s of %(answers)s reader could not get through",
                "%(failures)s of %(answers)s readers could not get through",
                channel.answers,
            )
            % {"failures": channel.failures, "answers": channel.answers},
        )
        for channel in channels[:PANEL_ROWS]
    )
    return Panel(
        title=_("Channels readers could not get through lately"),
        count=len(channels),
        url=reverse("admin:contacts_reachreport_changelist") + "?reached__exact=0",
        rows=rows,
        summary=ngettext("in the last %(days)s day", "in the last %(days)s days", RECENT_DAYS)
        % {"days": RECENT_DAYS},
        order=40,
    )

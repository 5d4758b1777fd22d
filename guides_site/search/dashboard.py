"""The editors' home page panel: what readers searched for and did not find."""

from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from guides_site.dashboard.panels import Panel, Row

from .models import DismissedSearch, MissedSearch

DAYS = 30
SHOWN = 5


def most_missed(days=DAYS):
    """(text, language, searches) of the last days, the most frequent first, without those
    an editor dismissed."""
    since = timezone.localdate() - timedelta(days=days)
    dismissed = DismissedSearch.objects.filter(text=OuterRef("text"), language=OuterRef("language"))
    return (
        MissedSearch.objects.filter(day__gte=since)
        .exclude(Exists(dismissed))
        .values("text", "language")
        .annotate(searches=Sum("count"))
        .order_by("-searches", "text")
    )


def missed_searches_panel(request):
    if not request.user.has_perm("search.view_missedsearch"):
        return None
    missed = most_missed()
    top = list(missed[:SHOWN])
    if not top:
        return None
    url = reverse("admin:search_missedsearch_changelist")
    return Panel(
        title=_("Searches that found nothing"),
        count=missed.count(),
        url=url,
        summary=_("in the last %(days)d days; dismiss one once a guide answers it")
        % {"days": DAYS},
        rows=tuple(
            Row(
                text=f"“{m['text']}”",
                url=f"{url}?{urlencode({'q': m['text']})}",
                detail=_("%(count)d searches, %(language)s")
                % {"count": m["searches"], "language": m["language"]},
            )
            for m in top
        ),
        order=40,
    )

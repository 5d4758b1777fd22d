"""The editors' home page panels about guides: the unhappy ones, and the steps that fail."""

from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _

from guides_site.dashboard.panels import Panel, Row, register

from .models import Guide, Step

SHOWN = 5
# A step is someone's problem once this many readers said it did not work.
STUCK_MIN_FAILED = 3


@register
def guides_needing_attention(request):
    if not request.user.has_perm("guides.change_guide"):
        return None
    guides = Guide.objects.needing_attention()
    worst = list(guides.select_related("company").order_by("helpful_score", "-votes_total")[:SHOWN])
    changelist = reverse("admin:guides_guide_changelist")
    return Panel(
        title=_("Guides needing attention"),
        count=guides.count() if worst else 0,
        url=f"{changelist}?attention=yes",
        summary=_("Readers found them unhelpful, or questions wait on them."),
        rows=tuple(
            Row(
                text=guide.title,
                url=reverse("admin:guides_guide_change", args=[guide.pk]),
                detail=_("%(share)s found helpful · %(waiting)s waiting")
                % {
                    "share": f"{round(100 * guide.votes_yes / guide.votes_total)}%"
                    if guide.votes_total
                    else "—",
                    "waiting": guide.questions_waiting,
                },
            )
            for guide in worst
        ),
        order=20,
    )


@register
def stuck_steps(request):
    if not request.user.has_perm("guides.change_guide"):
        return None
    steps = (
        Step.objects.annotate(
            failed=Count("feedback", filter=Q(feedback__worked=False)),
            answered=Count("feedback"),
        )
        .filter(failed__gte=STUCK_MIN_FAILED)
        .annotate(failed_share=Cast("failed", FloatField()) / F("answered"))
    )
    worst = list(steps.select_related("guide").order_by("-failed_share", "-failed", "pk")[:SHOWN])
    return Panel(
        title=_("Steps where readers get stuck"),
        count=steps.count() if worst else 0,
        url=reverse("admin:guides_stepfeedback_changelist") + "?worked__exact=0",
        summary=_("At least %(n)d readers said the step did not work.") % {"n": STUCK_MIN_FAILED},
        rows=tuple(
            Row(
                text=_("%(guide)s, step %(n)d") % {"guide": step.guide.title, "n": step.position},
                url=reverse("admin:guides_guide_change", args=[step.guide_id]),
                detail=_("%(failed)d of %(answered)d said it did not work")
                % {"failed": step.failed, "answered": step.answered},
            )
            for step in worst
        ),
        order=30,
    )

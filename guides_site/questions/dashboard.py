from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from guides_site.dashboard.panels import Panel, Row, register

from .models import Question

SHOWN = 5


@register
def questions_waiting(request):
    if not request.user.has_perm("questions.change_question"):
        return None
    waiting = Question.objects.waiting()
    oldest = list(waiting.select_related("guide").order_by("created")[:SHOWN])
    changelist = reverse("admin:questions_question_changelist")
    now = timezone.now()
    return Panel(
        title=_("Questions waiting for an answer"),
        count=waiting.count() if oldest else 0,
        url=f"{changelist}?status__exact=pending",
        summary=_("The oldest has waited %(age)s.") % {"age": timesince(oldest[0].created, now)}
        if oldest
        else "",
        rows=tuple(
            Row(
                text=question.text[:90],
                url=reverse("admin:questions_question_change", args=[question.pk]),
                detail=_("%(guide)s · %(age)s")
                % {
                    "guide": question.guide.title,
                    "age": timesince(question.created, now),
                },
            )
            for question in oldest
        ),
        order=10,
    )

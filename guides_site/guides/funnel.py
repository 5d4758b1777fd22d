"""The step-by-step funnel of a guide for editors: per step, how many readers answered
"Did this step work?" and how; drawn as a small SVG by the admin, no script needed."""

from dataclasses import dataclass

from django.db.models import Count, Q

BAR_WIDTH = 420  # the SVG's units for the longest bar


@dataclass(frozen=True)
class FunnelStep:
    position: int
    text: str
    worked: int
    failed: int
    worked_width: int
    failed_width: int
    y: int

    @property
    def answered(self):
        return self.worked + self.failed

    @property
    def failed_share(self):
        return self.failed / self.answered if self.answered else 0.0


def guide_funnel(guide, row_height=26):
    steps = list(
        guide.steps.annotate(
            worked_count=Count("feedback", filter=Q(feedback__worked=True)),
            failed_count=Count("feedback", filter=Q(feedback__worked=False)),
        ).order_by("position")
    )
    most = max((s.worked_count + s.failed_count for s in steps), default=0) or 1
    return [
        FunnelStep(
            position=step.position,
            text=step.body_md,
            worked=step.worked_count,
            failed=step.failed_count,
            worked_width=round(BAR_WIDTH * step.worked_count / most),
            failed_width=round(BAR_WIDTH * step.failed_count / most),
            y=index * row_height,
        )
        for index, step in enumerate(steps)
    ]


def stuck_first(funnel):
    """Steps readers answered, where most said it did not work first."""
    answered = [step for step in funnel if step.answered]
    return sorted(answered, key=lambda s: (-s.failed_share, -s.failed, s.position))

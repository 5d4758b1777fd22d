from django.db import migrations, models
from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Greatest, Sqrt

# As guides.models had them when this migration was written (a migration keeps its own copy:
# the models may change after it).
WILSON_Z = 1.96
NEEDS_ATTENTION_MIN_VOTES = 10


def compute_ranking(apps, schema_editor):
    Guide = apps.get_model("guides", "Guide")
    Question = apps.get_model("questions", "Question")
    n = Cast(F("votes_total"), FloatField())
    p = Cast(F("votes_yes"), FloatField()) / Greatest(n, Value(1.0))
    z2 = Value(WILSON_Z**2)
    score = (p + z2 / (2 * n) - Value(WILSON_Z) * Sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (
        1 + z2 / n
    )
    waiting = Question.objects.filter(guide=OuterRef("pk"), status="pending")
    count = waiting.order_by().values("guide").annotate(n=models.Count("pk")).values("n")
    unhappy = Q(votes_total__gte=NEEDS_ATTENTION_MIN_VOTES, votes_yes__lt=F("votes_total") / 2.0)
    Guide.objects.update(
        helpful_score=Case(When(votes_total=0, then=Value(0.0)), default=score),
        questions_waiting=Coalesce(Subquery(count), 0),
        needs_attention=Case(
            When(unhappy | Q(Exists(waiting)), then=Value(True)), default=Value(False)
        ),
    )


class Migration(migrations.Migration):
    """The guide list's sort keys stored on the guide, so that it reads a page of an index
    instead of computing them for every guide."""

    dependencies = [
        ("guides", "0010_step_answer_what_happened"),
        ("questions", "0002_answers_by_email_and_masking"),
    ]

    operations = [
        migrations.AddField(
            model_name="guide",
            name="helpful_score",
            field=models.FloatField(default=0.0, editable=False, verbose_name="helpful score"),
        ),
        migrations.AddField(
            model_name="guide",
            name="needs_attention",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="needs attention"
            ),
        ),
        migrations.AddField(
            model_name="guide",
            name="questions_waiting",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="questions waiting"
            ),
        ),
        migrations.AddIndex(
            model_name="guide",
            index=models.Index(
                fields=["-needs_attention", "-questions_waiting", "helpful_score", "title", "-id"],
                name="guide_attention_order",
            ),
        ),
        migrations.RunPython(compute_ranking, migrations.RunPython.noop),
    ]

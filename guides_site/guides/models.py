from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Greatest, Sqrt
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from guides_site.content.rendering import normalise_source, render_markdown

SLUG_PATTERN = r"\A[a-z0-9]+(?:[-_][a-z0-9]+)*\Z"  # \Z: no trailing newline either
slug_validator = RegexValidator(
    SLUG_PATTERN,
    _("Use lowercase letters, digits and single hyphens or underscores, e.g. “get-a-refund”."),
)
# Company pages live at /<company>/, so a company may not take the name of another page.
RESERVED_COMPANY_SLUGS = frozenset(
    {
        *("admin", "about", "tags", "static", "media", "fr", "en", "i18n", "preview"),
        *("healthz", "readyz", "your-details", "search", "companies"),
    }
)

WILSON_Z = 1.96
# What a reader may say happened instead, when a step did not work.
STEP_ANSWER_DETAIL_CHARS = 500
# Below this many votes, a low share of "yes" says little about a guide.
NEEDS_ATTENTION_MIN_VOTES = 10


class SubqueryCount(Subquery):
    """The number of rows of a correlated subquery, without joins that multiply rows."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


class ImportedContent(models.Model):
    """What the content import needs to sync a row with its Markdown file."""

    source_path = models.CharField(_("source file"), max_length=300, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    edited_since_import = models.BooleanField(
        _("edited in the admin since the last import"), default=False
    )

    class Meta:
        abstract = True


class Company(ImportedContent):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, validators=[slug_validator])
    website = models.URLField(_("website"), blank=True)
    about_md = models.TextField(_("about (Markdown)"), blank=True)
    about_html = models.TextField(editable=False, blank=True)
    # Defaults for its contact channels: phone numbers and public holidays, opening hours.
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. FR")
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, blank=True, help_text=_("IANA name, e.g. Europe/Paris")
    )
    # Part of the cache key of every page showing the company or its guides.
    cache_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("company", args=[self.slug])

    def render(self):
        self.about_md = normalise_source(self.about_md)
        self.about_html = render_markdown(self.about_md)

    def _translation(self, language):
        language = language or translation.get_language()
        if language == settings.LANGUAGE_CODE:
            return None
        # .all() so that a prefetch of translations serves every call.
        return next((t for t in self.translations.all() if t.language == language), None)

    def name_in(self, language=None):
        found = self._translation(language)
        return (found and found.name) or self.name

    def about_html_in(self, language=None):
        """The about text in that language, or the default language's where none exists."""
        found = self._translation(language)
        return found.about_html if found and found.about_md else self.about_html


class CompanyTranslation(models.Model):
    """A company's name and about text in another language than the default
    (content/<company>/company.<language>.md)."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="translations", verbose_name=_("company")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(
        _("name"), max_length=100, blank=True, help_text=_("Blank: the company's usual name.")
    )
    about_md = models.TextField(_("about (Markdown)"), blank=True)
    about_html = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["company", "language"]
        verbose_name = _("company translation")
        verbose_name_plural = _("company translations")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "language"], name="one_company_translation_per_language"
            )
        ]

    def __str__(self):
        return f"{self.company} ({self.language})"

    def save(self, *args, **kwargs):
        self.about_md = normalise_source(self.about_md)
        self.about_html = render_markdown(self.about_md, self.language)
        super().save(*args, **kwargs)


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tag", args=[self.slug])


class GuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Guide.Status.PUBLISHED)

    def in_language(self, language):
        return self.filter(language=language)

    def needing_attention(self):
        """Guides readers are unhappy with, or with questions waiting."""
        return self.filter(needs_attention=True)

    def refresh_ranking(self):
        """Recompute the stored helpful score, questions waiting and needs attention of these
        guides from their vote counts and questions, in one statement."""
        question = self.model._meta.get_field("questions").related_model
        waiting = question.objects.filter(guide=OuterRef("pk"), status="pending").values("pk")
        unhappy = Q(
            votes_total__gte=NEEDS_ATTENTION_MIN_VOTES, votes_yes__lt=F("votes_total") / 2.0
        )
        return self.update(
            helpful_score=_helpful_score(),
            questions_waiting=SubqueryCount(waiting),
            needs_attention=Case(
                When(unhappy | Q(Exists(waiting)), then=Value(True)), default=Value(False)
            ),
        )


def _helpful_score():
    """The lower bound of the 95% Wilson interval of the share of readers who found a guide
    helpful: a fair ranking, where 1 "yes" out of 1 does not beat 180 out of 200."""
    n = Cast(F("votes_total"), FloatField())
    p = Cast(F("votes_yes"), FloatField()) / Greatest(n, Value(1.0))
    z2 = Value(WILSON_Z**2)
    score = (p + z2 / (2 * n) - Value(WILSON_Z) * Sqrt(p * (1 - p) / n + z2 / (4 * n * n))) / (
        1 + z2 / n
    )
    return Case(When(votes_total=0, then=Value(0.0)), default=score)


class Guide(ImportedContent):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Numbering(models.TextChoices):
        CONTINUOUS = "continuous", _("Steps numbered on across sections")
        PER_SECTION = "per-section", _("Numbering restarts in each section")

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="guides", verbose_name=_("company")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, validators=[slug_validator])
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    translation_key = models.CharField(
        _("translation key"),
        max_length=170,
        blank=True,
        db_index=True,
        help_text=_("Guides sharing this key are translations of each other."),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    intro_md = models.TextField(_("introduction (Markdown)"), blank=True)
    intro_html = models.TextField(editable=False, blank=True)
    closing_md = models.TextField(_("closing section (Markdown)"), blank=True)
    closing_html = models.TextField(editable=False, blank=True)
    author = models.CharField(_("author"), max_length=100, blank=True)
    published = models.DateField(_("published"), default=date.today)
    updated = models.DateField(_("updated"), null=True, blank=True)
    tags = models.ManyToManyField(Tag, related_name="guides", blank=True, verbose_name=_("tags"))
    numbering = models.CharField(
        _("step numbering"),
        max_length=12,
        choices=Numbering.choices,
        default=Numbering.CONTINUOUS,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    view_count = models.PositiveBigIntegerField(_("views"), default=0, editable=False)
    # Kept equal to the Vote rows by refresh_vote_counts(), so a page shows its result
    # without counting votes on every view.
    votes_yes = models.PositiveIntegerField(_("“yes” votes"), default=0, editable=False)
    votes_total = models.PositiveIntegerField(_("votes"), default=0, editable=False)
    # Part of every cache key of the guide's page: bumped when anything shown on it changes.
    cache_version = models.PositiveIntegerField(default=1, editable=False)
    # What editors' lists sort by, kept by refresh_ranking() when votes or questions change:
    # computed per row at query time, the guide list took minutes at 100,000 guides.
    helpful_score = models.FloatField(_("helpful score"), default=0.0, editable=False)
    questions_waiting = models.PositiveIntegerField(
        _("questions waiting"), default=0, editable=False
    )
    needs_attention = models.BooleanField(_("needs attention"), default=False, editable=False)

    objects = GuideQuerySet.as_manager()

    class Meta:
        ordering = ["company__name", "title"]
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "language", "slug"], name="unique_guide_slug_per_language"
            )
        ]
        indexes = [
            # The editors' guide list, in its default order, a page at a time.
            models.Index(
                fields=["-needs_attention", "-questions_waiting", "helpful_score", "title", "-id"],
                name="guide_attention_order",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.render()
        if not self.translation_key and self.company_id:
            self.translation_key = f"{self.company.slug}/{self.slug}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("guide", args=[self.company.slug, self.slug])

    def render(self):
        self.intro_md = normalise_source(self.intro_md)
        self.closing_md = normalise_source(self.closing_md)
        self.intro_html = render_markdown(self.intro_md, self.language)
        self.closing_html = render_markdown(self.closing_md, self.language)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def helpful_percent(self):
        return round(100 * self.votes_yes / self.votes_total) if self.votes_total else 0

    @classmethod
    def refresh_vote_counts(cls, pk):
        """Recount a guide's votes from the Vote rows, in one statement.

        Callers that change votes lock the guide row first (select_for_update), so that
        concurrent recounts of one guide run one after the other and see each other's votes.
        """
        votes = Vote.objects.filter(guide=OuterRef("pk")).values("pk")
        cls.objects.filter(pk=pk).update(
            votes_yes=SubqueryCount(votes.filter(helpful=True)),
            votes_total=SubqueryCount(votes),
        )
        cls.objects.filter(pk=pk).refresh_ranking()


class Section(models.Model):
    """A named route through a guide ("If you pay for Premium"): the steps that follow its
    heading in the guide's file, up to the next section."""

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="sections", verbose_name=_("guide")
    )
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["guide", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["guide", "position"], name="unique_section_position")
        ]

    def __str__(self):
        return self.title

    @property
    def anchor(self):
        """The id of its heading on the guide page: an intro can link to #section-2."""
        return f"section-{self.position}"


class Step(models.Model):
    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="steps", verbose_name=_("guide")
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="steps",
        verbose_name=_("section"),
    )
    position = models.PositiveIntegerField(_("position"))
    body_md = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["guide", "position"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["guide", "position"], name="unique_step_position")
        ]

    def __str__(self):
        return f"{self.guide} — {self.position}"

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def render(self):
        self.body_md = normalise_source(self.body_md)
        self.body_html = render_markdown(self.body_md, self.guide.language)


class Vote(models.Model):
    """One reader's answer to "Was this page helpful?"; a changed mind updates the row."""

    class Reason(models.TextChoices):
        OUTDATED = "outdated", _("It's out of date")
        UNCLEAR = "unclear", _("It's hard to follow")
        DID_NOT_WORK = "did_not_work", _("I followed it and it didn't work")
        MISSING = "missing", _("Information is missing")
        OTHER = "other", _("Something else")

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="votes", verbose_name=_("guide")
    )
    visitor = models.CharField(max_length=64)
    helpful = models.BooleanField(_("helpful"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=1000, blank=True)
    feedback_sent = models.BooleanField(default=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-changed"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["guide", "visitor"], name="one_vote_per_reader")
        ]

    def __str__(self):
        return f"{self.guide}: {'yes' if self.helpful else 'needs work'}"


class StepFeedback(models.Model):
    """A reader's answer to "Did this step work?" in step-by-step mode."""

    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("step")
    )
    visitor = models.CharField(max_length=64)
    worked = models.BooleanField(_("worked"))
    what_happened = models.TextField(
        _("what happened instead"), max_length=STEP_ANSWER_DETAIL_CHARS, blank=True
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-changed"]
        verbose_name = _("step feedback")
        verbose_name_plural = _("step feedback")
        constraints = [
            models.UniqueConstraint(fields=["step", "visitor"], name="one_answer_per_step_reader")
        ]

    def __str__(self):
        return f"{self.step}: {'worked' if self.worked else 'did not work'}"


class VoteReset(models.Model):
    """A record that an editor cleared a guide's votes after rewriting it."""

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="vote_resets", verbose_name=_("guide")
    )
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        verbose_name=_("reset by"),
    )
    reset_at = models.DateTimeField(_("reset at"), auto_now_add=True)
    votes_yes = models.PositiveIntegerField(_("“yes” votes cleared"))
    votes_no = models.PositiveIntegerField(_("“needs work” votes cleared"))

    class Meta:
        ordering = ["-reset_at"]
        verbose_name = _("vote reset")
        verbose_name_plural = _("vote resets")

    def __str__(self):
        return f"{self.guide} — {self.reset_at:%Y-%m-%d}"

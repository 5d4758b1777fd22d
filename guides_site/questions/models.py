from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guides_site.guides.models import Guide

# How long a reader's address and their words as typed are kept when no answer comes.
KEEP_UNANSWERED = timedelta(days=90)


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Question.Status.PUBLISHED).exclude(answer="")

    def waiting(self):
        return self.filter(status=Question.Status.PENDING)

    def past_keeping(self, now=None):
        """Questions still holding an address or the reader's own words that should not:
        rejected ones, and any asked more than KEEP_UNANSWERED ago (no answer came, or its
        e-mail could not be sent)."""
        now = now or timezone.now()
        holding = ~models.Q(email="") | ~models.Q(original_text="") | ~models.Q(visitor="")
        return self.filter(holding).filter(
            models.Q(status=Question.Status.REJECTED) | models.Q(created__lt=now - KEEP_UNANSWERED)
        )


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        PUBLISHED = "published", _("Answered and published")
        PRIVATE = "private", _("Answered by e-mail only")
        REJECTED = "rejected", _("Rejected")

    guide = models.ForeignKey(
        Guide, on_delete=models.CASCADE, related_name="questions", verbose_name=_("guide")
    )
    visitor = models.CharField(max_length=64, blank=True)
    text = models.TextField(
        _("question, as it will be published"),
        max_length=1000,
        help_text=_(
            "Card numbers, IBANs, e-mail addresses and phone numbers the reader typed are "
            "already masked. Edit anything else that should not be public."
        ),
    )
    original_text = models.TextField(
        _("question, as the reader typed it"),
        blank=True,
        help_text=_("Kept only until the question is answered or rejected."),
    )
    email = models.EmailField(_("e-mail for the answer"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_sent_at = models.DateTimeField(_("answer e-mailed"), null=True, blank=True)
    mail_error = models.CharField(_("last sending problem"), max_length=300, blank=True)
    erased_at = models.DateTimeField(_("reader erased their details"), null=True, blank=True)
    created = models.DateTimeField(_("asked"), auto_now_add=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        db_table = "guides_question"  # the table it had in the guides app, data and all
        ordering = ["-created"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["status", "created"], name="question_status_created")]

    def __str__(self):
        return self.text[:80]

    @property
    def is_answered(self):
        return bool(self.answer) and self.status in (self.Status.PUBLISHED, self.Status.PRIVATE)

    @property
    def awaits_mail(self):
        return self.is_answered and bool(self.email) and self.answer_sent_at is None

    def forget_reader(self):
        """Drop what identifies the asker; the caller saves."""
        self.email = ""
        self.original_text = ""
        self.visitor = ""

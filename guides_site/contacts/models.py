from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guides_site.guides.models import Company


def in_language(texts, language=None):
    """The text for the reader's language, else the default language's, else "".

    Only the default language stands in for a missing translation, so a French page never
    shows a label an author wrote in a third language.
    """
    if not texts:
        return ""
    if isinstance(texts, str):  # a row written without the content format's checks
        return texts
    language = language or get_language() or settings.LANGUAGE_CODE
    return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or ""


class ContactChannel(models.Model):
    """One way to reach a person at a company, in the order readers should try them."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        CHAT = "chat", _("Chat")
        HELP = "help", _("Help page")
        POST = "post", _("Postal address")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("company")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Texts readers see, {language: text}; the default language stands in for the others.
    label = models.JSONField(_("label"), default=dict, blank=True)
    value = models.CharField(
        _("number, address or link"),
        max_length=300,
        help_text=_("Phone numbers: international (+33…), or a short number (3635)."),
    )
    hours = models.CharField(
        _("opening hours"),
        max_length=200,
        blank=True,
        help_text=_("OpenStreetMap syntax, e.g. Mo-Fr 08:00-20:00; Sa 09:00-18:00; PH off"),
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, blank=True, help_text=_("Blank: the company's.")
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("Blank: the company's.")
    )
    cost = models.JSONField(_("cost"), default=dict, blank=True)
    note = models.JSONField(_("note"), default=dict, blank=True)
    # [{"press": "1"} or {"say": "adviser"}, each with "for": {language: text}]
    menu = models.JSONField(_("phone menu"), default=list, blank=True)
    checked = models.DateField(_("last checked"), null=True, blank=True)
    # The languages it answers in; a page in one of them lists the channel first.
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)

    class Meta:
        db_table = "guides_contactchannel"  # created by the guides app, kept as it was
        ordering = ["company", "position", "id"]
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.value}"

    @property
    def effective_timezone(self):
        return self.timezone or self.company.timezone

    @property
    def effective_country(self):
        return self.country or self.company.country

    @property
    def href(self):
        if self.kind == self.Kind.PHONE:
            return "tel:" + "".join(ch for ch in self.value if ch.isdigit() or ch == "+")
        if self.kind == self.Kind.EMAIL:
            return "mailto:" + self.value
        if self.kind in (self.Kind.CHAT, self.Kind.HELP) and self.value.startswith(
            ("https://", "http://")
        ):
            return self.value
        return ""

    def label_text(self, language=None):
        return in_language(self.label, language)

    def cost_text(self, language=None):
        return in_language(self.cost, language)

    def note_text(self, language=None):
        return in_language(self.note, language)


class ReachReport(models.Model):
    """A reader's answer to "Did you reach a person?" for one channel, one a day."""

    channel = models.ForeignKey(
        ContactChannel,
        on_delete=models.CASCADE,
        related_name="reach_reports",
        verbose_name=_("contact channel"),
    )
    visitor = models.CharField(max_length=64)
    day = models.DateField(_("day"))
    reached = models.BooleanField(_("reached a person"))
    minutes_waited = models.PositiveSmallIntegerField(_("minutes waited"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        ordering = ["-changed"]
        verbose_name = _("reach report")
        verbose_name_plural = _("reach reports")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "visitor", "day"], name="one_reach_report_per_reader_per_day"
            )
        ]
        indexes = [models.Index(fields=["channel", "changed"], name="reach_report_recent")]

    def __str__(self):
        return f"{self.channel}: {'reached' if self.reached else 'not reached'}"

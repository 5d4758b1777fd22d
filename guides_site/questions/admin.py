from django.contrib import admin, messages
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides_site.dashboard.filters import AutocompleteFilter, AutocompleteFilterMedia
from guides_site.guides.admin import OfferedLookupsOnly

from .models import Question
from .tasks import queue_answer


@admin.register(Question)
class QuestionAdmin(OfferedLookupsOnly, AutocompleteFilterMedia, admin.ModelAdmin):
    list_display = ["short_text", "guide", "status", "created", "reply"]
    list_filter = ["status", "guide__language", ("guide", AutocompleteFilter)]
    list_select_related = ["guide", "guide__company"]
    search_fields = ["text", "answer", "guide__title"]
    readonly_fields = ["guide", "original_text", "reply", "created", "answered_at"]
    actions = ["publish", "reject"]
    date_hierarchy = "created"
    show_full_result_count = False

    def get_fields(self, request, obj=None):
        fields = ["guide", "created", "text", "original_text", "reply", "status", "answer"]
        if obj is not None and not obj.original_text:
            fields.remove("original_text")  # masking changed nothing, or it was purged
        if obj is not None and obj.answered_at:
            fields.append("answered_at")
        return fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("question"))
    def short_text(self, question):
        return format_html("{}", question.text[:90] + ("…" if len(question.text) > 90 else ""))

    @admin.display(description=_("answer by e-mail"))
    def reply(self, question):
        """Where the reader's copy of the answer stands; the address itself is not shown."""
        if question.answer_sent_at:
            return _("Sent %(when)s") % {"when": _date(question.answer_sent_at)}
        if question.mail_error:
            return _("Not sent yet: %(problem)s") % {"problem": question.mail_error}
        if question.erased_at:
            return _("The reader erased their details")
        if question.email:
            return _("Waiting: saving an answer as published or e-mail only sends it")
        return "—"

    def save_model(self, request, obj, form, change):
        answered_states = (Question.Status.PUBLISHED, Question.Status.PRIVATE)
        if obj.status in answered_states and not obj.answer:
            obj.status = Question.Status.PENDING
            messages.warning(
                request, _("A question is answered only once it has an answer; it stays waiting.")
            )
        if obj.answer and obj.status in answered_states and obj.answered_at is None:
            obj.answered_at = timezone.now()
        if obj.status == Question.Status.REJECTED:
            obj.forget_reader()
        super().save_model(request, obj, form, change)
        queue_answer(obj)
        if obj.awaits_mail:
            messages.info(request, _("The answer will be e-mailed to the reader in a moment."))

    @admin.action(description=_("Publish the selected answered questions"), permissions=["change"])
    def publish(self, request, queryset):
        answered = queryset.exclude(answer="")
        count = 0
        for question in answered:
            question.status = Question.Status.PUBLISHED
            question.answered_at = question.answered_at or timezone.now()
            question.save(update_fields=["status", "answered_at"])
            queue_answer(question)
            self.log_change(request, question, [{"changed": {"fields": ["status"]}}])
            count += 1
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext("%d question published.", "%d questions published.", count) % count,
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d question has no answer yet and was left waiting.",
                    "%d questions have no answer yet and were left waiting.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )

    @admin.action(description=_("Reject the selected questions"), permissions=["change"])
    def reject(self, request, queryset):
        for question in queryset:
            question.status = Question.Status.REJECTED
            question.forget_reader()
            question.save(update_fields=["status", "email", "original_text", "visitor"])
            self.log_change(request, question, [{"changed": {"fields": ["status"]}}])
        self.message_user(
            request, _("Questions rejected: they will never appear on the site."), messages.SUCCESS
        )


def _date(moment):
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")

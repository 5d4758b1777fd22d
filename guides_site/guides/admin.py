from adminsortable2.admin import (
    CustomInlineFormSet,
    SortableAdminBase,
    SortableStackedInline,
)
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, F, FloatField, Q
from django.db.models.functions import Cast, NullIf
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides_site.contacts.admin import ContactChannelInline
from guides_site.content.rendering import (
    MAX_STEP_CHARS,
    MAX_TEXT_CHARS,
    checked_render,
)
from guides_site.dashboard.filters import AutocompleteFilter, AutocompleteFilterMedia
from guides_site.questions.masking import mask_personal_data
from guides_site.search import index as search_index

from .funnel import guide_funnel, stuck_first
from .guide_page import full_guide_page_context
from .models import (
    Company,
    CompanyTranslation,
    Guide,
    Section,
    Step,
    StepFeedback,
    Tag,
    Vote,
    VoteReset,
)

NEWEST_COMMENTS = 10
# What the filters and the date hierarchy add to a field's path in a changelist's address.
_FILTER_LOOKUPS = frozenset(
    {"exact", "isnull", "in", "gt", "gte", "lt", "lte", "year", "month", "day", "id", "pk"}
)


class OfferedLookupsOnly:
    """A changelist takes only the lookups its filters and date hierarchy offer.

    Django's own check lets through any lookup on the model's own fields: an editor could
    then recover a reader's hidden visitor id by bisection (?visitor__startswith=…) and join
    what that reader voted, answered and asked, or run slow regular expressions. Search (?q=)
    is not a lookup, and stays as search_fields say.
    """

    def lookup_allowed(self, lookup, value, request=None):
        if not super().lookup_allowed(lookup, value, request):
            return False
        paths = set()
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                if lookup == item.parameter_name:
                    return True
                continue
            paths.add(item[0] if isinstance(item, (tuple, list)) else item)
        if self.date_hierarchy:
            paths.add(self.date_hierarchy)
        return any(
            lookup.startswith(path + "__")
            and set(lookup.removeprefix(path + "__").split("__")) <= _FILTER_LOOKUPS
            for path in paths
        )


def markdown_limit(field_name):
    """The most characters a Markdown field takes: a step's text, or any other."""
    return MAX_STEP_CHARS if field_name.endswith("body_md") else MAX_TEXT_CHARS


def for_editors(problems):
    """check_markdown's problems as sentences for an editor."""
    return [
        _("Line %(line)s: %(problem)s") % {"line": line, "problem": problem}
        if line
        else capfirst(problem)
        for line, problem in problems
    ]


def markdown_preview_html(source, max_chars):
    """source rendered as an import or a save would, or why it cannot be."""
    problems, html = checked_render(source, max_chars)
    if problems:
        return format_html_join(
            "", '<p class="markdown-problem">{}</p>', ((p,) for p in for_editors(problems))
        )
    return html


def markdown_validator(max_chars):
    def validate(source):
        # Rendered, not only checked: what the save will render must not fail there.
        if problems := checked_render(source, max_chars)[0]:
            raise ValidationError(for_editors(problems))

    return validate


class MarkdownWidget(forms.Textarea):
    """A Markdown textarea with a live preview of the sanitised HTML, rendered by the
    server (the same code as on import) as the editor types."""

    template_name = "admin/guides/markdown_widget.html"

    class Media:
        js = ["django_htmx/htmx-2.min.js", "admin/guides/markdown-preview.js"]
        css = {"all": ["admin/guides/markdown.css"]}

    def __init__(self, attrs=None, max_chars=MAX_TEXT_CHARS):
        super().__init__(attrs)
        self.max_chars = max_chars

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "hx-post": reverse("admin:guides_markdown_preview"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "next .markdown-preview",
                "hx-sync": "this:replace",
            }
        )
        # A form sent back with errors shows what was typed: why, rather than a rendering.
        context["widget"]["preview_html"] = markdown_preview_html(value or "", self.max_chars)
        return context


class MarkdownFieldsMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        if db_field.name.endswith("_md"):
            rows = 4 if db_field.name == "body_md" else 6
            limit = markdown_limit(db_field.name)
            kwargs["widget"] = MarkdownWidget(attrs={"rows": rows}, max_chars=limit)
            kwargs["validators"] = [markdown_validator(limit)]
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class CompanyTranslationInline(MarkdownFieldsMixin, admin.StackedInline):
    model = CompanyTranslation
    fields = ["language", "name", "about_md"]
    extra = 0
    verbose_name = _("name and about text in another language")
    verbose_name_plural = _("names and about texts in other languages")


@admin.register(Company)
class CompanyAdmin(OfferedLookupsOnly, MarkdownFieldsMixin, SortableAdminBase, admin.ModelAdmin):
    list_display = ["name", "slug", "guide_count", "website"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "website", "country", "timezone", "about_md", "edited_since_import"]
    readonly_fields = ["edited_since_import"]
    inlines = [ContactChannelInline, CompanyTranslationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(guide_count=Count("guides"))

    @admin.display(description=_("guides"), ordering="guide_count")
    def guide_count(self, company):
        return company.guide_count

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and (form.has_changed() or any(f.has_changed() for f in formsets)):
            Company.objects.filter(pk=form.instance.pk).update(edited_since_import=True)


class SectionInline(admin.TabularInline):
    """A guide's routes by name. Which steps each holds is set on the steps, and sections
    take the order of their steps."""

    model = Section
    ordering = ["position"]
    fields = ["title"]
    extra = 0
    verbose_name = _("section (route)")
    verbose_name_plural = _("sections (routes): name them here, then choose each step's section")


class SectionChoiceField(forms.ModelChoiceField):
    """The guide's sections, read once for all the step forms rather than once per step."""

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.widget.choices = self.widget.choices
        return result


class StepFormSet(CustomInlineFormSet):
    def clean(self):
        super().clean()
        kept = [
            f
            for f in self.forms
            if hasattr(f, "cleaned_data")
            and (f.instance.pk or f.has_changed())
            and not f.cleaned_data.get("DELETE")
        ]
        kept.sort(key=lambda f: (f.cleaned_data.get("position") or 10**9, f.instance.pk or 10**9))
        finished, previous = set(), None
        for step_form in kept:
            section = step_form.cleaned_data.get("section")
            if section != previous:
                if section is not None and section.pk in finished:
                    raise forms.ValidationError(
                        _(
                            "The steps of section “%(title)s” must follow each other: move "
                            "them together, or give the steps between them this section."
                        )
                        % {"title": section.title}
                    )
                if previous is not None:
                    finished.add(previous.pk)
                previous = section


class StepInline(MarkdownFieldsMixin, SortableStackedInline):
    model = Step
    formset = StepFormSet

    class Media:
        js = ["admin/guides/step-headers.js"]

    ordering = ["position"]
    fields = ["section", "body_md", "position"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        request.guide_being_edited = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            guide = getattr(request, "guide_being_edited", None)
            kwargs["queryset"] = (
                Section.objects.filter(guide=guide) if guide else Section.objects.none()
            )
            kwargs["form_class"] = SectionChoiceField
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.widget.choices = list(field.choices)
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes: readers unhappy or questions waiting"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.needing_attention()
        return queryset


@admin.register(Guide)
class GuideAdmin(
    OfferedLookupsOnly,
    AutocompleteFilterMedia,
    MarkdownFieldsMixin,
    SortableAdminBase,
    admin.ModelAdmin,
):
    # Fits a 1366-px screen: what tells an editor where to look (helpful share, questions
    # waiting) stays in view; the step count and ranking score are on the guide's page.
    list_display = [
        "title",
        "company",
        "language",
        "status",
        "votes_total",
        "helpful_share",
        "questions_waiting",
        "updated",
    ]
    list_filter = [("company", AutocompleteFilter), "language", "status", NeedsAttentionFilter]
    list_select_related = ["company"]
    # Searched through the search index (get_search_results), not LIKE over every step.
    search_fields = ["title"]
    search_help_text = _("Words of the title, summary, tags or steps, in either language.")
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["company"]
    filter_horizontal = ["tags"]
    readonly_fields = ["view_count", "source_path", "edited_since_import", "updated"]
    fieldsets = [
        (None, {"fields": ["company", "title", "slug", "language", "status", "summary"]}),
        (_("Text"), {"fields": ["intro_md", "closing_md"]}),
        (
            _("Details"),
            {
                "fields": [
                    "author",
                    "published",
                    "updated",
                    "numbering",
                    "tags",
                    "translation_key",
                ]
            },
        ),
        (
            _("Import"),
            {
                "classes": ["collapse"],
                "fields": ["source_path", "edited_since_import", "view_count"],
            },
        ),
    ]
    inlines = [SectionInline, StepInline]
    actions = ["publish", "unpublish", "reset_votes"]
    change_form_template = "admin/guides/guide/change_form.html"

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        matches = search_index.admin_matches(search_term[:200])
        return queryset.filter(Q(pk__in=matches) | Q(slug=search_term.strip())), False

    def get_queryset(self, request):
        # What "found helpful" shows, to sort by; guides without votes come last.
        return (
            super()
            .get_queryset(request)
            .annotate(votes_share=Cast("votes_yes", FloatField()) / NullIf("votes_total", 0))
        )

    def get_ordering(self, request):
        # The guide list: needs attention first, and among those the least helpful, in the
        # order of the guide_attention_order index (with the -pk Django adds), a page at a
        # time. Elsewhere (the autocomplete of a filter or a field): by title, in stable pages.
        match = request.resolver_match
        if match and match.url_name == "guides_guide_changelist":
            return ["-needs_attention", "-questions_waiting", "helpful_score", "title"]
        return super().get_ordering(request) or ["title", "pk"]

    @admin.display(description=_("votes"), ordering="votes_total")
    def votes_total(self, guide):
        return guide.votes_total

    @admin.display(description=_("found helpful"), ordering="votes_share")
    def helpful_share(self, guide):
        if not guide.votes_total:
            return "—"
        return f"{round(100 * guide.votes_yes / guide.votes_total)}%"

    def get_urls(self):
        return [
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview),
                name="guides_markdown_preview",
            ),
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_page),
                name="guides_guide_preview",
            ),
            *super().get_urls(),
        ]

    def markdown_preview(self, request):
        """Render Markdown exactly as an import or a save would, for those who may change
        guides; or say why it cannot be."""
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        if request.method != "POST":
            return HttpResponse(status=405)
        # htmx posts the whole form and names the textarea that changed.
        name = request.headers.get("HX-Trigger-Name", "")
        return HttpResponse(markdown_preview_html(request.POST.get(name, ""), markdown_limit(name)))

    def preview_page(self, request, pk):
        """A draft, shown to staff as readers will see it once published."""
        guide = get_object_or_404(Guide.objects.select_related("company"), pk=pk)
        if not self.has_view_permission(request, guide):
            return HttpResponse(status=403)
        context = full_guide_page_context(request, guide, vote=None)
        context["is_preview"] = True
        return TemplateResponse(request, "guides/guide.html", context)

    def view_on_site(self, guide):
        if guide.is_published:
            return guide.get_absolute_url()
        return reverse("admin:guides_guide_preview", args=[guide.pk])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        guide = Guide.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if guide is not None:
            funnel = guide_funnel(guide)
            extra_context["funnel"] = funnel
            extra_context["funnel_height"] = len(funnel) * 26
            extra_context["stuck_steps"] = stuck_first(funnel)
            # Votes that say why: a bare "Needs work" is in the counts, not in this list.
            said_why = Q(comment__gt="") | ~Q(reason="")
            extra_context["needs_work"] = guide.votes.filter(said_why, helpful=False).order_by(
                "-changed"
            )[:NEWEST_COMMENTS]
            extra_context["what_happened"] = (
                StepFeedback.objects.filter(step__guide=guide, worked=False)
                .exclude(what_happened="")
                .select_related("step")
                .order_by("-changed")[:NEWEST_COMMENTS]
            )
            extra_context["vote_resets"] = guide.vote_resets.select_related("reset_by")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change and form.has_changed():
            obj.updated = timezone.localdate()
            obj.edited_since_import = True
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Section:
            _save_sections(form.instance, formset)
        elif formset.model is Step:
            _save_steps_in_order(form.instance, formset)
        else:
            return super().save_formset(request, form, formset, change)
        if change and formset.has_changed():
            Guide.objects.filter(pk=form.instance.pk).update(
                updated=timezone.localdate(), edited_since_import=True
            )

    @admin.action(description=_("Publish the selected guides"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Guide.Status.PUBLISHED)

    @admin.action(description=_("Unpublish the selected guides"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Guide.Status.DRAFT)

    def _set_status(self, request, queryset, status):
        for guide in queryset:
            guide.status = status
            guide.edited_since_import = True
            guide.save(update_fields=["status", "edited_since_import"])
            self.log_change(request, guide, [{"changed": {"fields": ["status"]}}])
        self.message_user(
            request,
            ngettext("%d guide updated.", "%d guides updated.", len(queryset)) % len(queryset),
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Reset the votes of the selected guides (after a rewrite)"),
        permissions=["change"],
    )
    def reset_votes(self, request, queryset):
        with transaction.atomic():
            for guide in queryset:
                counts = guide.votes.aggregate(
                    yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
                )
                guide.votes.all().delete()
                Guide.refresh_vote_counts(guide.pk)
                VoteReset.objects.create(
                    guide=guide,
                    reset_by=request.user,
                    votes_yes=counts["yes"],
                    votes_no=counts["no"],
                )
                self.log_change(
                    request, guide, _("Votes reset: %(yes)d yes, %(no)d needs work") % counts
                )
        self.message_user(
            request, _("Votes reset. The old counts are kept in “Vote resets”."), messages.SUCCESS
        )


def _save_sections(guide, formset):
    """Save the sections; new ones go last until _order_sections puts them in place."""
    formset.save(commit=False)
    for section in formset.deleted_objects:
        section.delete()
    last = guide.sections.order_by("-position").values_list("position", flat=True).first() or 0
    for section in formset.new_objects:
        last += 1
        section.guide = guide
        section.position = last
        section.save()
    for section, _fields in formset.changed_objects:
        section.save()


def _order_sections(guide):
    """Number the sections 1..n in the order of their first step (those without steps last),
    as a file lists them: the page's #section-N anchors and the export follow."""
    first_steps = {}
    for section_id, position in guide.steps.exclude(section=None).values_list(
        "section_id", "position"
    ):
        first_steps.setdefault(section_id, position)
    sections = list(guide.sections.all())
    wanted = sorted(sections, key=lambda s: (first_steps.get(s.pk, 10**9), s.position))
    if [s.pk for s in wanted] == [s.pk for s in sections]:
        return
    offset = max(s.position for s in sections) + len(sections) + 1
    guide.sections.update(position=F("position") + offset)
    for position, section in enumerate(wanted, start=1):
        section.position = position
        section.save(update_fields=["position"])


def _save_steps_in_order(guide, formset):
    """Save the steps in the order the editor left them, numbered 1..n.

    Positions are unique per guide, so the existing steps are first moved out of the way;
    otherwise swapping two steps would collide halfway.
    """
    formset.save(commit=False)
    for step in formset.deleted_objects:
        step.delete()
    kept = [
        f
        for f in formset.forms
        if (f.instance.pk or f.has_changed()) and not f.cleaned_data.get("DELETE")
    ]
    kept.sort(key=lambda f: (f.cleaned_data.get("position") or 10**9, f.instance.pk or 10**9))
    parked = Step.objects.filter(guide=guide).order_by("-position")
    offset = (parked.values_list("position", flat=True).first() or 0) + len(kept) + 1
    parked.update(position=F("position") + offset)
    sections = set(guide.sections.values_list("pk", flat=True))
    for position, step_form in enumerate(kept, start=1):
        step = step_form.instance
        step.guide = guide
        step.position = position
        if step.section_id not in sections:  # a section deleted in the same save
            step.section = None
        step.save()
    _order_sections(guide)


@admin.register(Tag)
class TagAdmin(OfferedLookupsOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "guide_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(guide_count=Count("guides"))

    @admin.display(description=_("guides"), ordering="guide_count")
    def guide_count(self, tag):
        return tag.guide_count


class ReadOnlyAdmin(OfferedLookupsOnly, AutocompleteFilterMedia, admin.ModelAdmin):
    """Readers' input: editors look and filter, they don't rewrite what readers said.

    These tables grow with every reader: no full count under a filtered list.
    """

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["guide", "helpful", "reason", "masked_comment", "changed"]
    list_filter = ["helpful", "reason", "changed", ("guide", AutocompleteFilter)]
    list_select_related = ["guide"]
    search_fields = ["comment", "guide__title"]
    date_hierarchy = "changed"
    exclude = ["visitor"]

    @admin.display(description=_("comment"))
    def masked_comment(self, vote):
        return mask_personal_data(vote.comment, vote.guide.language) or "—"

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        Guide.refresh_vote_counts(obj.guide_id)

    def delete_queryset(self, request, queryset):
        guide_ids = set(queryset.values_list("guide_id", flat=True))
        super().delete_queryset(request, queryset)
        for guide_id in guide_ids:
            Guide.refresh_vote_counts(guide_id)


@admin.register(StepFeedback)
class StepFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["step", "worked", "what_happened", "changed"]
    list_filter = ["worked", "changed", ("step__guide", AutocompleteFilter)]
    list_select_related = ["step__guide"]
    date_hierarchy = "changed"
    exclude = ["visitor"]


@admin.register(VoteReset)
class VoteResetAdmin(ReadOnlyAdmin):
    list_display = ["guide", "reset_by", "reset_at", "votes_yes", "votes_no"]
    list_filter = ["reset_at", ("guide", AutocompleteFilter)]
    list_select_related = ["guide", "reset_by"]

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides_site.guides.admin import OfferedLookupsOnly

from .models import DismissedSearch, MissedSearch


@admin.register(MissedSearch)
class MissedSearchAdmin(OfferedLookupsOnly, admin.ModelAdmin):
    list_display = ["text", "language", "day", "count"]
    list_filter = ["language", "day"]
    search_fields = ["text"]
    actions = ["dismiss"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_dismiss_permission(self, request):
        return request.user.has_perm("search.add_dismissedsearch")

    @admin.action(
        description=_("Dismiss: a guide answers it now, or none should"),
        permissions=["dismiss"],
    )
    def dismiss(self, request, queryset):
        pairs = set(queryset.values_list("text", "language"))
        for text, language in pairs:
            DismissedSearch.objects.get_or_create(text=text, language=language)
        self.message_user(
            request,
            ngettext(
                "%(count)d search dismissed from the home page.",
                "%(count)d searches dismissed from the home page.",
                len(pairs),
            )
            % {"count": len(pairs)},
            messages.SUCCESS,
        )


@admin.register(DismissedSearch)
class DismissedSearchAdmin(OfferedLookupsOnly, admin.ModelAdmin):
    """Deleting a dismissal shows the search on the home page again."""

    list_display = ["text", "language", "dismissed"]
    search_fields = ["text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

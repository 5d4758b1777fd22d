from adminsortable2.admin import SortableStackedInline
from django.contrib import admin

from guides_site.dashboard.filters import AutocompleteFilter, AutocompleteFilterMedia

from .forms import ContactChannelForm
from .models import ContactChannel, ReachReport


class ContactChannelInline(SortableStackedInline):
    """A company's channels on its admin page, with the content format's checks."""

    model = ContactChannel
    form = ContactChannelForm
    ordering = ["position"]
    extra = 0


@admin.register(ReachReport)
class ReachReportAdmin(AutocompleteFilterMedia, admin.ModelAdmin):
    """Readers' reports are evidence: editors read them, and may delete spam."""

    list_display = ["channel", "reached", "minutes_waited", "day"]
    list_filter = ["reached", "day", ("channel__company", AutocompleteFilter)]
    list_select_related = ["channel__company"]
    show_full_result_count = False
    fields = ["channel", "reached", "minutes_waited", "day"]
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        # Only the filters shown: no bisecting a reader's hidden visitor id.
        shown = lookup.split("__")[0] in ("reached", "day")
        return shown or lookup == "channel__company__id__exact"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

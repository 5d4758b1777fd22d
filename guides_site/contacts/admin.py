from adminsortable2.admin import SortableStackedInline
from django.contrib import admin

from .forms import ContactChannelForm
from .models import ContactChannel, ReachReport


class ContactChannelInline(SortableStackedInline):
    """A company's channels on its admin page, with the content format's checks."""

    model = ContactChannel
    form = ContactChannelForm
    ordering = ["position"]
    extra = 0


@admin.register(ReachReport)
class ReachReportAdmin(admin.ModelAdmin):
    """Readers' reports are evidence: editors read them, and may delete spam."""

    list_display = ["channel", "reached", "minutes_waited", "day"]
    list_filter = ["reached", "day"]
    list_select_related = ["channel__company"]
    fields = ["channel", "reached", "minutes_waited", "day"]
    readonly_fields = fields

    def lookup_allowed(self, lookup, value, request=None):
        # Only the filters shown: no bisecting a reader's hidden visitor id.
        return lookup.split("__")[0] in ("reached", "day")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

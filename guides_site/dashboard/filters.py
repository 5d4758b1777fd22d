"""A changelist filter for a foreign key to a large table: search as you type, one choice.

Django's RelatedFieldListFilter prints every row of the related table into every page of the
list (100,000 guides into each page of votes). This one renders the admin's own autocomplete
select (select2, answered by the admin's autocomplete view through the related admin's
search), inside a GET form that works without JavaScript once a choice is shown, and keeps
the same `<path>__<pk>__exact` parameter as Django's filter, so links and bookmarks carry over.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.translation import gettext as _


class AutocompleteFilter(admin.FieldListFilter):
    template = "admin/autocomplete_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_kwarg = f"{field_path}__{field.target_field.name}__exact"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = field.verbose_name
        self.select = forms.ModelChoiceField(
            queryset=field.remote_field.model._default_manager.all(),
            widget=AutocompleteSelect(field, model_admin.admin_site),
            required=False,
        )

    def expected_parameters(self):
        return [self.lookup_kwarg]

    def get_facet_counts(self, pk_attname, filtered_qs):
        # Counting every related row is what this filter exists to avoid.
        return {}

    def choices(self, changelist):
        value = self.used_parameters.get(self.lookup_kwarg)
        chosen = value[-1] if isinstance(value, list) else value
        yield {
            "selected": chosen is None,
            "query_string": changelist.get_query_string(remove=[self.lookup_kwarg, PAGE_VAR]),
            "display": _("All"),
            "widget": self.select.widget.render(
                self.lookup_kwarg, chosen, attrs={"id": f"id_{self.lookup_kwarg}"}
            ),
            "kept": [
                (name, item)
                for name, values in changelist.params.items()
                if name not in (self.lookup_kwarg, PAGE_VAR)
                for item in (values if isinstance(values, list) else [values])
            ],
        }


class AutocompleteFilterMedia:
    """The autocomplete select's scripts on a changelist whose filters use it."""

    @property
    def media(self):
        media = super().media
        for item in self.list_filter:
            if isinstance(item, (tuple, list)) and item[1] is AutocompleteFilter:
                field = get_fields_from_path(self.model, item[0])[-1]
                media += AutocompleteSelect(field, self.admin_site).media
                return media + forms.Media(js=["dashboard/autocomplete-filter.js"])
        return media

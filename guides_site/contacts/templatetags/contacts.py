from django import template
from django.utils.translation import get_language

from guides_site.guides.templatetags.guides import json_ld

from ..presentation import channel_views
from ..structured_data import organization

register = template.Library()


@register.simple_tag(takes_context=True)
def company_channels(context, company):
    """The company's channels as this page shows them (presentation.ChannelView), in the
    window of opening intervals the page's cache key names ("contact_window")."""
    return channel_views(company, get_language(), context.get("contact_window"))


@register.simple_tag(takes_context=True)
def organization_json_ld(context, company):
    return json_ld(organization(company, company_channels(context, company)))

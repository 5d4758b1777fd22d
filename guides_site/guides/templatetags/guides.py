import json

from django import template
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from guides_site.content import typography

from .. import seo

register = template.Library()

# Like django's json_script: characters that could end the <script> element are escaped.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def breadcrumb_json_ld(context):
    return json_ld(seo.breadcrumb_list(context["breadcrumbs"]))


@register.simple_tag(takes_context=True)
def how_to_json_ld(context):
    return json_ld(seo.how_to(context["guide"], context["outline"].steps))


@register.simple_tag
def qa_json_ld(questions):
    return json_ld(seo.qa_page(questions))


@register.filter
def age(value):
    """'5 years', 'a month': the largest unit only, as in "Published 5 years ago"."""
    return timesince(value, depth=1)


@register.filter
def long_date(value):
    """A date as the page's language writes it: 1 November 2026, 1er novembre 2026."""
    return typography.long_date(value) if value else ""


@register.simple_tag(takes_context=True)
def canonical_url(context):
    return seo.absolute_url(context["request"].path)


@register.simple_tag
def absolute_url(path):
    return seo.absolute_url(path)

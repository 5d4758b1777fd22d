from django import template

from ..suggestions import closest_guides

register = template.Library()


@register.simple_tag(takes_context=True)
def guides_near_this_address(context):
    request = context.get("request")
    return closest_guides(request.path) if request else []

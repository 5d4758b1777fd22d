from django import template

from ..answers import answers_from_messages
from ..suggestions import closest_guides

register = template.Library()


@register.simple_tag(takes_context=True)
def guides_near_this_address(context):
    request = context.get("request")
    return closest_guides(request.path) if request else []


@register.simple_tag(takes_context=True)
def remembered_instant_answers(context):
    return answers_from_messages(context.get("messages") or [])

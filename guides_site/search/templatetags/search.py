from django import template
from django.db import DatabaseError

from ..answers import answers_from_messages
from ..suggestions import closest_guides

register = template.Library()


@register.simple_tag(takes_context=True)
def guides_near_this_address(context):
    request = context.get("request")
    if request is None:
        return []
    try:
        return closest_guides(request.path)
    except DatabaseError:
        # The page says "not found" whatever the database does: no suggestions then (the
        # outage itself is logged where it matters, not once more per mistyped address).
        return []


@register.simple_tag(takes_context=True)
def remembered_instant_answers(context):
    return answers_from_messages(context.get("messages") or [])

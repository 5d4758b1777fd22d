from django import template

from guides_site.questions.masking import mask_personal_data

from ..panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def editor_panels(context):
    return panels_for(context["request"])


@register.filter
def masked(text, language="en"):
    """Readers' free text as editors may see it in lists: personal data masked."""
    return mask_personal_data(text, language)

from django import template

from lodestar.okrs.models import Initiative

register = template.Library()


@register.simple_tag
def initiative_states():
    """The statuses an initiative can have, for its status select."""
    return Initiative.State.choices

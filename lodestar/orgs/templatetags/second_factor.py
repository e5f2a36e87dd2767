"""``{% second_factor_return as url %}``: on the set-up pages of two-step sign-in (outside every
organization), the organization page a person was sent from because it requires a second factor."""

from django import template

from lodestar.orgs.second_factor import return_to

register = template.Library()


@register.simple_tag(takes_context=True)
def second_factor_return(context) -> str | None:
    request = context.get("request")
    return return_to(request) if request is not None else None

from django import template

from lodestar.pages.checklist import getting_started as checklist_for

register = template.Library()


@register.inclusion_tag("getting_started/checklist.html", takes_context=True)
def getting_started(context) -> dict:
    """The getting-started checklist for an owner or admin, while a step is open (nothing otherwise)."""
    request = context["request"]
    return {
        "checklist": checklist_for(request.membership),
        "organization": request.organization,
        "csrf_token": context.get("csrf_token"),
    }

from django import template

from lodestar.okrs import selectors
from lodestar.okrs.models import Initiative

register = template.Library()


@register.simple_tag
def initiative_states():
    """The statuses an initiative can have, for its status select."""
    return Initiative.State.choices


@register.simple_tag(takes_context=True)
def objectives_moving(context, kpi_id: int) -> str:
    """On a KPI's page: the objectives that aim to move it, as far as the reader may see them."""
    objectives = selectors.objectives_moving(context["request"].membership, kpi_id)
    with context.push(objectives=objectives):
        return context.template.engine.get_template("okrs/partials/kpi_objectives.html").render(context)

"""The bridge while pages move to Jinja2 (docs/architecture.md, "Rendering"): a Django template
draws a Jinja2 component with ``{% load jinja %}{% jinja "okrs/partials/objective_card.html" compact=True %}``.

The component sees the Django template's whole context (the view's and the context processors'
values, loop variables), the keyword arguments on top, and the page's CSRF field. Temporary: once
the pages that include a component are Jinja2 themselves, they include it directly and this goes.
"""

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

from lodestar.core.jinja2 import page_csrf

register = template.Library()


@register.simple_tag(takes_context=True)
def jinja(context, template_name: str, **values) -> str:
    component = engines["jinja2"].env.get_template(template_name)
    return mark_safe(component.render(context.flatten() | page_csrf(context.get("request")) | values))

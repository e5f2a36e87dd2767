"""The automatic updates of a key result or KPI, drawn on its page by the page's own template."""

from django import template
from django.urls import reverse

from lodestar.feeds.selectors import feeds_of

register = template.Library()


@register.simple_tag(takes_context=True)
def data_feeds(context, kind: str, target_id: int, *, manage: bool = False) -> str:
    """``kind``: "key_result" or "kpi"; ``manage``: the reader may set feeds up (the page decided)."""
    organization = context["request"].organization
    manage_url = None
    if manage:
        manage_url = reverse(f"feeds:{kind}_feeds", kwargs={"org_slug": organization.slug, f"{kind}_id": target_id})
    with context.push(feeds=feeds_of(organization.pk, kind, target_id), manage_url=manage_url):
        return context.template.engine.get_template("feeds/_summary.html").render(context)

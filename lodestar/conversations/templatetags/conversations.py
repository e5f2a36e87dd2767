from django import template
from django.urls import reverse

register = template.Library()

_POST_URLS = {
    "objective": ("conversations:objective_comment", "objective_id"),
    "key_result": ("conversations:key_result_comment", "key_result_id"),
    "check_in": ("conversations:check_in_comment", "check_in_id"),
    "kpi": ("conversations:kpi_comment", "kpi_id"),
}


@register.simple_tag(takes_context=True)
def comment_post_url(context, thread) -> str:
    name, argument = _POST_URLS[thread.kind]
    return reverse(name, kwargs={"org_slug": context["organization"].slug, argument: thread.target_id})

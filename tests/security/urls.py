"""Every URL of Lodestar, from Django's resolver, and how to fill its arguments.

The security tests walk these, so a new page falls under them the day it is added; a URL
argument that ARGUMENTS does not know fails those tests until it is added here.
"""

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.scim.world import with_scim
from tests.sso.world import with_sso

ORGANIZATION_ROUTE = "<slug:org_slug>/"
# Public by design: sign-in and account pages, the platform admin (staff only), language switch,
# the health check and the redirect to one's own organization.
PUBLIC_MODULES = ("allauth.", "django.contrib.admin", "simple_history.admin", "django.views.i18n")
# The unsubscribe link of e-mails works without signing in: its signed token names the person. So do
# an invitation's link (its signed token names the invitation), the first-run setup (its token, and only
# while no organization exists) and starting an organization (instance administrators; tests/onboarding).
PUBLIC_NAMES = {"home", "healthz", "set_language", "unsubscribe", "invitation", "setup", "new_organization"}
# "Sign in with single sign-on" is where people without a session begin (tests/sso).
PUBLIC_NAMES |= {"sso_start"}
# allauth's SAML steps, wrapped so that unreadable messages are refused (lodestar.sso.views).
PUBLIC_NAMES |= {"saml_finish_acs", "saml_sls"}
ADMIN_PREFIX = "admin/"
# The REST API authenticates by personal token, not by URL: tests/api prove its isolation.
API_PREFIX = "api/v1/"
# SCIM provisioning authenticates by the organization's token, not by URL: tests/scim prove its isolation.
SCIM_PREFIX = "scim/v2/"

# How to fill each URL argument with an object of the security tests' world (tests/security/conftest.py).
ARGUMENTS = {
    "key_result_id": lambda world: world.key_result.pk,
    "objective_id": lambda world: world.objective.pk,
    "check_in_id": lambda world: world.check_in.pk,
    "timeframe_id": lambda world: world.cast.quarter.pk,
    "group_id": lambda world: world.cast.engineering.pk,
    "level": lambda world: "personal",  # the closing tracker's list of the personal objectives
    "membership_id": lambda world: world.cast.member.pk,
    "pillar_id": lambda world: world.pillar.pk,
    "kpi_id": lambda world: world.kpi.pk,
    "kpi_value_id": lambda world: world.kpi_value.pk,
    "initiative_id": lambda world: world.initiative.pk,
    "comment_id": lambda world: world.comment.pk,
    "notification_id": lambda world: world.notification.pk,
    "channel_id": lambda world: world.chat_channel.pk,
    "post_id": lambda world: world.chat_post.pk,
    "token_id": lambda world: world.api_token.pk,
    "webhook_id": lambda world: world.webhook.pk,
    "delivery_id": lambda world: world.delivery.pk,
    "feed_id": lambda world: world.feed.pk,
    "step_id": lambda world: world.rollout_step.pk,
    "rollout_group_id": lambda world: world.rollout_group.pk,
    "session_id": lambda world: world.training_session.pk,
    "round_id": lambda world: world.challenge_round.pk,
    "entry_id": lambda world: world.round_entry.pk,
    "point_id": lambda world: world.feedback_point.pk,
    "import_id": lambda world: world.people_import.pk,
    "invitation_id": lambda world: world.invitation.pk,
    "domain_id": lambda world: with_sso(world).sso_domain.pk,
    "scim_token_id": lambda world: with_scim(world).scim_token.pk,
}


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route, name, module) for every pattern, with namespaces joined as reverse() wants them."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern.callback.__module__


def organization_patterns():
    """(route, name) of every page under /<org_slug>/."""
    return [(route, name) for route, name, _ in url_patterns() if route.startswith(ORGANIZATION_ROUTE)]


# allauth.socialaccount's old addresses: redirects (Django's RedirectView) to its current ones.
ALLAUTH_REDIRECTS = "accounts/social/"


def is_public(route, name, module) -> bool:
    return (
        module.startswith(PUBLIC_MODULES)
        or route.startswith((ADMIN_PREFIX, API_PREFIX, SCIM_PREFIX, ALLAUTH_REDIRECTS))
        or name in PUBLIC_NAMES
    )


def route_arguments(route) -> list[str]:
    return [argument for argument in re.findall(r"<(?:\w+:)?(\w+)>", route) if argument != "org_slug"]


def build(name, route, slug, values: dict) -> str:
    """The URL of a pattern for an organization, with ``values`` for its arguments."""
    arguments = {"org_slug": slug}
    for argument in route_arguments(route):
        assert argument in values, f"{route}: add the URL argument {argument!r} to tests/security/urls.ARGUMENTS"
        arguments[argument] = values[argument]
    return reverse(name, kwargs=arguments)


def world_values(world) -> dict:
    return {argument: value(world) for argument, value in ARGUMENTS.items()}

"""Tenant isolation over every URL, generated from Django's URL resolver.

Every URL pattern is either public by design (PUBLIC below) or sits under /<org_slug>/. Each
organization URL is built with organization A's (Acme's) slug and ids and requested by an active
member of organization B (Beta) — GET and POST — once on Acme's URL and once on Beta's own URL
carrying Acme's ids. Every request must answer 404 (not 403: existence must not leak) and change
nothing. A pattern the test cannot build (an unknown URL argument) fails the test, so every new
page is covered the day it is added: add its argument to ARGUMENTS.
"""

import re

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lodestar.core.scoping import all_organizations
from tests.conftest import signed_in

# Public by design: sign-in and account pages, the platform admin (staff only), language switch,
# the health check and the redirect to one's own organization.
PUBLIC_MODULES = ("allauth.", "django.contrib.admin", "simple_history.admin", "django.views.i18n")
PUBLIC_NAMES = {"home", "healthz", "set_language"}
ADMIN_PREFIX = "admin/"

# How to fill each URL argument with one of Acme's objects.
ARGUMENTS = {
    "key_result_id": lambda world: world.key_result.pk,
    "objective_id": lambda world: world.objective.pk,
    "check_in_id": lambda world: world.check_in.pk,
    "timeframe_id": lambda world: world.cast.quarter.pk,
    "group_id": lambda world: world.cast.engineering.pk,
    "membership_id": lambda world: world.cast.member.pk,
}
# Query-string parameters pages accept, filled with Acme's ids.
QUERY_PARAMETERS = {"timeframe": lambda world: world.cast.quarter.pk}


def url_patterns(resolver=None, prefix="", namespace=""):
    """(route, name, module) for every pattern, with namespaces joined like reverse() wants them."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield (
                prefix + str(pattern.pattern),
                f"{namespace}{pattern.name}" if pattern.name else None,
                (pattern.callback.__module__),
            )


def is_public(route, name, module) -> bool:
    return module.startswith(PUBLIC_MODULES) or route.startswith(ADMIN_PREFIX) or name in PUBLIC_NAMES


def organization_data():
    """Every organization-owned row, to prove a refused request changed nothing."""
    owned = [
        model
        for model in apps.get_models()
        if any(field.name == "organization" for field in model._meta.fields) and model.__module__.startswith("lodestar")
    ]
    with all_organizations():
        return {model.__name__: sorted(map(repr, model.objects.values_list())) for model in owned}


def build(name, route, world, slug):
    arguments = {"org_slug": slug}
    for argument in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if argument == "org_slug":
            continue
        assert argument in ARGUMENTS, f"{route}: add the URL argument {argument!r} to ARGUMENTS"
        arguments[argument] = ARGUMENTS[argument](world)
    return reverse(name, kwargs=arguments)


def test_every_url_is_scoped_to_an_organization_or_public_by_design():
    unscoped = [
        (route, name)
        for route, name, module in url_patterns()
        if not is_public(route, name, module) and not route.startswith("<slug:org_slug>/")
    ]
    assert unscoped == [], "URLs neither under /<org_slug>/ nor listed as public"
    assert all(name for route, name, module in url_patterns() if route.startswith("<slug:org_slug>/"))


def test_another_organizations_member_gets_404_on_every_url_and_changes_nothing(client, world, capsys):
    cast = world.cast
    signed_in(client, cast.beta_member)
    before = organization_data()
    walked = requests = not_found = 0
    leaks = []
    for route, name, _module in url_patterns():
        if not route.startswith("<slug:org_slug>/"):
            continue
        walked += 1
        urls = {build(name, route, world, cast.acme.slug)}
        if route.count("<") > 1:  # Beta's own URL with Acme's ids
            urls.add(build(name, route, world, cast.beta.slug))
        for url in urls:
            for method in (client.get, client.post):
                requests += 1
                response = method(url)
                if response.status_code == 404:
                    not_found += 1
                else:
                    leaks.append((method.__name__, url, response.status_code))
    with capsys.disabled():
        print(
            f"\nisolation: {walked} organization URL patterns, {requests} requests, {not_found} × 404, {len(leaks)} leaks"
        )
    assert leaks == []
    assert organization_data() == before


def test_another_organizations_ids_in_query_strings_are_refused(client, world):
    cast = world.cast
    signed_in(client, cast.beta_member)
    for route, name, _module in url_patterns():
        if not route.startswith("<slug:org_slug>/") or route.count("<") > 1:
            continue
        url = build(name, route, world, cast.beta.slug)
        for parameter, value in QUERY_PARAMETERS.items():
            response = client.get(url, {parameter: value(world)})
            assert response.status_code == 404, (url, parameter)
            assert "Acme" not in response.content.decode()

"""Tenant isolation over every URL, generated from Django's URL resolver.

Every URL pattern is either public by design (tests/security/urls.py) or sits under /<org_slug>/. Each
organization URL is built with organization A's (Acme's) slug and ids and requested by an active
member of organization B (Beta) — GET and POST — once on Acme's URL and once on Beta's own URL
carrying Acme's ids. Every request must answer 404 (not 403: existence must not leak) and change
nothing. A pattern the test cannot build (an unknown URL argument) fails the test, so every new
page is covered the day it is added (tests/security/urls.py).
"""

from django.apps import apps
from django.contrib.auth import get_user_model

from lodestar.core.scoping import all_organizations
from lodestar.orgs.models import Organization
from tests.conftest import signed_in
from tests.security.urls import (
    ORGANIZATION_ROUTE,
    build,
    is_public,
    organization_patterns,
    route_arguments,
    url_patterns,
    world_values,
)

# Query-string parameters pages accept, filled with Acme's ids.
QUERY_PARAMETERS = {
    "timeframe": lambda world: world.cast.quarter.pk,
    "focus": lambda world: world.objective.pk,  # the alignment map's highlighted objective
}


def organization_data():
    """The organizations and every row they own, to prove a refused request changed nothing."""
    owned = [Organization] + [
        model
        for model in apps.get_models()
        if any(field.name == "organization" for field in model._meta.fields) and model.__module__.startswith("lodestar")
    ]
    with all_organizations():
        data = {model.__name__: list(model.objects.order_by("pk").values_list()) for model in owned}
    # People's own settings (name, language, time zone) are changed from a page inside the organization too.
    people = get_user_model().objects.order_by("pk")
    data["User"] = list(people.values_list("pk", "email", "full_name", "language", "time_zone", "is_active"))
    return data


def test_every_url_is_scoped_to_an_organization_or_public_by_design():
    unscoped = [
        (route, name)
        for route, name, module in url_patterns()
        if not is_public(route, name, module) and not route.startswith(ORGANIZATION_ROUTE)
    ]
    assert unscoped == [], "URLs neither under /<org_slug>/ nor listed as public"
    assert all(name for _route, name in organization_patterns())


def test_another_organizations_member_gets_404_on_every_url_and_changes_nothing(client, world, capsys):
    cast = world.cast
    signed_in(client, cast.beta_member)
    before = organization_data()
    walked = requests = not_found = 0
    leaks = []
    values = world_values(world)
    for route, name in organization_patterns():
        walked += 1
        urls = {build(name, route, cast.acme.slug, values)}
        if route_arguments(route):  # Beta's own URL with Acme's ids
            urls.add(build(name, route, cast.beta.slug, values))
        for url in urls:
            for method in (client.get, client.post):
                requests += 1
                response = method(url)
                if response.status_code == 404:
                    not_found += 1
                elif response.status_code == 405 and url.startswith(f"/{cast.beta.slug}/"):
                    pass  # a read-only page of one's own organization refuses POST for any id: nothing leaks
                else:
                    leaks.append((method.__name__, url, response.status_code))
    with capsys.disabled():
        print(
            f"\nisolation: {walked} organization URL patterns, {requests} requests, {not_found} × 404, {len(leaks)} leaks"
        )
    assert leaks == []
    assert organization_data() == before


def test_another_organizations_ids_in_query_strings_are_refused(client, world):
    """Every page that reads a query parameter (it refuses a malformed value with 404) refuses
    another organization's id the same way; pages that ignore the parameter cannot leak through it."""
    cast = world.cast
    signed_in(client, cast.beta_member)
    readers = 0
    for route, name in organization_patterns():
        if route_arguments(route):
            continue
        url = build(name, route, cast.beta.slug, {})
        for parameter, value in QUERY_PARAMETERS.items():
            if client.get(url, {parameter: "not-an-id"}).status_code != 404:
                continue
            readers += 1
            response = client.get(url, {parameter: value(world)})
            assert response.status_code == 404, (url, parameter)
            assert "Acme" not in response.content.decode()
    assert readers >= 5  # My goals, company, groups, search, new objective … read ?timeframe=

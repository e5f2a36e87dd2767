"""Tenant scoping fails closed, settings fail loudly, and the health check answers."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django_scopes import ScopeError, scope

from lodestar.core import env
from lodestar.core.scoping import organization_scope
from lodestar.okrs.models import Objective
from tests import factories


def test_a_query_outside_an_organization_scope_raises(cast):
    factories.objective(cast.owner, timeframe=cast.quarter)
    with scope(), pytest.raises(ScopeError):
        list(Objective.objects.all())


def test_inside_a_scope_only_that_organizations_rows_are_seen(cast):
    factories.objective(cast.owner, timeframe=cast.quarter, title="Acme goal")
    factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta goal")
    with organization_scope(cast.beta):
        assert list(Objective.objects.values_list("title", flat=True)) == ["Beta goal"]


def test_an_empty_organization_scope_is_refused():
    with pytest.raises(ValueError), organization_scope(None):
        pass


def test_settings_readers_fail_loudly_on_bad_values(monkeypatch):
    monkeypatch.setenv("LODESTAR_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("LODESTAR_TEST_FLAG", False)
    monkeypatch.setenv("LODESTAR_TEST_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("LODESTAR_TEST_NUMBER", 1)
    with pytest.raises(ImproperlyConfigured):
        env.env_str("LODESTAR_TEST_REQUIRED", None)
    monkeypatch.setenv("LODESTAR_TEST_LIST", "a.example, b.example,")
    assert env.env_list("LODESTAR_TEST_LIST", []) == ["a.example", "b.example"]


def test_health_check_answers_without_a_session(client, db):
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_the_admin_lists_every_organizations_objectives_for_superusers(client, cast):
    from django.contrib.auth import get_user_model

    factories.objective(cast.owner, timeframe=cast.quarter, title="Acme goal")
    factories.objective(cast.beta_owner, timeframe=cast.beta_quarter, title="Beta goal")
    operator = get_user_model().objects.create_superuser(email="ops@lodestar.test", password="x", full_name="Ops")
    client.force_login(operator)
    page = client.get("/admin/okrs/objective/").content.decode()
    assert "Acme goal" in page and "Beta goal" in page


def test_every_model_has_a_working_admin_list_and_only_users_can_be_added(client, cast):
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    operator = user_model.objects.create_superuser(email="ops@lodestar.test", password="x", full_name="Ops")
    client.force_login(operator)
    registered = set(admin.site._registry)
    ours = {
        m for m in apps.get_models() if m.__module__.startswith("lodestar.") and not m.__name__.startswith("Historical")
    }
    assert ours <= registered, f"not in the admin: {sorted(m.__name__ for m in ours - registered)}"
    for model in ours:
        opts = model._meta
        listed = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
        assert listed.status_code == 200, f"{opts.label} list: {listed.status_code}"
        added = client.get(f"/admin/{opts.app_label}/{opts.model_name}/add/")
        expected = 200 if model is user_model else 403  # organization data is written by the services only
        assert added.status_code == expected, f"{opts.label} add: {added.status_code}"


def test_org_url_gives_what_the_url_tag_gives(cast):
    from django.template import Context, Template

    template = Template(
        '{% load lodestar %}{% org_url "okrs:objective" objective_id=7 %} '
        "{% url 'okrs:objective' org_slug=organization.slug objective_id=7 %} "
        '{% org_url "directory:person" membership_id=12345 %}'
    )
    assert template.render(Context({"organization": cast.beta})).split() == [
        "/beta/objectives/7/", "/beta/objectives/7/", "/beta/people/12345/",
    ]  # fmt: skip

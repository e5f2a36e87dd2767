"""Tenancy rules that hold for every model, not just the ones a test remembers.

Organization-owned models (every concrete model of a ``lodestar.*`` app with a field named
``organization``, the Organization itself aside) read through the scoped manager, and their
uniqueness starts with ``organization``, so that the schema can later be distributed by
organization (a distributed table's unique keys must contain its distribution column). The
Django admin shows organization data but never writes it: writes go through the services.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import UniqueConstraint
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django_scopes import scope
from django_scopes.manager import DisabledQuerySet
from simple_history.models import HistoricalChanges

from lodestar.okrs.models import KeyResult
from lodestar.orgs.models import Organization
from tests import factories

# Unique on their own, across organizations, by design: each is the lookup that finds the
# organization before one is known.
GLOBALLY_UNIQUE_FIELDS = {
    "api.ApiToken.prefix": "random (secrets.token_hex) prefix of an API token; lodestar.api.auth finds the token, "
    "and so its organization, by it",
    "feeds.Feed.prefix": "random (secrets.token_hex) prefix of a push feed's secret URL; "
    "lodestar.feeds.services.find_push_feed finds the feed, and so its organization, by it",
    "scim.ScimToken.prefix": "random prefix of a SCIM token; lodestar.scim finds the token, and so its organization, by it",
    "scim.ScimUser.membership": "one SCIM record per membership (a one-to-one to an organization's row)",
    "scim.ScimGroup.group": "one SCIM record per group (a one-to-one to an organization's row)",
}
# Unique constraints that do not start with the organization, by design.
CONSTRAINTS_BY_DESIGN = {
    "scim_user_name_unique_per_org": "Lower(user_name) first, organization second: still unique per organization",
    "sso_domain_verified_once": "a domain is verified by one organization at most, across the instance",
}


# Organization-owned, yet not behind the scoped manager: simple_history's copies of tracked models,
# with simple_history's managers; lodestar.okrs.history reads them through Model.history filtered
# by organization_id.
def is_history(model) -> bool:
    return issubclass(model, HistoricalChanges)


def organization_owned_models():
    return sorted(
        (
            model
            for model in apps.get_models()
            if model._meta.app_config.name.startswith("lodestar.")
            and model is not Organization
            and any(field.name == "organization" for field in model._meta.get_fields())
        ),
        key=lambda model: model._meta.label,
    )


def unique_sets(model):
    """(name, fields) of every multi- or single-column uniqueness declared as a constraint."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint):
            fields = list(constraint.fields) or [str(expression) for expression in constraint.expressions]
            yield constraint.name, fields
    for position, fields in enumerate(model._meta.unique_together):
        yield f"unique_together[{position}]", list(fields)


def unique_fields(model):
    return [field for field in model._meta.concrete_fields if field.unique and not field.primary_key]


def _params(entries):
    return [pytest.param(*entry, id=name) for name, entry in entries]


OWNED = organization_owned_models()
CONSTRAINTS = [
    (f"{model._meta.label}.{name}", (model, name, fields)) for model in OWNED for name, fields in unique_sets(model)
]
FIELDS = [(f"{model._meta.label}.{field.name}", (model, field)) for model in OWNED for field in unique_fields(model)]


def test_the_rules_see_the_organization_owned_models():
    labels = {model._meta.label for model in OWNED}
    assert {"okrs.KeyResult", "okrs.CheckIn", "orgs.Membership", "notifications.Email"} <= labels
    assert "orgs.Organization" not in labels and "accounts.User" not in labels


@pytest.mark.parametrize("model", [m for m in OWNED if not is_history(m)], ids=lambda model: model._meta.label)
def test_organization_owned_models_read_through_the_scoped_manager(model):
    manager = model._default_manager
    assert manager is model.objects, f"{model._meta.label}: the default manager is not `objects`"
    for each in model._meta.managers:
        # OrganizationScopedManager builds django_scopes.ScopedManager(organization="organization"):
        # an instance of a class made inside that function, known by what it does.
        assert hasattr(each, "with_scopes_disabled"), f"{model._meta.label}.{each.name} is not a ScopedManager"
        with scope():  # scoping on, no organization
            assert isinstance(each.get_queryset(), DisabledQuerySet), f"{model._meta.label}.{each.name} reads freely"
        with scope(organization=-1):
            where = each.get_queryset().query.where
        lookups = [(child.lhs.target.name, child.lookup_name, child.rhs) for child in where.children]
        assert lookups == [("organization", "exact", -1)], f"{model._meta.label}.{each.name} filters by {lookups}"


@pytest.mark.parametrize(("model", "name", "fields"), _params(CONSTRAINTS))
def test_unique_constraints_start_with_organization(model, name, fields):
    assert fields[0] == "organization" or name in CONSTRAINTS_BY_DESIGN, (
        f"{model._meta.label}.{name} is unique on {fields}"
    )


@pytest.mark.parametrize(("model", "field"), _params(FIELDS))
def test_unique_fields_are_globally_unique_by_design(model, field):
    label = f"{model._meta.label}.{field.name}"
    assert field.name == "organization" or label in GLOBALLY_UNIQUE_FIELDS, (
        f"{label} is unique across organizations: make it UniqueConstraint(organization, {field.name}), "
        "or list it in GLOBALLY_UNIQUE_FIELDS with the reason"
    )


def test_the_exception_lists_name_what_exists():
    assert set(GLOBALLY_UNIQUE_FIELDS) <= {name for name, _ in FIELDS}


# --- the admin: read-only ----------------------------------------------------------------------


def domain_model_admins():
    """Every registered ModelAdmin of a lodestar app but accounts (people's logins are no
    organization's data)."""
    return sorted(
        (
            model_admin
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_config.name.startswith("lodestar.") and model._meta.app_label != "accounts"
        ),
        key=lambda model_admin: model_admin.model._meta.label,
    )


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_superuser(email="ops@lodestar.test", password="x", full_name="Ops")


def test_the_admin_offers_no_add_change_or_delete_of_domain_models(operator):
    request = RequestFactory().get("/admin/")
    request.user = operator
    model_admins = domain_model_admins()
    assert {"okrs.KeyResult", "okrs.CheckIn", "orgs.Organization"} <= {m.model._meta.label for m in model_admins}
    writable = []
    for model_admin in model_admins:
        label = model_admin.model._meta.label
        assert model_admin.has_view_permission(request), f"{label}: operators should still see it"
        for name in ("add", "change", "delete", "change_history"):
            check = getattr(model_admin, f"has_{name}_permission", None)
            if check is not None and check(request):
                writable.append(f"{label}: {name}")
        if model_admin.get_actions(request):
            writable.append(f"{label}: actions {sorted(model_admin.get_actions(request))}")
        if model_admin.list_editable:
            writable.append(f"{label}: list_editable")
        for inline_class in model_admin.inlines:
            inline = inline_class(model_admin.model, admin.site)
            for name in ("add", "change", "delete"):
                if getattr(inline, f"has_{name}_permission")(request, None):
                    writable.append(f"{label} inline {inline.model._meta.label}: {name}")
    assert writable == []


def test_the_user_admin_deletes_no_one(operator):
    request = RequestFactory().get("/admin/")
    request.user = operator
    user_admin = admin.site._registry[get_user_model()]
    assert not user_admin.has_delete_permission(request, operator)
    assert "delete_selected" not in user_admin.get_actions(request)


@pytest.fixture
def key_result(cast):
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Acme goal")
    return factories.metric(cast.owner, objective, owner=cast.member, title="Weekly active users")


def test_posting_the_admin_change_form_of_a_key_result_changes_nothing(client, operator, key_result):
    client.force_login(operator)
    url = f"/admin/okrs/keyresult/{key_result.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "Weekly active users" in page.content.decode()  # viewing still works
    data = {name: value for name, value in model_to_dict(key_result).items() if value is not None and name != "id"} | {
        "title": "Changed in the admin",
        "current_value": "99",
        "progress": "1",
        "_save": "Save",
    }
    versions = key_result.history.count()

    assert client.post(url, data).status_code == 403
    assert client.post(f"/admin/okrs/keyresult/{key_result.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post("/admin/okrs/keyresult/add/", data).status_code == 403
    version = key_result.history.earliest()
    revert = f"/admin/okrs/keyresult/{key_result.pk}/history/{version.history_id}/"
    assert client.get(revert).status_code == 200
    assert client.post(revert, data).status_code == 403

    after = KeyResult.objects.get(pk=key_result.pk)
    assert (after.title, after.current_value, after.progress) == (
        "Weekly active users",
        key_result.current_value,
        key_result.progress,
    )
    assert key_result.history.count() == versions
    assert KeyResult.objects.filter(title="Changed in the admin").count() == 0

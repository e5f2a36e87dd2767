"""SCIM provisioning: an organization's bearer tokens, and what its identity provider said about
the people and groups it provisions (its identifiers, and the attributes Lodestar keeps only to
give them back).

Lodestar's own facts stay where they live: a person's name and e-mail on the account, title and
active flag on the membership, a group's name on the group. The rows here belong to one
organization each, so a person in two organizations has two provisioning records, one per
identity provider, and neither sees the other's."""

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from lodestar.core.scoping import OrganizationScopedManager
from lodestar.orgs.models import Group, Membership, Organization


class ScimToken(models.Model):
    """The bearer token an identity provider calls ``/scim/v2/`` with: one organization's, shown
    once, stored as a SHA-256 digest (a random 32-byte secret needs no slow hash)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The rate limit: calls counted in the current fixed window, by one atomic update per call.
    window_start = models.BigIntegerField(default=0)
    calls = models.PositiveIntegerField(default=0)

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = _("provisioning token")
        verbose_name_plural = _("provisioning tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class ScimUser(models.Model):
    """A person as the organization's identity provider knows them."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="scim_user")
    user_name = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True)
    display_name = models.CharField(max_length=150, blank=True)
    # As the identity provider sent them: {"formatted", "givenName", "familyName"} and the e-mail
    # entries (type, primary). The e-mail address itself is the account's.
    name = models.JSONField(null=True, blank=True)
    emails = models.JSONField(default=list, blank=True)
    # Whether the provider states ``active`` at all (a PATCH may remove the attribute).
    states_active = models.BooleanField(default=True)
    # Deleted through SCIM: the person is deactivated and keeps their goals; SCIM answers 404.
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("user_name"), "organization", name="scim_user_name_unique_per_org"),
        ]
        indexes = [models.Index(fields=["organization", "external_id"], name="scim_user_org_external")]

    def __str__(self):
        return self.user_name


class ScimGroup(models.Model):
    """A group as the organization's identity provider knows it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="scim_group")
    external_id = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganizationScopedManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "external_id"], name="scim_group_org_external")]

    def __str__(self):
        return self.external_id or str(self.group_id)

"""Who acts when no person does.

An identity provider that provisions people (SCIM) changes memberships and groups through the
same services as an admin's pages, so the same rules hold. It acts as a ``SystemActor``: an admin
of exactly one organization, never an owner (it cannot make, change or deactivate owners where the
services keep that to owners), with no user behind it. ``user`` is None, so the audit log records
the system, and ``audit_details`` says which integration acted (e.g. ``{"via": "scim", "token":
"Entra ID"}``) for a listener to add to what it records."""

from dataclasses import dataclass, field

from lodestar.orgs.models import Organization, Role


@dataclass(frozen=True)
class SystemActor:
    organization: Organization
    label: str
    audit_details: dict = field(default_factory=dict)

    pk = None
    user = None
    role = Role.ADMIN
    is_active = True
    is_admin = True
    can_write = True
    runs_rollout = False

    @property
    def organization_id(self) -> int:
        return self.organization.pk

    def __str__(self):
        return self.label

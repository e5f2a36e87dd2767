"""Every write to organizations, memberships and groups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import RestrictedError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lodestar.core.errors import NotAllowed
from lodestar.core.events import publish
from lodestar.core.guards import chain_reaches, require_same_organization
from lodestar.core.transactions import atomic_service
from lodestar.core.validation import clean_choice, clean_text
from lodestar.orgs.events import (
    GroupChanged,
    GroupCreated,
    GroupDeleted,
    GroupMembersChanged,
    OrganizationSettingsSaved,
    PersonAdded,
    PersonChanged,
)
from lodestar.orgs.models import Group, GroupMembership, Membership, Organization, Role, SecondFactorPolicy, Weekday
from lodestar.orgs.permissions import forget_group_ids


def _require_admin(actor: Membership) -> None:
    if not actor.is_admin:
        raise NotAllowed(_("Only admins can manage people and groups."))


# Top-level URL segments that are not organizations.
REFLECTION_QUESTIONS_MAX = 8
RESERVED_SLUGS = {
    "accounts",
    "admin",
    "api",
    "healthz",
    "i18n",
    "invitations",
    "media",
    "organizations",
    "scim",
    "setup",
    "static",
    "unsubscribe",
}


@atomic_service
def create_organization(*, name: str, slug: str, owner, time_zone: str = "Europe/Berlin", language: str = "en"):
    """Start a new organization with ``owner`` (a user) as its first owner."""
    name = clean_text(name, field="name", max_length=120, required=True)
    slug = slugify(slug or name)
    if not slug:
        raise ValidationError({"slug": [_("Enter a short name made of letters, digits and dashes.")]})
    if slug in RESERVED_SLUGS or Organization.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [_("This short name is taken.")]})
    organization = Organization(name=name, slug=slug, time_zone=time_zone, language=language)
    organization.full_clean()
    organization.save()
    first_owner = Membership(organization=organization, user=owner, role=Role.OWNER)
    Membership.objects.bulk_create([first_owner])
    publish(PersonAdded(actor=None, membership=first_owner))
    return organization


@atomic_service
def update_membership(*, actor: Membership, membership: Membership, **changes) -> Membership:
    """Change someone's role, title, manager or active flag (deactivated people keep their history)."""
    _require_admin(actor)
    require_same_organization(actor, membership, changes.get("manager"))
    # Serialise changes to one organization's people, so that two owners demoting each other
    # at once cannot both see "another owner remains"; then work on a fresh copy of the row.
    Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
    membership = Membership.objects.select_related("user").get(organization_id=actor.organization_id, pk=membership.pk)
    allowed = {"role", "job_title", "manager", "is_active", "is_okr_ambassador"}
    if set(changes) - allowed:
        raise TypeError(f"update_membership got unknown fields {sorted(set(changes) - allowed)}")
    if "role" in changes:
        clean_choice(changes["role"], field="role", choices=Role)
        if Role.OWNER in (changes["role"], membership.role) and actor.role != Role.OWNER:
            raise NotAllowed(_("Only owners can change who is an owner."))
    # Switching an owner off (or on again) decides who is an owner as much as a role change does.
    switches_owner = (
        membership.role == Role.OWNER and changes.get("is_active", membership.is_active) != membership.is_active
    )
    if switches_owner and actor.role != Role.OWNER:
        raise NotAllowed(_("Only owners can deactivate or reactivate an owner."))
    for flag in ("is_active", "is_okr_ambassador"):
        if flag in changes and not isinstance(changes[flag], bool):
            raise ValidationError({flag: [_("Say yes or no.")]})
    if "job_title" in changes:
        changes["job_title"] = clean_text(changes["job_title"], field="job_title", max_length=120)
    manager = changes.get("manager")
    if manager is not None and _manages_indirectly(membership, manager):
        raise ValidationError({"manager": [_("This would make people each other's managers.")]})
    losing_owner = membership.role == Role.OWNER and (
        changes.get("role", Role.OWNER) != Role.OWNER or changes.get("is_active") is False
    )
    if losing_owner and not (
        Membership.objects.filter(organization_id=actor.organization_id, role=Role.OWNER, is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError({"role": [_("An organization needs at least one active owner.")]})
    before = {field: getattr(membership, field) for field in changes}
    for field, value in changes.items():
        setattr(membership, field, value)
    membership.save()
    changed = {field: (before[field], value) for field, value in changes.items() if before[field] != value}
    if changed:
        publish(PersonChanged(actor=actor, membership=membership, changes=changed))
    return membership


@atomic_service
def update_organization_settings(
    *,
    actor: Membership,
    name: str,
    language: str,
    time_zone: str,
    check_in_weekday: int,
    reflection_questions: list[str] | None = None,
    use_browser_language: bool | None = None,
    second_factor_required_for: str | None = None,
):
    """Admins change the organization's name, language, time zone, check-in day and, when given, the
    reflection questions asked at closing (empty: the built-in ones), whether new people start in
    their browser's language and who must sign in with a second factor."""
    _require_admin(actor)
    organization = Organization.objects.select_for_update().get(pk=actor.organization_id)
    before = {field: getattr(organization, field, None) for field in _SETTINGS}
    organization.name = clean_text(name, field="name", max_length=120, required=True)
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [_("Select one of the offered choices.")]})
    organization.language = language
    organization.check_in_weekday = clean_choice(check_in_weekday, field="check_in_weekday", choices=Weekday)
    organization.time_zone = time_zone
    if reflection_questions is not None:
        organization.reflection_questions = _clean_reflection_questions(reflection_questions)
    if use_browser_language is not None:
        organization.use_browser_language = bool(use_browser_language)
    if second_factor_required_for is not None:
        organization.second_factor_required_for = clean_choice(
            second_factor_required_for, field="second_factor_required_for", choices=SecondFactorPolicy
        )
    organization.full_clean(validate_unique=False, validate_constraints=False)  # the time zone is a known one
    organization.save()
    changed = {field: (before[field], getattr(organization, field, None)) for field in _SETTINGS}
    changed = {field: values for field, values in changed.items() if values[0] != values[1]}
    publish(OrganizationSettingsSaved(actor=actor, organization=organization, changes=changed))
    return organization


# What update_organization_settings may change, as the audit log tells it.
_SETTINGS = (
    "name",
    "language",
    "time_zone",
    "check_in_weekday",
    "reflection_questions",
    "use_browser_language",
    "second_factor_required_for",
)


def _clean_reflection_questions(questions) -> list[str]:
    if not isinstance(questions, list | tuple):
        raise ValidationError({"reflection_questions": [_("Enter the questions as text, one per line.")]})
    cleaned = []
    for question in questions:
        question = clean_text(question, field="reflection_questions", max_length=200)
        if question and question not in cleaned:
            cleaned.append(question)
    if len(cleaned) > REFLECTION_QUESTIONS_MAX:
        raise ValidationError(
            {"reflection_questions": [_("Ask at most %(count)d questions.") % {"count": REFLECTION_QUESTIONS_MAX}]}
        )
    return cleaned


def _manages_indirectly(person: Membership, manager: Membership) -> bool:
    """True when ``person`` is ``manager`` or above them in the reporting line."""
    people = Membership.objects.filter(organization_id=person.organization_id)
    return chain_reaches(
        manager.pk, person.pk, lambda pk: people.filter(pk=pk).values_list("manager_id", flat=True).first()
    )


def _clean_group_fields(actor: Membership, *, name, slug, description, parent, group=None) -> dict:
    name = clean_text(name, field="name", max_length=120, required=True)
    slug = slugify(slug or name)[:80]
    if not slug:
        raise ValidationError({"slug": [_("Enter a short name made of letters, digits and dashes.")]})
    clash = Group.objects.filter(organization_id=actor.organization_id, slug=slug)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise ValidationError({"slug": [_("Another group already uses this short name.")]})
    require_same_organization(actor, parent)
    if group is not None and parent is not None and _is_within(parent, group):
        raise ValidationError({"parent": [_("A group cannot be nested inside itself or its own sub-groups.")]})
    description = clean_text(description, field="description", max_length=10_000, multiline=True)
    return {"name": name, "slug": slug, "description": description, "parent": parent}


def _is_within(candidate: Group, group: Group) -> bool:
    """True when ``candidate`` is ``group`` or one of its sub-groups."""
    groups = Group.objects.filter(organization_id=group.organization_id)
    return chain_reaches(
        candidate.pk, group.pk, lambda pk: groups.filter(pk=pk).values_list("parent_id", flat=True).first()
    )


@atomic_service
def create_group(*, actor: Membership, name: str, slug: str = "", description: str = "", parent=None) -> Group:
    _require_admin(actor)
    fields = _clean_group_fields(actor, name=name, slug=slug, description=description, parent=parent)
    group = Group.objects.create(organization_id=actor.organization_id, **fields)
    publish(GroupCreated(actor=actor, group=group))
    return group


@atomic_service
def update_group(*, actor: Membership, group: Group, **changes) -> Group:
    _require_admin(actor)
    require_same_organization(actor, group)
    current = {"name": group.name, "slug": group.slug, "description": group.description, "parent": group.parent}
    if set(changes) - set(current):
        raise TypeError(f"update_group got unknown fields {sorted(set(changes) - set(current))}")
    fields = _clean_group_fields(actor, group=group, **{**current, **changes})
    for field, value in fields.items():
        setattr(group, field, value)
    group.save()
    changed = {field: (current[field], value) for field, value in fields.items() if current[field] != value}
    if changed:
        publish(GroupChanged(actor=actor, group=group, changes=changed))
    return group


@atomic_service
def delete_group(*, actor: Membership, group: Group) -> None:
    """Remove a group that has no sub-groups and owns no objectives; its KPIs stay, ungrouped."""
    _require_admin(actor)
    require_same_organization(actor, group)
    if Group.objects.filter(organization_id=actor.organization_id, parent=group).exists():
        raise ValidationError({"group": [_("This group has sub-groups: move or delete them first.")]})
    try:
        Group.objects.filter(organization_id=actor.organization_id, pk=group.pk).delete()
    except RestrictedError:  # objectives point to it (okrs restricts the link)
        raise ValidationError({"group": [_("This group owns objectives: give them to another group first.")]}) from None
    publish(GroupDeleted(actor=actor, group=group))


@atomic_service
def set_group_member(*, actor: Membership, group: Group, membership: Membership, is_lead: bool = False) -> None:
    """Add a person to a group, or change whether they lead it."""
    _require_admin(actor)
    require_same_organization(actor, group, membership)
    led_before = (
        GroupMembership.objects.filter(organization_id=actor.organization_id, group=group, membership=membership)
        .values_list("is_lead", flat=True)
        .first()
    )
    GroupMembership.objects.update_or_create(
        organization_id=actor.organization_id, group=group, membership=membership, defaults={"is_lead": is_lead}
    )
    forget_group_ids(membership)
    if led_before != is_lead:
        publish(
            GroupMembersChanged(
                actor=actor,
                group=group,
                added=(membership,) if led_before is None else (),
                now_leading=(membership,) if is_lead else (),
                no_longer_leading=(membership,) if led_before and not is_lead else (),
            )
        )


@atomic_service
def add_group_members(
    *, actor: Membership, group: Group, people, is_lead: bool = False
) -> tuple[list[Membership], list[Membership]]:
    """Add several people to a group at once, as members or as leads: (added, already in it). Those
    already in the group keep their place as it is. Deactivated people are refused, all of them
    named, and then no one is added. A fixed number of queries, however many people."""
    _require_admin(actor)
    people = list({person.pk: person for person in people}.values())
    require_same_organization(actor, group, *people)
    gone = [person for person in people if not person.is_active]
    if gone:
        raise ValidationError(
            {"people": [_("Deactivated people cannot join a group: %(names)s.") % {"names": _names(gone)}]}
        )
    present = set(
        GroupMembership.objects.filter(
            organization_id=actor.organization_id, group=group, membership_id__in=[person.pk for person in people]
        ).values_list("membership_id", flat=True)
    )
    added = [person for person in people if person.pk not in present]
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(organization_id=actor.organization_id, group=group, membership=person, is_lead=is_lead)
            for person in added
        ],
        ignore_conflicts=True,  # someone added at the same moment by another admin stays as they were added
    )
    for person in added:
        forget_group_ids(person)
    if added:
        publish(
            GroupMembersChanged(
                actor=actor, group=group, added=tuple(added), now_leading=tuple(added) if is_lead else ()
            )
        )
    return added, [person for person in people if person.pk in present]


def _names(people) -> str:
    return ", ".join(str(person) for person in people)


@atomic_service
def remove_group_member(*, actor: Membership, group: Group, membership: Membership) -> None:
    _require_admin(actor)
    require_same_organization(actor, group, membership)
    removed, _kinds = GroupMembership.objects.filter(
        organization_id=actor.organization_id, group=group, membership=membership
    ).delete()
    forget_group_ids(membership)
    if removed:
        publish(GroupMembersChanged(actor=actor, group=group, removed=(membership,)))


def clean_goal_holder(actor: Membership, person: Membership | None, field: str) -> Membership:
    """Leads, owners and contributors are active people who may write (not viewers)."""
    if person is None:
        raise ValidationError({field: [_("Choose a person.")]})
    require_same_organization(actor, person)
    if not person.is_active or person.role == Role.VIEWER:
        raise ValidationError(
            {field: [_("%(person)s cannot hold goals (deactivated or read-only).") % {"person": person}]}
        )
    return person

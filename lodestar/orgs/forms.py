"""Forms for managing people and groups. They parse what admins type; the services decide
whether it is allowed and valid (orgs.services)."""

import zoneinfo

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lodestar.orgs.models import Group, Membership, Organization, Role, SecondFactorPolicy, Weekday
from lodestar.orgs.pickers import PEOPLE_HELP, GroupField, PeopleField, PersonField, TakesWholeGroups


def people_of(organization_id: int):
    return (
        Membership.objects.filter(organization_id=organization_id)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def groups_of(organization_id: int):
    return Group.objects.filter(organization_id=organization_id).order_by("name")


class GroupForm(forms.Form):
    """A group's name, short name, description and the group it is nested in."""

    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.CharField(
        label=_("Short name"),
        max_length=80,
        required=False,
        help_text=_("Used in links. Letters, digits and dashes; made from the name when left empty."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    parent = GroupField(
        label=_("Parent group"),
        required=False,
        help_text=_(
            "Nest this group inside another, e.g. a team inside its department: type its name or short name. "
            "Leave empty for a top-level group."
        ),
    )

    def __init__(self, *args, organization_id: int, group: Group | None = None, **kwargs):
        if group is not None:
            kwargs.setdefault(
                "initial",
                {"name": group.name, "slug": group.slug, "description": group.description, "parent": group.parent_id},
            )
        super().__init__(*args, **kwargs)
        parent = self.initial.get("parent")
        if isinstance(parent, str):  # ?parent=<id> from a link: anything else, or a foreign id, is no parent
            self.initial["parent"] = int(parent) if parent.isdecimal() and 0 < int(parent) < 2**63 else None
        # Every group of the organization: the service refuses nesting a group inside itself or its sub-groups.
        organization = Organization.objects.only("slug").get(pk=organization_id)  # for the suggestions' URL
        self.fields["parent"].offer(groups_of(organization_id), organization=organization)


GROUP_ROLES = [("member", _("Member")), ("lead", _("Lead"))]


class GroupMemberForm(TakesWholeGroups, forms.Form):
    """Add active people of the organization to a group, as members or as leads: several typed at
    once, and everyone of whole groups (with their sub-groups). Those already in it are told apart
    by the service."""

    people_required = True

    people = PeopleField(
        label=_("People"),
        help_text=PEOPLE_HELP,
    )
    role = forms.ChoiceField(label=_("As"), choices=GROUP_ROLES, initial="member", widget=forms.RadioSelect)

    def __init__(self, *args, group: Group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].offer(
            people_of(group.organization_id).filter(is_active=True), organization=group.organization
        )
        self.offer_whole_groups(group.organization)


class GroupRoleForm(forms.Form):
    """Change whether someone in a group leads it."""

    role = forms.ChoiceField(label=_("Role in the group"), choices=GROUP_ROLES)


def _role_choices(actor: Membership):
    """Only owners hand out (or take away) ownership."""
    if actor.role == Role.OWNER:
        return Role.choices
    return [(value, label) for value, label in Role.choices if value != Role.OWNER]


MANAGER_HELP = _("Leave empty for no manager.")


class PersonEditForm(forms.Form):
    """Someone's role, title, manager and flags in the organization."""

    role = forms.ChoiceField(label=_("Role"))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    manager = PersonField(label=_("Manager"), required=False, help_text=MANAGER_HELP)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Deactivated people can no longer sign in to this organization; their goals and history stay."),
    )
    is_okr_ambassador = forms.BooleanField(
        label=_("OKR ambassador"), required=False, help_text=_("Runs the OKR rollout of the organization.")
    )

    def __init__(self, *args, actor: Membership, membership: Membership, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "role": membership.role,
                "job_title": membership.job_title,
                "manager": membership.manager,
                "is_active": membership.is_active,
                "is_okr_ambassador": membership.is_okr_ambassador,
            },
        )
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        if membership.role == Role.OWNER and actor.role != Role.OWNER:
            role.choices = Role.choices
            role.disabled = True
            role.help_text = _("Only owners can change who is an owner.")
        else:
            role.choices = _role_choices(actor)
        self.membership = membership
        # Active people, plus a deactivated current manager so that saving keeps them.
        self.fields["manager"].offer(
            people_of(actor.organization_id).filter(Q(is_active=True) | Q(pk=membership.manager_id)),
            organization=actor.organization,
        )
        if membership.pk == actor.pk:
            # Deactivating oneself would lock one out mid-task; another admin can do it.
            self.fields["is_active"].disabled = True
            self.fields["is_active"].help_text = _("You cannot deactivate yourself.")
        elif membership.role == Role.OWNER and actor.role != Role.OWNER:
            self.fields["is_active"].disabled = True
            self.fields["is_active"].help_text = _("Only owners can deactivate or reactivate an owner.")

    def clean_manager(self):
        manager = self.cleaned_data["manager"]
        if manager is not None and manager.pk == self.membership.pk:
            raise forms.ValidationError(_("A person cannot be their own manager."), code="own_manager")
        return manager

    def changes(self) -> dict:
        """Only what was changed, as keyword arguments for services.update_membership (so that
        an admin can edit an owner's title without touching the owner's role)."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class OrganizationSettingsForm(forms.Form):
    """The organization-wide settings an admin changes: name, language, time zone, check-in day and the
    questions asked when an objective is closed."""

    name = forms.CharField(label=_("Name"), max_length=120)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), help_text=_("People who set no time zone of their own use this one.")
    )
    check_in_weekday = forms.TypedChoiceField(
        label=_("Check-in day"),
        coerce=int,
        choices=Weekday.choices,
        help_text=_(
            "Owners of key results not updated for a week are reminded on this day at 09:00 their time; group leads get their weekly digest then."
        ),
    )

    use_browser_language = forms.BooleanField(
        label=_("New people start in their browser's language"),
        required=False,
        help_text=_(
            "When someone who has not chosen a language of their own signs in, Lodestar takes their browser's "
            "language if it speaks it. Otherwise they see the organization's language until they choose one."
        ),
    )

    reflection_questions = forms.CharField(
        label=_("Reflection questions"),
        required=False,
        widget=forms.Textarea({"rows": 4}),
        help_text=_(
            "Asked when an objective is closed, one per line. Leave empty for: what went well, "
            "what did we learn, what do we do next."
        ),
    )

    second_factor_required_for = forms.ChoiceField(
        label=_("Require a second factor"),
        choices=SecondFactorPolicy.choices,
        help_text=_(
            "An authenticator app or a passkey besides the password. People it applies to who have none yet "
            "are asked to set one up before they can continue in this organization. API tokens are not affected."
        ),
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": organization.name,
                "language": organization.language,
                "time_zone": organization.time_zone,
                "check_in_weekday": organization.check_in_weekday,
                "use_browser_language": organization.use_browser_language,
                "reflection_questions": "\n".join(organization.reflection_questions),
                "second_factor_required_for": organization.second_factor_required_for,
            },
        )
        super().__init__(*args, **kwargs)
        if self.is_bound and "second_factor_required_for" not in self.data:  # an older form: unchanged
            self.data = self.data.copy()
            self.data["second_factor_required_for"] = organization.second_factor_required_for
        self.fields["time_zone"].choices = [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]

    def clean_reflection_questions(self) -> list[str]:
        return self.cleaned_data["reflection_questions"].splitlines()

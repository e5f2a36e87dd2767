"""Managing people and groups (admins only; others get 403, other organizations 404)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from lodestar.core.errors import NotFound
from lodestar.core.forms import add_service_errors
from lodestar.core.pagination import page_of
from lodestar.core.responses import denied
from lodestar.orgs import services
from lodestar.orgs.access import access_group, access_membership
from lodestar.orgs.forms import (
    GroupForm,
    GroupMemberForm,
    GroupRoleForm,
    OrganizationSettingsForm,
    PersonEditForm,
)
from lodestar.orgs.models import GroupMembership
from lodestar.orgs.pickers import NAMES_SHOWN, people_names

MEMBERS_PER_PAGE = 50


def _denied(request):
    return denied(request, _("Only admins can manage people and groups."))


def _status(request) -> int:
    """A form shown again after a post failed validation answers 422."""
    return 422 if request.method == "POST" else 200


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- groups ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def group_create(request, org_slug):
    """A new group, optionally nested (``?parent=<id>`` preselects the parent)."""
    actor = request.membership
    if not actor.is_admin:
        return _denied(request)
    form = GroupForm(
        _posted(request), organization_id=actor.organization_id, initial={"parent": request.GET.get("parent")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Created the group “%(name)s”.") % {"name": group.name})
            return redirect("directory:group", org_slug=org_slug, group_id=group.pk)
    return render(request, "orgs/manage/group_form.html", {"form": form, "group": None}, status=_status(request))


@require_http_methods(["GET", "POST"])
def group_edit(request, org_slug, group_id):
    actor = request.membership
    group = access_group(actor, group_id, for_write=True)
    form = GroupForm(_posted(request), organization_id=actor.organization_id, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.update_group(actor=actor, group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the group “%(name)s”.") % {"name": group.name})
            return redirect("directory:group", org_slug=org_slug, group_id=group.pk)
    return render(request, "orgs/manage/group_form.html", {"form": form, "group": group}, status=_status(request))


def _members_page(request, group, form, *, status=200, errors=()):
    """The group's people, leads first, MEMBERS_PER_PAGE a page (``?page=``), and the form to add more."""
    members = (
        GroupMembership.objects.filter(organization_id=group.organization_id, group=group)
        .select_related("membership__user")
        .order_by("-is_lead", "membership__user__full_name", "pk")
    )
    page = page_of(members, request.GET.get("page"), per_page=MEMBERS_PER_PAGE)
    context = {"group": group, "form": form, "page": page, "rows": page.object_list, "errors": errors}
    return render(request, "orgs/manage/group_members.html", context, status=status)


@require_http_methods(["GET", "POST"])
def group_members(request, org_slug, group_id):
    """The people of a group with their lead flag; POST adds several people at once (typed, or
    whole groups), as members or as leads, and says who was added and who already was in it."""
    actor = request.membership
    group = access_group(actor, group_id, for_write=True)
    form = GroupMemberForm(_posted(request), group=group)
    if request.method == "POST" and form.is_valid():
        is_lead = form.cleaned_data["role"] == "lead"
        try:
            added, already = services.add_group_members(
                actor=actor, group=group, people=form.cleaned_data["people"], is_lead=is_lead
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _added_to_group(group, added, already, is_lead=is_lead))
            return redirect("orgs:group_members", org_slug=org_slug, group_id=group.pk)
    return _members_page(request, group, form, status=_status(request))


def _added_to_group(group, added, already, *, is_lead: bool) -> str:
    """What adding says, e.g. "Added 5 people to Platform: A, B, C, D, E. Already in it: F."."""
    values = {"count": len(added), "group": group.name, "names": people_names(added, most=NAMES_SHOWN)}
    if not added:
        told = _("No one new to add to %(group)s.")
    elif is_lead:
        told = ngettext(
            "Added %(count)d person to %(group)s as lead: %(names)s.",
            "Added %(count)d people to %(group)s as leads: %(names)s.",
            len(added),
        )
    else:
        told = ngettext(
            "Added %(count)d person to %(group)s: %(names)s.",
            "Added %(count)d people to %(group)s: %(names)s.",
            len(added),
        )
    told %= values
    if already:
        told += " " + _("Already in it: %(names)s.") % {"names": people_names(already, most=NAMES_SHOWN)}
    return told


def _back_to_members(request, org_slug, group):
    """To the page of the group's people the row's button was on."""
    url = reverse("orgs:group_members", kwargs={"org_slug": org_slug, "group_id": group.pk})
    page = request.GET.get("page")
    return redirect(f"{url}?{urlencode({'page': page})}" if page else url)


def _group_place(request, group_id, membership_id):
    """(group, person's row in it) for the row actions; someone not in the group is not found."""
    actor = request.membership
    group = access_group(actor, group_id, for_write=True)
    person = access_membership(actor, membership_id)
    row = GroupMembership.objects.filter(organization_id=actor.organization_id, group=group, membership=person).first()
    if row is None:
        raise NotFound
    row.membership = person
    return group, row


@require_POST
def group_member_role(request, org_slug, group_id, membership_id):
    """Make someone in the group its lead, or a plain member again."""
    actor = request.membership
    group, row = _group_place(request, group_id, membership_id)
    form = GroupRoleForm(request.POST)
    if not form.is_valid():
        errors = [_("Choose whether %(person)s is a member or a lead.") % {"person": row.membership.full_name}]
        return _members_page(request, group, GroupMemberForm(group=group), status=422, errors=errors)
    is_lead = form.cleaned_data["role"] == "lead"
    services.set_group_member(actor=actor, group=group, membership=row.membership, is_lead=is_lead)
    if is_lead:
        message = _("%(person)s now leads %(group)s.")
    else:
        message = _("%(person)s is now a member of %(group)s without leading it.")
    messages.success(request, message % {"person": row.membership.full_name, "group": group.name})
    return _back_to_members(request, org_slug, group)


@require_POST
def group_member_remove(request, org_slug, group_id, membership_id):
    actor = request.membership
    group, row = _group_place(request, group_id, membership_id)
    services.remove_group_member(actor=actor, group=group, membership=row.membership)
    messages.success(
        request, _("Removed %(person)s from %(group)s.") % {"person": row.membership.full_name, "group": group.name}
    )
    return _back_to_members(request, org_slug, group)


# --- people ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def person_edit(request, org_slug, membership_id):
    actor = request.membership
    person = access_membership(actor, membership_id, for_write=True)
    form = PersonEditForm(_posted(request), actor=actor, membership=person)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.update_membership(actor=actor, membership=person, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": person.full_name})
            return redirect("directory:person", org_slug=org_slug, membership_id=person.pk)
    return render(request, "orgs/manage/person_form.html", {"form": form, "person": person}, status=_status(request))


@require_http_methods(["GET", "POST"])
def organization_settings(request, org_slug):
    """The organization's name, language, time zone and check-in day (admins)."""
    membership = request.membership
    if not membership.is_admin:
        return denied(request, _("Only admins can change the organization's settings."))
    form = OrganizationSettingsForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization_settings(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The settings are saved."))
            return redirect("orgs:settings", org_slug=org_slug)
    return render(request, "orgs/manage/settings.html", {"form": form}, status=422 if form.errors else 200)

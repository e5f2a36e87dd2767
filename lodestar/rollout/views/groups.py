"""Rollout groups: who is in each, their coach and goal, trainings with attendance, each member's
journey and the nudges sent."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lodestar.core.errors import NotFound, as_id
from lodestar.core.forms import add_service_errors
from lodestar.orgs.models import Membership
from lodestar.orgs.pickers import NAMES_SHOWN, people_names
from lodestar.rollout import selectors, services
from lodestar.rollout.access import access_rollout_group, access_session
from lodestar.rollout.forms import AddMembersForm, NewRolloutGroupForm, RolloutGroupForm, SessionForm
from lodestar.rollout.journey import STAGES
from lodestar.rollout.models import Stage
from lodestar.rollout.views.common import carry_out, runs_rollout_only

GROUP_FIELDS = ("name", "description", "coach", "target_stage", "target_on")


@require_safe
def group_list(request, org_slug):
    context = {"groups": selectors.rollout_groups(request.membership)}
    return render(request, "rollout/groups.html", context)


@require_http_methods(["GET", "POST"])
def group_create(request, org_slug):
    membership = request.membership
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    form = NewRolloutGroupForm(request.POST or None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_rollout_group(actor=membership, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The rollout group “%(name)s” is set up.") % {"name": group.name})
            return redirect("rollout:group", org_slug=org_slug, rollout_group_id=group.pk)
    status = 422 if form.errors else 200
    return render(request, "rollout/group_form.html", {"form": form, "group": None}, status=status)


@require_safe
def group_page(request, org_slug, rollout_group_id):
    return _group_page(request, access_rollout_group(request.membership, rollout_group_id))


def _group_page(request, group, *, add_form=None, status: int = 200):
    membership = request.membership
    today = request.organization.today()
    page = selectors.group_page(membership, group, today)
    runs = membership.runs_rollout
    context = {
        "page": page,
        "group": group,
        "stages": [(stage, Stage(stage).label, page.stage_counts[stage]) for stage in STAGES],
        "add_form": add_form or (AddMembersForm(organization=request.organization) if runs else None),
        "session_form": SessionForm(rollout_group=group, initial={"held_on": today}) if runs else None,
        "today": today,
    }
    return render(request, "rollout/group.html", context, status=status)


@require_http_methods(["GET", "POST"])
def group_edit(request, org_slug, rollout_group_id):
    membership = request.membership
    group = access_rollout_group(membership, rollout_group_id)
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    initial = {name: getattr(group, name) for name in GROUP_FIELDS}
    initial["coach"] = group.coach_id
    form = RolloutGroupForm(request.POST or None, organization=request.organization, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rollout_group(actor=membership, rollout_group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the rollout group."))
            return redirect("rollout:group", org_slug=org_slug, rollout_group_id=group.pk)
    status = 422 if form.errors else 200
    return render(request, "rollout/group_form.html", {"form": form, "group": group}, status=status)


@require_POST
def group_delete(request, org_slug, rollout_group_id):
    group = access_rollout_group(request.membership, rollout_group_id)
    action = partial(services.delete_rollout_group, actor=request.membership, rollout_group=group)
    message = _("Removed the rollout group “%(name)s”; its people keep their goals.") % {"name": group.name}
    return carry_out(request, action, message, back=redirect("rollout:groups", org_slug=org_slug))


@require_POST
def group_members_add(request, org_slug, rollout_group_id):
    membership = request.membership
    group = access_rollout_group(membership, rollout_group_id)
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    form = AddMembersForm(request.POST, organization=request.organization)
    if form.is_valid():
        try:
            added, already = services.add_group_members(
                actor=membership, rollout_group=group, people=form.cleaned_data["people"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _added_to_group(group, added, already))
            return redirect("rollout:group", org_slug=org_slug, rollout_group_id=group.pk)
    return _group_page(request, group, add_form=form, status=422)


def _added_to_group(group, added, already) -> str:
    """What adding says, e.g. "Added 2 people to First rollout group: A, B. Already in it: C."."""
    values = {"count": len(added), "group": group.name, "names": people_names(added, most=NAMES_SHOWN)}
    if added:
        told = ngettext(
            "Added %(count)d person to %(group)s: %(names)s.",
            "Added %(count)d people to %(group)s: %(names)s.",
            len(added),
        )
    else:
        told = _("No one new to add to %(group)s.")
    told %= values
    if already:
        told += " " + _("Already in it: %(names)s.") % {"names": people_names(already, most=NAMES_SHOWN)}
    return told


@require_POST
def group_member_remove(request, org_slug, rollout_group_id, membership_id):
    group = access_rollout_group(request.membership, rollout_group_id)
    person = Membership.objects.filter(
        organization_id=request.membership.organization_id, pk=as_id(membership_id)
    ).first()
    if person is None:
        raise NotFound
    action = partial(services.remove_group_member, actor=request.membership, rollout_group=group, membership=person)
    message = _("%(person)s is no longer in the group.") % {"person": person.full_name}
    return carry_out(
        request, action, message, back=redirect("rollout:group", org_slug=org_slug, rollout_group_id=group.pk)
    )


@require_POST
def session_create(request, org_slug, rollout_group_id):
    membership = request.membership
    group = access_rollout_group(membership, rollout_group_id)
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    form = SessionForm(request.POST, rollout_group=group)
    if form.is_valid():
        try:
            services.record_session(actor=membership, rollout_group=group, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The training is recorded."))
            return redirect("rollout:group", org_slug=org_slug, rollout_group_id=group.pk)
    return render(request, "rollout/session_form.html", {"form": form, "group": group, "session": None}, status=422)


@require_http_methods(["GET", "POST"])
def session_edit(request, org_slug, session_id):
    membership = request.membership
    session = access_session(membership, session_id)
    if not membership.runs_rollout:
        return runs_rollout_only(request)
    group = session.rollout_group
    initial = {"held_on": session.held_on, "topic": session.topic, "attendees": list(session.attendees.all())}
    form = SessionForm(request.POST or None, rollout_group=group, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(actor=membership, session=session, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved the training and who attended."))
            return redirect("rollout:group", org_slug=org_slug, rollout_group_id=group.pk)
    status = 422 if form.errors else 200
    return render(
        request, "rollout/session_form.html", {"form": form, "group": group, "session": session}, status=status
    )


@require_POST
def session_delete(request, org_slug, session_id):
    session = access_session(request.membership, session_id)
    action = partial(services.delete_session, actor=request.membership, session=session)
    back = redirect("rollout:group", org_slug=org_slug, rollout_group_id=session.rollout_group_id)
    return carry_out(request, action, _("Removed the training."), back=back)

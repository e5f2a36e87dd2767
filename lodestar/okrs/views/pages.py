"""The pages people read: My goals, the company page, an objective, a key result."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from lodestar.kpis import selectors as kpi_selectors
from lodestar.okrs import coaching, permissions, progress, selectors
from lodestar.okrs.access import access_key_result, access_objective
from lodestar.okrs.charts import key_result_chart, objective_progress_chart
from lodestar.okrs.history import objective_history
from lodestar.okrs.models import Objective
from lodestar.okrs.page_timeframe import selected_timeframe


@require_safe
def home(request, org_slug):
    """My goals: what I lead, own or contribute to in the chosen (default: current) timeframe,
    what needs my check-in, and how my groups are doing."""
    return render(request, "okrs/home.html", home_context(request))


def home_context(request) -> dict:
    membership = request.membership
    view = selected_timeframe(request)
    objectives, groups = [], []
    if view.timeframe:
        objectives = selectors.my_objectives(membership, view.timeframe)
        my_groups = selectors.group_names(membership.organization_id, selectors.my_group_ids(membership))
        groups = _with_progress(membership, view.timeframe, my_groups)
    return {
        **view.context(),
        "timeframe_scoped": True,
        "objectives": objectives,
        "my_groups": groups,
        "due": selectors.key_results_due(membership, objectives, view.today),
        "automatic_status": request.organization.automatic_status,
        "check_in_ids": selectors.list_check_in_ids(membership, objectives),
        "my_initiatives": selectors.my_initiatives(membership, today=view.today),
    }


def _with_progress(viewer, timeframe, groups):
    progress_by_group = selectors.groups_progress(viewer, timeframe, [group.id for group in groups])
    return [(group, *progress_by_group.get(group.id, (0.0, 0))) for group in groups]


@require_safe
def company(request, org_slug):
    """The company's objectives in the timeframe: what everyone is working towards."""
    membership = request.membership
    view = selected_timeframe(request)
    objectives = (
        selectors.level_objectives(membership, view.timeframe, level=Objective.Level.COMPANY) if view.timeframe else []
    )
    return render(
        request,
        "okrs/company.html",
        {
            **view.context(),
            "timeframe_scoped": True,
            "objectives": objectives,
            "overall": progress.weighted_progress((card.progress, 1) for card in objectives if card.state != "draft"),
            "coverage": selectors.alignment_coverage(membership, view.timeframe) if view.timeframe else None,
            "kpi_health": kpi_selectors.health_summary(membership, today=view.today),
            "can_create": membership.is_admin,
            "focus_findings": coaching.company_focus(request.organization, objectives),
        },
    )


@require_safe
def unaligned(request, org_slug):
    """Alignment health: the timeframe's active team and personal objectives that align to nothing."""
    view = selected_timeframe(request)
    groups, total = selectors.unaligned_objectives(request.membership, view.timeframe) if view.timeframe else ([], 0)
    return render(
        request,
        "okrs/unaligned.html",
        {**view.context(), "timeframe_scoped": True, "groups": groups, "total": total,
         "shown_at_most": selectors.UNALIGNED_SHOWN},
    )  # fmt: skip


@require_safe
def objective(request, org_slug, objective_id):
    objective = access_objective(request.membership, objective_id)
    return render(request, "okrs/objective.html", objective_context(request, objective))


def objective_context(request, objective) -> dict:
    membership = request.membership
    timeframe = objective.timeframe
    today = request.organization.today()
    detail = selectors.objective_detail(membership, objective, today=today)
    check_in_ids = detail.check_in_ids
    carried_from, carried_to = selectors.objective_carry_over(membership, objective)
    return {
        "objective": objective,
        "card": detail.card,
        "detail": detail,
        "timeframe": timeframe,
        "expected": progress.expected_progress(starts_on=timeframe.starts_on, ends_on=timeframe.ends_on, on=today),
        "chart": objective_progress_chart(timeframe, detail.snapshots, today),
        "history": objective_history(objective),
        "kpis": kpi_selectors.objective_kpis(membership, objective.pk, today=today),
        "can_edit": permissions.can_edit_objective(membership, objective),
        "check_in_ids": check_in_ids,
        "editable_ids": selectors.editable_initiatives(
            membership, detail.initiatives, check_in_ids, objective=objective
        ),
        "can_add_initiative": bool(check_in_ids),
        "automatic_status": request.organization.automatic_status,
        "coaching": coaching.objective_advice(request.organization, objective, detail.card.key_results, today=today),
        "carried_from": carried_from,
        "carried_to": carried_to,
        "reflection": list(objective.reflection.items()),
    }


@require_safe
def key_result(request, org_slug, key_result_id):
    key_result = access_key_result(request.membership, key_result_id)
    return render(request, "okrs/key_result.html", key_result_context(request, key_result))


def key_result_context(request, key_result) -> dict:
    membership = request.membership
    objective = key_result.objective
    timeframe = objective.timeframe
    today = request.organization.today()
    detail = selectors.key_result_detail(membership, key_result, today=today)
    check_in_ids = {key_result.pk} if detail.may_check_in else set()
    carried_from, carried_to = selectors.key_result_carry_over(membership, key_result)
    return {
        "key_result": detail.row,
        "objective": objective,
        "detail": detail,
        "timeframe": timeframe,
        "expected": progress.expected_progress(starts_on=timeframe.starts_on, ends_on=timeframe.ends_on, on=today),
        "chart": key_result_chart(key_result, timeframe, detail.check_ins, today),
        "can_edit": permissions.can_edit_key_result(membership, key_result),
        "check_in_ids": check_in_ids,
        "editable_ids": selectors.editable_initiatives(
            membership, detail.initiatives, check_in_ids, objective=objective
        ),
        "can_add_initiative": bool(check_in_ids),
        "automatic_status": request.organization.automatic_status,
        "carried_from": carried_from,
        "carried_to": carried_to,
        "may_check_in": detail.may_check_in,
    }


def card_context(request, objective_id: int) -> dict:
    """One objective card as the lists draw it (after an inline check-in)."""
    membership = request.membership
    card = selectors.objective_card(membership, objective_id)
    timeframe = selectors.timeframe_of(membership, card.timeframe_id)
    today = request.organization.today()
    return {
        "objective": card,
        "expected": progress.expected_progress(starts_on=timeframe.starts_on, ends_on=timeframe.ends_on, on=today),
        "check_in_ids": selectors.list_check_in_ids(membership, [card]),
        "automatic_status": request.organization.automatic_status,
    }

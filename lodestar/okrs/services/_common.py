"""The checks and helpers the goal services share: refusals, people fields, locking an objective,
stamping history, an objective's links, and the lengths of titles and descriptions.
"""

from lodestar.core.errors import NotAllowed, NotFound
from lodestar.core.guards import replace_links
from lodestar.kpis.models import KPIObjective
from lodestar.okrs.models import Objective, ObjectiveContributor, ObjectiveGroup
from lodestar.orgs.models import Membership
from lodestar.orgs.services import clean_goal_holder

TITLE_MAX = 200
DESCRIPTION_MAX = 10_000


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _clean_people(actor: Membership, people, field: str) -> list[Membership]:
    unique = {person.pk: person for person in people or ()}
    return [clean_goal_holder(actor, person, field) for person in unique.values()]


def _lock_objective(actor: Membership, objective_id: int) -> Objective:
    """Lock one objective row (not the rows it joins) and load what permission checks read."""
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("timeframe", "lead")
        .filter(organization_id=actor.organization_id, pk=objective_id)
        .first()
    )
    if objective is None:
        raise NotFound
    return objective


def _stamp_history(instance, actor: Membership) -> None:
    instance._history_user = actor.user


def _set_objective_links(objective: Objective, *, groups, contributors, kpis) -> None:
    """The owning groups, the contributors and the KPIs the objective aims to move."""
    owner = {"organization_id": objective.organization_id, "owner": {"objective": objective}}
    replace_links(ObjectiveGroup, **owner, target_field="group", targets=groups)
    replace_links(ObjectiveContributor, **owner, target_field="membership", targets=contributors)
    replace_links(KPIObjective, **owner, target_field="kpi", targets=kpis)

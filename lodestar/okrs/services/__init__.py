"""Every write to timeframes, objectives, key results, check-ins and initiatives.

Each service takes the acting membership first, checks permission, validates what was
typed, and runs as one transaction that also keeps cached progress and status current
(rollup.py). Errors: ValidationError (bad input, keyed by field), NotAllowed (may see
but not do), NotFound (another organization's or invisible object).

This package is the one write API of goals: callers use ``services.create_objective(...)``
and the other names below, not the submodules, which hold the services by topic:

- ``_common``: the shared checks (refusals, people fields, locking an objective, stamping
  history, an objective's links) and the lengths of titles and descriptions.
- ``timeframes``: creating, changing and deleting timeframes, the current one, their lifecycle.
- ``objectives``: the alignment rules; creating, editing and deleting objectives; publishing drafts.
- ``cycle_end``: closing an objective (score, outcome, reflection) and carrying objectives and
  key results over into another timeframe.
- ``coach``: dismissing and restoring the coach's findings.
- ``key_results``: creating, editing and deleting key results; measuring an estimate into a metric.
- ``check_ins``: recording check-ins (by a person or from a feed), correcting and deleting them.
- ``initiatives``: the work expected to move key results.
"""

from lodestar.okrs.services.check_ins import delete_check_in, record_check_in, record_fed_check_in, update_check_in
from lodestar.okrs.services.coach import dismiss_coach_finding, restore_coach_finding
from lodestar.okrs.services.cycle_end import (
    carry_over_key_result,
    carry_over_objective,
    carry_over_objectives,
    close_objective,
)
from lodestar.okrs.services.initiatives import create_initiative, delete_initiative, update_initiative
from lodestar.okrs.services.key_results import (
    convert_estimate_to_metric,
    create_key_result,
    delete_key_result,
    update_key_result,
)
from lodestar.okrs.services.objectives import create_objective, delete_objective, publish_drafts, update_objective
from lodestar.okrs.services.timeframes import (
    change_timeframe_state,
    create_timeframe,
    delete_timeframe,
    mark_current_timeframe,
    update_timeframe,
)

__all__ = [
    "carry_over_key_result",
    "carry_over_objective",
    "carry_over_objectives",
    "change_timeframe_state",
    "close_objective",
    "convert_estimate_to_metric",
    "create_initiative",
    "create_key_result",
    "create_objective",
    "create_timeframe",
    "delete_check_in",
    "delete_initiative",
    "delete_key_result",
    "delete_objective",
    "delete_timeframe",
    "dismiss_coach_finding",
    "mark_current_timeframe",
    "publish_drafts",
    "record_check_in",
    "record_fed_check_in",
    "restore_coach_finding",
    "update_check_in",
    "update_initiative",
    "update_key_result",
    "update_objective",
    "update_timeframe",
]

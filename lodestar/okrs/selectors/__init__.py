"""Read queries shaped for pages and the API; each issues a fixed number of queries.

This package holds the read queries of the goal pages: callers use ``selectors.objective_detail(...)``
and the other names below, not the submodules, which hold them by what the pages read:

- ``visibility``: who sees which objective (visible_objectives) and the filters and checks of
  cards built on that rule.
- ``lists``: cards for My goals, a person's, the company's and a group's page and a KPI's
  objectives; their groups, due key results, groups' progress and inline check-ins.
- ``alignment``: how many group objectives align to the company's, and those aligned to nothing.
- ``detail``: everything the objective and key result pages show, and what the viewer may check in on.
- ``initiatives``: initiative rows for those pages, which the viewer may change, and a person's own.
- ``timeframes``: the timeframe pages open on, one timeframe, its drafts.
- ``cycle_end``: the closing tracker, what may carry on and where to, a group's retrospective.
- ``carry_over``: the links between an objective or key result and where it continues.
"""

from lodestar.okrs.selectors.alignment import UNALIGNED_SHOWN, alignment_coverage, unaligned_objectives
from lodestar.okrs.selectors.carry_over import key_result_carry_over, objective_carry_over
from lodestar.okrs.selectors.cycle_end import (
    LEVEL_HOLDERS,
    carry_over_candidates,
    closing_tracker,
    holder_objectives,
    later_open_timeframes,
    retrospective_objectives,
)
from lodestar.okrs.selectors.detail import (
    key_result_detail,
    key_results_open_for_check_in,
    objective_detail,
    prefetch_for_permissions,
)
from lodestar.okrs.selectors.initiatives import InitiativeRow, editable_initiatives, initiative_row, my_initiatives
from lodestar.okrs.selectors.lists import (
    attach_groups,
    group_names,
    groups_progress,
    key_results_due,
    level_objectives,
    list_check_in_ids,
    my_group_ids,
    my_objectives,
    objective_card,
    objectives_moving,
    person_objectives,
)
from lodestar.okrs.selectors.timeframes import current_timeframe, drafts_of, pick_current_timeframe, timeframe_of
from lodestar.okrs.selectors.visibility import (
    only_visible,
    taking_part,
    visible_objectives,
    visible_private_ids,
    visible_through,
)

__all__ = [
    "LEVEL_HOLDERS",
    "UNALIGNED_SHOWN",
    "InitiativeRow",
    "alignment_coverage",
    "attach_groups",
    "carry_over_candidates",
    "closing_tracker",
    "current_timeframe",
    "drafts_of",
    "editable_initiatives",
    "group_names",
    "groups_progress",
    "holder_objectives",
    "initiative_row",
    "key_result_carry_over",
    "key_result_detail",
    "key_results_due",
    "key_results_open_for_check_in",
    "later_open_timeframes",
    "level_objectives",
    "list_check_in_ids",
    "my_group_ids",
    "my_initiatives",
    "my_objectives",
    "objective_card",
    "objective_carry_over",
    "objective_detail",
    "objectives_moving",
    "only_visible",
    "person_objectives",
    "pick_current_timeframe",
    "prefetch_for_permissions",
    "retrospective_objectives",
    "taking_part",
    "timeframe_of",
    "unaligned_objectives",
    "visible_objectives",
    "visible_private_ids",
    "visible_through",
]

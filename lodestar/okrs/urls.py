from django.urls import path

from lodestar.okrs.views import alignment, check_ins, closing, coach, editing, initiatives, pages, timeframes

app_name = "okrs"
urlpatterns = [
    path("", pages.home, name="home"),
    path("company/", pages.company, name="company"),
    path("company/unaligned/", pages.unaligned, name="unaligned"),
    path("map/", alignment.map_page, name="map"),
    path("map/<int:objective_id>/aligned/", alignment.map_branch, name="map_branch"),
    path("objectives/new/", editing.objective_create, name="objective_create"),
    path("objectives/parents/", editing.parent_options, name="parent_options"),
    path("objectives/<int:objective_id>/", pages.objective, name="objective"),
    path("objectives/<int:objective_id>/edit/", editing.objective_edit, name="objective_edit"),
    path("objectives/<int:objective_id>/delete/", editing.objective_delete, name="objective_delete"),
    path("objectives/<int:objective_id>/close/", closing.objective_close, name="objective_close"),
    path("objectives/<int:objective_id>/key-results/new/", editing.key_result_create, name="key_result_create"),
    path("objectives/<int:objective_id>/key-results/coach/", coach.key_result_coach, name="key_result_coach"),
    path("objectives/coach/", coach.objective_coach, name="objective_coach"),
    path("objectives/<int:objective_id>/coach/", coach.objective_coach, name="objective_coach_edit"),
    path("objectives/<int:objective_id>/coach/dismiss/", coach.finding_dismiss, name="finding_dismiss"),
    path("objectives/<int:objective_id>/coach/restore/", coach.finding_restore, name="finding_restore"),
    path("objectives/<int:objective_id>/initiatives/new/", initiatives.initiative_create, name="initiative_create"),
    path("initiatives/<int:initiative_id>/edit/", initiatives.initiative_edit, name="initiative_edit"),
    path("initiatives/<int:initiative_id>/state/", initiatives.initiative_state, name="initiative_state"),
    path("initiatives/<int:initiative_id>/delete/", initiatives.initiative_delete, name="initiative_delete"),
    path("key-results/<int:key_result_id>/", pages.key_result, name="key_result"),
    path("key-results/<int:key_result_id>/edit/", editing.key_result_edit, name="key_result_edit"),
    path("key-results/<int:key_result_id>/delete/", editing.key_result_delete, name="key_result_delete"),
    path("key-results/<int:key_result_id>/convert/", editing.key_result_convert, name="key_result_convert"),
    path("key-results/<int:key_result_id>/check-in/", check_ins.check_in, name="check_in"),
    path("groups/<int:group_id>/retrospective/", closing.group_retrospective, name="group_retrospective"),
    path("timeframes/", timeframes.timeframe_list, name="timeframes"),
    path("timeframes/new/", timeframes.timeframe_create, name="timeframe_create"),
    path("timeframes/<int:timeframe_id>/edit/", timeframes.timeframe_edit, name="timeframe_edit"),
    path("timeframes/<int:timeframe_id>/state/", timeframes.timeframe_state, name="timeframe_state"),
    path("timeframes/<int:timeframe_id>/activate/", timeframes.timeframe_activate, name="timeframe_activate"),
    path("timeframes/<int:timeframe_id>/closing/", timeframes.timeframe_closing, name="timeframe_closing"),
    path(
        "timeframes/<int:timeframe_id>/closing/groups/<int:group_id>/",
        timeframes.timeframe_closing_holder,
        name="timeframe_closing_group",
    ),
    path(
        "timeframes/<int:timeframe_id>/closing/levels/<slug:level>/",
        timeframes.timeframe_closing_holder,
        name="timeframe_closing_level",
    ),
    path("timeframes/<int:timeframe_id>/carry-over/", timeframes.timeframe_carry_over, name="timeframe_carry_over"),
    path(
        "timeframes/<int:timeframe_id>/make-current/", timeframes.timeframe_make_current, name="timeframe_make_current"
    ),
]

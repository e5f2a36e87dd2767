from django.urls import path

from lodestar.rollout.views import adoption, deck, groups, plan, rounds

app_name = "rollout"
urlpatterns = [
    path("rollout/", plan.plan_page, name="plan"),
    path("rollout/start/", plan.start, name="start"),
    path("rollout/steps/new/", plan.step_create, name="step_create"),
    path("rollout/steps/<int:step_id>/edit/", plan.step_edit, name="step_edit"),
    path("rollout/steps/<int:step_id>/done/", plan.step_done, name="step_done"),
    path("rollout/steps/<int:step_id>/delete/", plan.step_delete, name="step_delete"),
    path("rollout/groups/", groups.group_list, name="groups"),
    path("rollout/groups/new/", groups.group_create, name="group_create"),
    path("rollout/groups/<int:rollout_group_id>/", groups.group_page, name="group"),
    path("rollout/groups/<int:rollout_group_id>/edit/", groups.group_edit, name="group_edit"),
    path("rollout/groups/<int:rollout_group_id>/delete/", groups.group_delete, name="group_delete"),
    path("rollout/groups/<int:rollout_group_id>/members/", groups.group_members_add, name="group_members_add"),
    path(
        "rollout/groups/<int:rollout_group_id>/members/<int:membership_id>/remove/",
        groups.group_member_remove,
        name="group_member_remove",
    ),
    path("rollout/groups/<int:rollout_group_id>/sessions/", groups.session_create, name="session_create"),
    path("rollout/sessions/<int:session_id>/", groups.session_edit, name="session_edit"),
    path("rollout/sessions/<int:session_id>/delete/", groups.session_delete, name="session_delete"),
    path("rollout/rounds/", rounds.round_list, name="rounds"),
    path("rollout/rounds/new/", rounds.round_create, name="round_create"),
    path("rollout/rounds/<int:round_id>/", rounds.round_page, name="round"),
    path("rollout/rounds/<int:round_id>/reviewers/", rounds.round_reviewers_add, name="round_reviewers_add"),
    path("rollout/reviews/<int:entry_id>/", rounds.review, name="review"),
    path("rollout/rounds/<int:round_id>/submit/", rounds.review_submit, name="review_submit"),
    path("rollout/rounds/<int:round_id>/close/", rounds.round_close, name="round_close"),
    path("rollout/feedback/<int:point_id>/reply/", rounds.point_reply, name="point_reply"),
    path("rollout/feedback/<int:point_id>/resolve/", rounds.point_resolve, name="point_resolve"),
    path("rollout/adoption/", adoption.dashboard, name="dashboard"),
    path("rollout/adoption/people/", adoption.people, name="people"),
    path("rollout/adoption/refresh/", adoption.refresh, name="adoption_refresh"),
    path("onboarding/", deck.deck, name="deck"),
    path("onboarding/edit/", deck.deck_edit, name="deck_edit"),
    path("onboarding/reset/", deck.deck_reset, name="deck_reset"),
    path("onboarding/dismiss/", deck.welcome_dismiss, name="welcome_dismiss"),
]

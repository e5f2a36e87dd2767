import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lodestar.okrs import services as okrs_services
from lodestar.okrs.models import Objective
from lodestar.onboarding import services as onboarding_services
from lodestar.onboarding.people_import import services as people_import_services
from lodestar.rollout import services as rollout_services
from lodestar.rollout.models import Criterion, FeedbackPoint, RolloutStep, RoundObjective
from tests import factories
from tests.scim import world as scim_world
from tests.sso import world as sso_world

# Every view that accepts POST: how to reach it, a valid post (data), every form field with a valid
# value (fields, for the hostile-input test, posted as hostile_role), and the answer per role (the
# brief's rules: 302 done, 403 seen but not allowed, 404 another organization). A POST view missing
# here fails test_every_post_view_is_in_the_role_table.
POST_VIEWS = {
    "okrs:check_in": SimpleNamespace(
        url=lambda world: reverse(
            "okrs:check_in", kwargs={"org_slug": world.cast.acme.slug, "key_result_id": world.key_result.pk}
        ),
        data=lambda world: {f"kr{world.key_result.pk}-value": "7", f"kr{world.key_result.pk}-status": "on_track"},
        fields=lambda world: {
            f"kr{world.key_result.pk}-value": "7",
            f"kr{world.key_result.pk}-status": "on_track",
            f"kr{world.key_result.pk}-confidence": "",
            f"kr{world.key_result.pk}-comment": "",
        },
        hostile_role="member",
        expect={
            "owner": 302,
            "admin": 302,
            "lead": 302,
            "member": 302,
            "sales": 403,
            "viewer": 403,
            "beta_member": 404,
        },
    ),
}


# Management pages for people, groups and timeframes: owners and admins only.
ADMINS_ONLY = {"owner": 302, "admin": 302, "lead": 403, "member": 403, "sales": 403, "viewer": 403, "beta_member": 404}


def _acme_url(name, **kwargs):
    return lambda world: reverse(
        name, kwargs={"org_slug": world.cast.acme.slug, **{k: v(world) for k, v in kwargs.items()}}
    )


def _group_fields(world):
    return {"name": "Platform", "slug": "", "description": "Runs the platform.", "parent": world.cast.engineering.slug}


def _group_edit_fields(world):
    return {
        "name": "Engineering & Product",
        "slug": "engineering",
        "description": "Builds it.",
        "parent": world.cast.sales_group.name,
    }


def _group_member_fields(world):
    return {
        "people": f"{world.cast.sales.user.email}, {world.cast.viewer.user.full_name}",
        "people_groups": [world.cast.sales_group.slug],
        "people_subgroups": "on",
        "role": "lead",
    }


def _invite_fields(world):
    return {
        "addresses": "New Person <new.person@acme.test>, second.person@acme.test",
        "role": "member",
        "groups": [world.cast.engineering.slug],
        "job_title": "Engineer",
        "manager": world.cast.lead.user.email,
        "message": "Welcome!",
    }


def _person_edit_fields(world):
    return {
        "role": "admin",
        "job_title": "Engineer",
        "manager": world.cast.lead.user.email,
        "is_active": "on",
        "is_okr_ambassador": "on",
    }


def _timeframe_create_fields(world):
    starts_on = world.cast.quarter.ends_on + datetime.timedelta(days=1)
    ends_on = starts_on + datetime.timedelta(days=90)
    return {
        "name": "Next",
        "kind": "quarter",
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
        "state": "planning",
    }


def _timeframe_edit_fields(world):
    quarter = world.cast.quarter
    return {
        "name": "This quarter",
        "kind": "custom",
        "starts_on": quarter.starts_on.isoformat(),
        "ends_on": quarter.ends_on.isoformat(),
        "state": "active",
    }


_GROUP = {"group_id": lambda world: world.cast.engineering.pk}
_GROUP_MEMBER = {**_GROUP, "membership_id": lambda world: world.cast.member.pk}
_TIMEFRAME = {"timeframe_id": lambda world: world.cast.quarter.pk}
POST_VIEWS.update(
    {
        "orgs:group_create": SimpleNamespace(
            url=_acme_url("orgs:group_create"),
            data=_group_fields,
            fields=_group_fields,
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "orgs:group_edit": SimpleNamespace(
            url=_acme_url("orgs:group_edit", **_GROUP),
            data=_group_edit_fields,
            fields=_group_edit_fields,
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "orgs:group_members": SimpleNamespace(
            url=_acme_url("orgs:group_members", **_GROUP),
            data=_group_member_fields,
            fields=_group_member_fields,
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "orgs:group_member_role": SimpleNamespace(
            url=_acme_url("orgs:group_member_role", **_GROUP_MEMBER),
            data=lambda world: {"role": "lead"},
            fields=lambda world: {"role": "lead"},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "orgs:group_member_remove": SimpleNamespace(
            url=_acme_url("orgs:group_member_remove", **_GROUP_MEMBER),
            data=lambda world: {},
            fields=lambda world: {},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "onboarding:invite": SimpleNamespace(
            url=_acme_url("onboarding:invite"),
            data=_invite_fields,
            fields=_invite_fields,
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "onboarding:resend": SimpleNamespace(
            url=_acme_url("onboarding:resend", invitation_id=lambda world: world.invitation.pk),
            data=lambda world: {},
            fields=lambda world: {},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "onboarding:revoke": SimpleNamespace(
            url=_acme_url("onboarding:revoke", invitation_id=lambda world: world.invitation.pk),
            data=lambda world: {},
            fields=lambda world: {},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "orgs:person_edit": SimpleNamespace(
            url=_acme_url("orgs:person_edit", membership_id=lambda world: world.cast.member.pk),
            data=_person_edit_fields,
            fields=_person_edit_fields,
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "okrs:timeframe_create": SimpleNamespace(
            url=_acme_url("okrs:timeframe_create"),
            data=_timeframe_create_fields,
            fields=_timeframe_create_fields,
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "okrs:timeframe_edit": SimpleNamespace(
            url=_acme_url("okrs:timeframe_edit", **_TIMEFRAME),
            data=_timeframe_edit_fields,
            fields=_timeframe_edit_fields,
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "okrs:timeframe_state": SimpleNamespace(
            url=_acme_url("okrs:timeframe_state", **_TIMEFRAME),
            data=lambda world: {"state": "closing"},
            fields=lambda world: {"state": "closing"},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "okrs:timeframe_activate": SimpleNamespace(
            url=_acme_url("okrs:timeframe_activate", **_TIMEFRAME),
            data=lambda world: {"objectives": [world.draft.pk]},
            fields=lambda world: {"objectives": [world.draft.pk]},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "notifications:remind_to_close": SimpleNamespace(
            url=_acme_url("notifications:remind_to_close", **_TIMEFRAME),
            data=lambda world: {},
            fields=lambda world: {},  # a button
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "okrs:timeframe_carry_over": SimpleNamespace(
            url=_acme_url("okrs:timeframe_carry_over", **_TIMEFRAME),
            data=lambda world: {"objectives": [world.objective.pk], "into": world.next_quarter.pk},
            fields=lambda world: {"objectives": [world.objective.pk], "into": world.next_quarter.pk},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "okrs:timeframe_make_current": SimpleNamespace(
            url=_acme_url("okrs:timeframe_make_current", **_TIMEFRAME),
            data=lambda world: {},
            fields=lambda world: {},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
    }
)


# Creating, editing and deleting objectives and key results (okrs.views.editing). World: an
# Engineering objective led by the member, with the member's metric key result and one check-in.
GOAL_EDITORS = {"owner": 302, "admin": 302, "lead": 302, "member": 302, "sales": 403, "viewer": 403, "beta_member": 404}
_OBJECTIVE = {"objective_id": lambda world: world.objective.pk}
_KEY_RESULT = {"key_result_id": lambda world: world.key_result.pk}


def _objective_fields(world):
    cast = world.cast
    return {
        "title": "Fleet managers trust our alerts",
        "description": "Fewer, better alerts.",
        "level": "group",
        "groups": [cast.engineering.slug],
        "pillar": "",
        "timeframe": cast.quarter.pk,
        "parent": "",
        "lead": cast.member.user.email,
        "contributors": [cast.lead.user.email],
        "contributors_groups": [cast.sales_group.slug],
        "contributors_subgroups": "on",
        "visibility": "public",
        "commitment": "aspirational",
        "state": "active",
        "progress_driver": "key_results",
    }


def _objective_edit_fields(world):
    return {**_objective_fields(world), "title": "Acme's open plan", "contributors": []}


def _close_fields(world):
    return {
        "score": "0.4",
        "outcome": "missed",
        "reflection_0": "Routing works.",
        "reflection_1": "",
        "reflection_2": "",
        "carry_into": "",
    }


def _convert_fields(world):
    return {"start_value": "12", "target_value": "40", "unit": "customers", "current_value": ""}


def _key_result_fields(world):
    return {
        "title": "Alerts acknowledged within an hour",
        "description": "",
        "kind": "metric",
        "start_value": "40",
        "target_value": "90",
        "threshold_direction": "",
        "unit": "%",
        "weight": "2",
        "owner": world.cast.member.user.email,
        "contributors": [world.cast.lead.user.email],
        "contributors_groups": [world.cast.sales_group.slug],
        "contributors_subgroups": "on",
    }


def _key_result_edit_fields(world):
    return {**_key_result_fields(world), "title": world.key_result.title, "start_value": "0", "target_value": "150"}


POST_VIEWS.update(
    {
        "okrs:objective_create": SimpleNamespace(
            url=_acme_url("okrs:objective_create"),
            data=_objective_fields,
            fields=_objective_fields,
            hostile_role="admin",
            expect=GOAL_EDITORS,
        ),
        "okrs:objective_edit": SimpleNamespace(
            url=_acme_url("okrs:objective_edit", **_OBJECTIVE),
            data=_objective_edit_fields,
            fields=_objective_edit_fields,
            hostile_role="admin",
            expect=GOAL_EDITORS,
        ),
        "okrs:objective_delete": SimpleNamespace(
            url=_acme_url("okrs:objective_delete", **_OBJECTIVE),
            data=lambda world: {},
            fields=lambda world: {},
            hostile_role="member",
            expect=GOAL_EDITORS,
        ),
        "okrs:objective_close": SimpleNamespace(
            url=_acme_url("okrs:objective_close", **_OBJECTIVE),
            data=_close_fields,
            fields=_close_fields,
            hostile_role="member",
            expect=GOAL_EDITORS,
        ),
        "okrs:finding_dismiss": SimpleNamespace(
            url=_acme_url("okrs:finding_dismiss", **_OBJECTIVE),
            data=lambda world: {"rule": "too_few_krs", "reason": "One measure says it all here."},
            fields=lambda world: {"rule": "kr_output", "key_result": world.key_result.pk, "reason": "A milestone."},
            hostile_role="member",
            expect=GOAL_EDITORS,
        ),
        "okrs:finding_restore": SimpleNamespace(
            url=_acme_url("okrs:finding_restore", **_OBJECTIVE),
            data=lambda world: {"rule": world.coach_dismissal.rule},
            fields=lambda world: {},  # a button: its hidden fields name the dismissal
            hostile_role="member",
            expect=GOAL_EDITORS,
        ),
        "okrs:key_result_convert": SimpleNamespace(
            url=_acme_url("okrs:key_result_convert", key_result_id=lambda world: world.estimate.pk),
            data=_convert_fields,
            fields=_convert_fields,
            hostile_role="member",
            expect=GOAL_EDITORS,
        ),
        "okrs:key_result_create": SimpleNamespace(
            url=_acme_url("okrs:key_result_create", **_OBJECTIVE),
            data=_key_result_fields,
            fields=_key_result_fields,
            hostile_role="admin",
            expect=GOAL_EDITORS,
        ),
        "okrs:key_result_edit": SimpleNamespace(
            url=_acme_url("okrs:key_result_edit", **_KEY_RESULT),
            data=_key_result_edit_fields,
            fields=_key_result_edit_fields,
            hostile_role="admin",
            expect=GOAL_EDITORS,
        ),
        "okrs:key_result_delete": SimpleNamespace(
            url=_acme_url("okrs:key_result_delete", **_KEY_RESULT),
            data=lambda world: {},
            fields=lambda world: {},
            hostile_role="member",
            expect=GOAL_EDITORS,
        ),
    }
)

# The strategy (lodestar.pages.strategy): admins only. The world's pillar is the second of its year.
_PILLAR = {"pillar_id": lambda world: world.pillar.pk}
POST_VIEWS.update(
    {
        "strategy:strategy_edit": SimpleNamespace(
            url=_acme_url("strategy:strategy_edit"),
            data=lambda world: {"vision": "Every machine connected", "mission": "We make data useful"},
            fields=lambda world: {"vision": "Every machine connected", "mission": "We make data useful"},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "strategy:pillar_create": SimpleNamespace(
            url=_acme_url("strategy:pillar_create"),
            data=lambda world: {"name": "Data services", "description": "From data to services"},
            fields=lambda world: {"name": "Data services", "description": "From data to services"},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "strategy:pillar_edit": SimpleNamespace(
            url=_acme_url("strategy:pillar_edit", **_PILLAR),
            data=lambda world: {"name": "Reliability", "description": "Machines that never stop"},
            fields=lambda world: {"name": "Reliability", "description": "Machines that never stop"},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "strategy:pillar_move": SimpleNamespace(
            url=_acme_url("strategy:pillar_move", **_PILLAR),
            data=lambda world: {"direction": "up"},
            fields=lambda world: {"direction": "up"},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "strategy:pillar_delete": SimpleNamespace(
            url=_acme_url("strategy:pillar_delete", **_PILLAR),
            data=lambda world: {},
            fields=lambda world: {},
            hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
    }
)


# KPIs (lodestar.kpis.views): anyone who may write creates one; the world's KPI is the member's, of
# Engineering (led by the lead), so its owner, the lead and admins change it.
WRITERS = {"owner": 302, "admin": 302, "lead": 302, "member": 302, "sales": 302, "viewer": 403, "beta_member": 404}
KPI_CHANGERS = GOAL_EDITORS
_KPI = {"kpi_id": lambda world: world.kpi.pk}


def _kpi_fields(world):
    return {
        "name": "Alerts per device",
        "description": "Fewer is better.",
        "unit": "alerts",
        "rule": "between",
        "rule_min": "1",
        "rule_max": "5",
        "cadence": "weekly",
        "aggregation": "average",
        "owner": world.cast.member.user.email,
        "groups": [world.cast.engineering.slug],
    }


def _kpi_value_fields(world):
    return {"value": "42", "recorded_on": world.cast.today.isoformat(), "comment": "After the release"}


def _initiative_fields(world):
    return {
        "title": "Alert router v2",
        "description": "Route by device type.",
        "key_results": [str(world.key_result.pk)],
        "owner": world.cast.member.user.email,
        "state": "in_progress",
        "due_on": world.cast.today.isoformat(),
        "progress_percent": "40",
    }


_INITIATIVE = {"initiative_id": lambda world: world.initiative.pk}
POST_VIEWS.update(
    {
        "kpis:kpi_create": SimpleNamespace(
            url=_acme_url("kpis:kpi_create"), data=_kpi_fields, fields=_kpi_fields, hostile_role="member", expect=WRITERS
        ),
        "kpis:kpi_edit": SimpleNamespace(
            url=_acme_url("kpis:kpi_edit", **_KPI), data=_kpi_fields, fields=_kpi_fields, hostile_role="member",
            expect=KPI_CHANGERS,
        ),
        "kpis:kpi_delete": SimpleNamespace(
            url=_acme_url("kpis:kpi_delete", **_KPI), data=lambda world: {}, fields=lambda world: {},
            hostile_role="member", expect=KPI_CHANGERS,
        ),
        "kpis:kpi_value_create": SimpleNamespace(
            url=_acme_url("kpis:kpi_value_create", **_KPI), data=_kpi_value_fields, fields=_kpi_value_fields,
            hostile_role="member", expect=KPI_CHANGERS,
        ),
        "kpis:kpi_import": SimpleNamespace(
            url=_acme_url("kpis:kpi_import", **_KPI),
            data=lambda world: {"text": "2026-01-31,40\n2026-02-28,45"},
            fields=lambda world: {"text": "2026-01-31,40\n2026-02-28,45"},
            hostile_role="member", expect=KPI_CHANGERS,
        ),
        "kpis:kpi_value_delete": SimpleNamespace(
            url=_acme_url("kpis:kpi_value_delete", kpi_value_id=lambda world: world.kpi_value.pk),
            data=lambda world: {}, fields=lambda world: {}, hostile_role="member", expect=KPI_CHANGERS,
        ),
        "okrs:initiative_create": SimpleNamespace(
            url=_acme_url("okrs:initiative_create", **_OBJECTIVE), data=_initiative_fields, fields=_initiative_fields,
            hostile_role="member", expect=GOAL_EDITORS,
        ),
        "okrs:initiative_edit": SimpleNamespace(
            url=_acme_url("okrs:initiative_edit", **_INITIATIVE), data=_initiative_fields, fields=_initiative_fields,
            hostile_role="member", expect=GOAL_EDITORS,
        ),
        "okrs:initiative_state": SimpleNamespace(
            url=_acme_url("okrs:initiative_state", **_INITIATIVE), data=lambda world: {"state": "done"},
            fields=lambda world: {"state": "done"}, hostile_role="member", expect=GOAL_EDITORS,
        ),
        "okrs:initiative_delete": SimpleNamespace(
            url=_acme_url("okrs:initiative_delete", **_INITIATIVE), data=lambda world: {}, fields=lambda world: {},
            hostile_role="member", expect=GOAL_EDITORS,
        ),
    }
)  # fmt: skip

# Conversations, notifications, settings (issue 6).
AUTHOR_ONLY = {"owner": 302, "admin": 403, "lead": 403, "member": 403, "sales": 403, "viewer": 403, "beta_member": 404}
AUTHOR_OR_ADMIN = {**AUTHOR_ONLY, "admin": 302}
EVERYONE = {"owner": 302, "admin": 302, "lead": 302, "member": 302, "sales": 302, "viewer": 302, "beta_member": 404}
RECIPIENT_ONLY = {
    "owner": 302,
    "admin": 404,
    "lead": 404,
    "member": 404,
    "sales": 404,
    "viewer": 404,
    "beta_member": 404,
}
_COMMENT = {"comment_id": lambda world: world.comment.pk}
_CHANNEL = {"channel_id": lambda world: world.chat_channel.pk}


def _comment_fields(world):
    return {"body": "Good progress, @[Lea Lead]: **thanks**."}


def _chat_channel_fields(world):
    return {
        "name": "#sales",
        "service": "teams",
        "url": "http://127.0.0.1:9/hooks/sales",
        "events": ["check_in", "objective_created"],
        "group": world.cast.sales_group.slug,
        "is_active": "on",
    }


def _organization_settings_fields(world):
    return {
        "name": "Acme Inc.",
        "language": "de",
        "time_zone": "Europe/Vienna",
        "check_in_weekday": "3",
        "reflection_questions": "Did customers notice?\nWhat do we stop doing?",
    }


def _preferences_fields(world):
    return {"notification_emails": "daily", "check_in_reminders": "", "lead_digest": "on"}


def _personal_settings_fields(world):
    return {"full_name": "Max Mustermann", "language": "de", "time_zone": "Europe/Vienna"}


POST_VIEWS.update(
    {
        "conversations:objective_comment": SimpleNamespace(
            url=_acme_url("conversations:objective_comment", **_OBJECTIVE), data=_comment_fields,
            fields=_comment_fields, hostile_role="member", expect=WRITERS,
        ),
        "conversations:key_result_comment": SimpleNamespace(
            url=_acme_url("conversations:key_result_comment", **_KEY_RESULT), data=_comment_fields,
            fields=_comment_fields, hostile_role="member", expect=WRITERS,
        ),
        "conversations:check_in_comment": SimpleNamespace(
            url=_acme_url("conversations:check_in_comment", check_in_id=lambda world: world.check_in.pk),
            data=_comment_fields, fields=_comment_fields, hostile_role="member", expect=WRITERS,
        ),
        "conversations:kpi_comment": SimpleNamespace(
            url=_acme_url("conversations:kpi_comment", **_KPI), data=_comment_fields, fields=_comment_fields,
            hostile_role="member", expect=WRITERS,
        ),
        "conversations:comment_edit": SimpleNamespace(
            url=_acme_url("conversations:comment_edit", **_COMMENT), data=_comment_fields, fields=_comment_fields,
            hostile_role="owner", expect=AUTHOR_ONLY,
        ),
        "conversations:comment_delete": SimpleNamespace(
            url=_acme_url("conversations:comment_delete", **_COMMENT), data=lambda world: {},
            fields=lambda world: {}, hostile_role="owner", expect=AUTHOR_OR_ADMIN,
        ),
        "conversations:comment_react": SimpleNamespace(
            url=_acme_url("conversations:comment_react", **_COMMENT), data=lambda world: {"emoji": "tada"},
            fields=lambda world: {"emoji": "tada"}, hostile_role="member", expect=WRITERS,
        ),
        "notifications:mark_all_read": SimpleNamespace(
            url=_acme_url("notifications:mark_all_read"), data=lambda world: {}, fields=lambda world: {},
            hostile_role="owner", expect=EVERYONE,
        ),
        "notifications:mark_read": SimpleNamespace(
            url=_acme_url("notifications:mark_read", notification_id=lambda world: world.notification.pk),
            data=lambda world: {}, fields=lambda world: {}, hostile_role="owner", expect=RECIPIENT_ONLY,
        ),
        "notifications:preferences": SimpleNamespace(
            url=_acme_url("notifications:preferences"), data=_preferences_fields, fields=_preferences_fields,
            hostile_role="member", expect=EVERYONE,
        ),
        "orgs:personal_settings": SimpleNamespace(
            url=_acme_url("orgs:personal_settings"), data=_personal_settings_fields,
            fields=_personal_settings_fields, hostile_role="member", expect=EVERYONE,
        ),
        "notifications:chat_channels": SimpleNamespace(
            url=_acme_url("notifications:chat_channels"), data=_chat_channel_fields, fields=_chat_channel_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "notifications:chat_channel_edit": SimpleNamespace(
            url=_acme_url("notifications:chat_channel_edit", **_CHANNEL), data=_chat_channel_fields,
            fields=_chat_channel_fields, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "notifications:chat_channel_delete": SimpleNamespace(
            url=_acme_url("notifications:chat_channel_delete", **_CHANNEL), data=lambda world: {},
            fields=lambda world: {}, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "notifications:chat_channel_test": SimpleNamespace(
            url=_acme_url("notifications:chat_channel_test", **_CHANNEL), data=lambda world: {},
            fields=lambda world: {}, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "notifications:chat_post_retry": SimpleNamespace(
            url=_acme_url("notifications:chat_post_retry", post_id=lambda world: world.chat_post.pk),
            data=lambda world: {}, fields=lambda world: {}, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "api_tokens:tokens": SimpleNamespace(
            url=_acme_url("api_tokens:tokens"), data=lambda world: {"name": "Export", "scope": "read"},
            fields=lambda world: {"name": "Export", "scope": "read", "expires_on": ""}, hostile_role="member",
            expect=EVERYONE,
        ),
        "api_tokens:token_revoke": SimpleNamespace(
            url=_acme_url("api_tokens:token_revoke", token_id=lambda world: world.api_token.pk),
            data=lambda world: {}, fields=lambda world: {}, hostile_role="owner", expect=RECIPIENT_ONLY,
        ),
        "orgs:settings": SimpleNamespace(
            url=_acme_url("orgs:settings"), data=_organization_settings_fields,
            fields=_organization_settings_fields, hostile_role="admin", expect=ADMINS_ONLY,
        ),
    }
)  # fmt: skip

_WEBHOOK = {"webhook_id": lambda world: world.webhook.pk}
_FEED = {"feed_id": lambda world: world.feed.pk}


def _webhook_fields(world):
    return {
        "name": "Data warehouse",
        "url": "http://127.0.0.1:9/hooks/dwh",
        "events": ["kpi.unhealthy"],
        "is_active": "on",
    }


def _push_feed_fields(world):
    return {"kind": "push", "push-name": "Nightly script"}


def _no_fields(world):
    return {}


POST_VIEWS.update(
    {
        "webhooks:webhooks": SimpleNamespace(
            url=_acme_url("webhooks:webhooks"), data=_webhook_fields, fields=_webhook_fields, hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "webhooks:webhook": SimpleNamespace(
            url=_acme_url("webhooks:webhook", **_WEBHOOK), data=_webhook_fields, fields=_webhook_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "webhooks:webhook_ping": SimpleNamespace(
            url=_acme_url("webhooks:webhook_ping", **_WEBHOOK), data=_no_fields, fields=_no_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "webhooks:webhook_secret": SimpleNamespace(
            url=_acme_url("webhooks:webhook_secret", **_WEBHOOK), data=_no_fields, fields=_no_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "webhooks:webhook_delete": SimpleNamespace(
            url=_acme_url("webhooks:webhook_delete", **_WEBHOOK), data=_no_fields, fields=_no_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "webhooks:delivery_retry": SimpleNamespace(
            url=_acme_url("webhooks:delivery_retry", delivery_id=lambda world: world.delivery.pk), data=_no_fields,
            fields=_no_fields, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "feeds:key_result_feeds": SimpleNamespace(
            url=_acme_url("feeds:key_result_feeds", **_KEY_RESULT), data=_push_feed_fields,
            fields=_push_feed_fields, hostile_role="member", expect=GOAL_EDITORS,
        ),
        "feeds:kpi_feeds": SimpleNamespace(
            url=_acme_url("feeds:kpi_feeds", **_KPI), data=_push_feed_fields, fields=_push_feed_fields,
            hostile_role="member", expect=KPI_CHANGERS,
        ),
        "feeds:feed_delete": SimpleNamespace(
            url=_acme_url("feeds:feed_delete", **_FEED), data=_no_fields, fields=_no_fields, hostile_role="member",
            expect=GOAL_EDITORS,
        ),
        "feeds:feed_poll": SimpleNamespace(
            url=_acme_url("feeds:feed_poll", **_FEED), data=_no_fields, fields=_no_fields, hostile_role="member",
            expect=GOAL_EDITORS,
        ),
    }
)  # fmt: skip

_SSO_DOMAIN = {"domain_id": lambda world: sso_world.with_sso(world).sso_domain.pk}

POST_VIEWS.update(
    {
        "sso:settings": SimpleNamespace(
            url=_acme_url("sso:settings"), data=sso_world.provider_fields, fields=sso_world.provider_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "sso:saml_settings": SimpleNamespace(
            url=_acme_url("sso:saml_settings"), data=sso_world.saml_fields, fields=sso_world.saml_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "sso:policy": SimpleNamespace(
            url=_acme_url("sso:policy"), data=sso_world.policy_fields, fields=sso_world.policy_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "sso:remove": SimpleNamespace(
            url=_acme_url("sso:remove"), data=sso_world.no_fields, fields=sso_world.no_fields, hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "sso:domain_add": SimpleNamespace(
            url=_acme_url("sso:domain_add"), data=sso_world.domain_fields, fields=sso_world.domain_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "sso:domain_check": SimpleNamespace(
            url=_acme_url("sso:domain_check", **_SSO_DOMAIN), data=sso_world.no_fields, fields=sso_world.no_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "sso:domain_remove": SimpleNamespace(
            url=_acme_url("sso:domain_remove", **_SSO_DOMAIN), data=sso_world.no_fields, fields=sso_world.no_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
    }
)  # fmt: skip

POST_VIEWS.update(
    {
        "scim:settings": SimpleNamespace(
            url=_acme_url("scim:settings"), data=scim_world.token_fields, fields=scim_world.token_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "scim:token_revoke": SimpleNamespace(
            url=_acme_url("scim:token_revoke", scim_token_id=lambda world: scim_world.with_scim(world).scim_token.pk),
            data=scim_world.no_fields, fields=scim_world.no_fields, hostile_role="admin", expect=ADMINS_ONLY,
        ),
    }
)  # fmt: skip

# Pages whose query string is a form (GET): every field with a valid value, for the hostile-input test.
GET_FORMS = {
    "okrs:map": SimpleNamespace(
        url=_acme_url("okrs:map"),
        fields=lambda world: {"group": "engineering", "person": world.cast.member.user.email, "status": "on_track"},
    ),
    "okrs:objective_coach": SimpleNamespace(
        url=_acme_url("okrs:objective_coach"),
        fields=lambda world: {"title": "Raise NPS to 50", "level": "group", "timeframe": world.cast.quarter.pk},
    ),
    "okrs:objective_coach_edit": SimpleNamespace(
        url=_acme_url("okrs:objective_coach_edit", **_OBJECTIVE),
        fields=lambda world: {"title": "Raise NPS to 50", "level": "group", "parent": ""},
    ),
    "okrs:finding_dismiss": SimpleNamespace(
        url=_acme_url("okrs:finding_dismiss", **_OBJECTIVE), fields=lambda world: {"rule": "too_few_krs"}
    ),
    "okrs:key_result_coach": SimpleNamespace(
        url=_acme_url("okrs:key_result_coach", **_OBJECTIVE),
        fields=lambda world: {"title": "Launch the portal", "kind": "milestone", "start_value": "", "target_value": ""},
    ),
    "search:search": SimpleNamespace(
        url=_acme_url("search:search"), fields=lambda world: {"q": "plan", "kind": "objectives", "page": "2"}
    ),
    "directory:people": SimpleNamespace(
        url=_acme_url("directory:people"), fields=lambda world: {"q": "max", "page": "2"}
    ),
    "directory:groups": SimpleNamespace(url=_acme_url("directory:groups"), fields=lambda world: {"page": "2"}),
    "orgs:group_members": SimpleNamespace(
        url=_acme_url("orgs:group_members", **_GROUP), fields=lambda world: {"page": "2"}, hostile_role="admin"
    ),
    "kpis:kpis": SimpleNamespace(
        url=_acme_url("kpis:kpis"), fields=lambda world: {"by": "owner", "health": "unhealthy", "page": "2"}
    ),
    "activity:organization": SimpleNamespace(
        url=_acme_url("activity:organization"), fields=lambda world: {"before": str(world.comment.pk + 1)}
    ),
    "conversations:mention_options": SimpleNamespace(
        url=_acme_url("conversations:mention_options"), fields=lambda world: {"q": "lea"}
    ),
    # The closing tracker and a holder's list are admins' pages (hostile_role: who asks; a member otherwise).
    "okrs:timeframe_closing": SimpleNamespace(
        url=_acme_url("okrs:timeframe_closing", **_TIMEFRAME), fields=lambda world: {"page": "2"}, hostile_role="admin"
    ),
    "okrs:timeframe_closing_group": SimpleNamespace(
        url=_acme_url("okrs:timeframe_closing_group", **_TIMEFRAME, group_id=lambda world: world.cast.engineering.pk),
        fields=lambda world: {"page": "2"},
        hostile_role="admin",
    ),
}


@pytest.fixture
def world(world):
    return scim_world.with_scim(sso_world.with_sso(with_people_import(with_rollout(world))))


def with_people_import(world):
    """A previewed people import (``people_import``) of one new person, uploaded by the owner."""
    world.people_import = people_import_services.preview_people_import(
        actor=world.cast.owner, file_name="people.csv", data=_people_file()
    )
    return world


def _people_file() -> bytes:
    return b"Name;E-Mail;Gruppe;Rolle\r\nNina Neu;nina.neu@acme.test;Engineering / Platform;Mitglied\r\n"


def _people_upload_fields(world):
    return {
        "file": SimpleUploadedFile("people.csv", _people_file()),
        "send_invitations": "on",
        "deactivate_missing": "",
    }


def _people_apply_fields(world):
    return {"send_invitations": "on", "deactivate_missing": "", "skip_errors": ""}


def with_rollout(world):
    """The shared world, with a rollout: its plan (``rollout_step``), a rollout group of the member
    and the lead coached by the admin (``rollout_group``) with a training (``training_session``),
    and an open challenge round (``challenge_round``) on the owner's draft company objective
    (``draft``; ``round_entry``) with the member and the owner as reviewers; the member gave and
    submitted feedback (``feedback_point``); the owner dismissed a coach finding on the world's
    objective (``coach_dismissal``); a planned ``next_quarter`` to carry work into; an ``estimate`` key result the member owns on it."""
    cast = world.cast
    rollout_services.start_rollout(actor=cast.owner, starts_on=cast.today)
    world.rollout_step = RolloutStep.objects.filter(organization=cast.acme).first()
    world.rollout_group = rollout_services.create_rollout_group(
        actor=cast.owner, name="First rollout group", coach=cast.admin, members=[cast.member, cast.lead]
    )
    world.training_session = rollout_services.record_session(
        actor=cast.owner,
        rollout_group=world.rollout_group,
        held_on=cast.today,
        topic="Why OKRs",
        attendees=[cast.member],
    )
    world.draft = factories.objective(
        cast.owner, timeframe=cast.quarter, title="Customers recommend us", state=Objective.State.DRAFT
    )
    factories.metric(cast.owner, world.draft, title="Net promoter score", start=20, target=40)
    world.challenge_round = rollout_services.open_round(
        actor=cast.owner,
        title="Challenge the company drafts",
        deadline=cast.today,
        objectives=[world.draft],
        reviewers=[cast.member, cast.owner],
    )
    world.round_entry = RoundObjective.objects.get(round=world.challenge_round)
    rollout_services.save_review(
        actor=cast.member,
        challenge=world.challenge_round,
        objective=world.draft,
        verdicts={(None, Criterion.OUTCOME): ("disagree", "This reads like an output.")},
    )
    rollout_services.submit_review(actor=cast.member, challenge=world.challenge_round)
    world.feedback_point = FeedbackPoint.objects.get(round=world.challenge_round)
    world.estimate = factories.key_result(
        cast.owner, world.objective, "estimate", owner=cast.member, title="Pilot customers are delighted"
    )
    world.next_quarter = okrs_services.create_timeframe(
        actor=cast.owner,
        name="Next quarter",
        starts_on=cast.quarter.ends_on + datetime.timedelta(days=1),
        ends_on=cast.quarter.ends_on + datetime.timedelta(days=91),
    )
    world.coach_dismissal = okrs_services.dismiss_coach_finding(
        actor=cast.owner, objective=world.objective, rule="too_many_krs", reason="Each region has its own."
    )
    world.invitation = onboarding_services.invite(actor=cast.owner, email="invited@acme.test", full_name="Ines Invited")
    return world


_STEP = {"step_id": lambda world: world.rollout_step.pk}
_ROLLOUT_GROUP = {"rollout_group_id": lambda world: world.rollout_group.pk}
_SESSION = {"session_id": lambda world: world.training_session.pk}
_ROUND = {"round_id": lambda world: world.challenge_round.pk}
_POINT = {"point_id": lambda world: world.feedback_point.pk}
# The cast has no OKR ambassador, so running the rollout is for the owner and the admin; an open
# challenge round is seen by them and its reviewers (the member and the owner) only.
ROLLOUT_STARTED = {**ADMINS_ONLY, "owner": 422, "admin": 422}
ROUND_REVIEWER = {**ADMINS_ONLY, "admin": 403, "lead": 404, "member": 302, "sales": 404, "viewer": 404}
ROUND_RUNNER = {**ADMINS_ONLY, "lead": 404, "member": 403, "sales": 404, "viewer": 404}
# The owner reviews too but has not submitted: until then the member's point is hidden from them.
POINT_REPLY = {**ROUND_RUNNER, "owner": 404, "member": 302}
POINT_RESOLVE = {**ROUND_RUNNER, "owner": 404}


def _step_fields(world):
    return {
        "kind": "milestone",
        "title": "Company kick-off",
        "due_on": world.cast.today.isoformat(),
        "owner": world.cast.admin.user.email,
        "description": "At the New Year's breakfast.",
    }


def _rollout_group_fields(world):
    return {
        "name": "Second rollout group",
        "coach": world.cast.admin.user.email,
        "target_stage": "aligned",
        "target_on": world.cast.today.isoformat(),
        "description": "Six joiners.",
    }


def _session_fields(world):
    return {"held_on": world.cast.today.isoformat(), "topic": "Writing key results", "attendees": [world.cast.lead.pk]}


def _review_fields(world):
    return {
        "objective-outcome": "agree",
        "objective-outcome-comment": "Clear outcome.",
        "objective-aligned": "disagree",
        "question": "Who owns the survey?",
    }


def _close_round_fields(world):
    entry = world.round_entry.pk
    return {
        "summary": "Sharper key results.",
        f"decision_{entry}": "Kept, with a new baseline.",
        f"publish_{entry}": "on",
    }


POST_VIEWS.update(
    {
        "rollout:start": SimpleNamespace(
            url=_acme_url("rollout:start"), data=lambda world: {"starts_on": world.cast.today.isoformat()},
            fields=lambda world: {"starts_on": world.cast.today.isoformat()}, hostile_role="admin",
            expect=ROLLOUT_STARTED,
        ),
        "rollout:step_create": SimpleNamespace(
            url=_acme_url("rollout:step_create"), data=_step_fields, fields=_step_fields, hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "rollout:step_edit": SimpleNamespace(
            url=_acme_url("rollout:step_edit", **_STEP), data=_step_fields, fields=_step_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:step_done": SimpleNamespace(
            url=_acme_url("rollout:step_done", **_STEP), data=lambda world: {"done": "1"},
            fields=_no_fields, hostile_role="admin", expect=ADMINS_ONLY,  # a button: done=1 or 0, else 400
        ),
        "rollout:step_delete": SimpleNamespace(
            url=_acme_url("rollout:step_delete", **_STEP), data=_no_fields, fields=_no_fields, hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "rollout:group_create": SimpleNamespace(
            url=_acme_url("rollout:group_create"),
            data=lambda world: {**_rollout_group_fields(world), "members": [world.cast.sales.user.email]},
            fields=lambda world: {
                **_rollout_group_fields(world), "members": [world.cast.sales.user.email],
                "members_groups": [world.cast.engineering.slug], "members_subgroups": "on",
            },
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:group_edit": SimpleNamespace(
            url=_acme_url("rollout:group_edit", **_ROLLOUT_GROUP), data=_rollout_group_fields,
            fields=_rollout_group_fields, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:group_delete": SimpleNamespace(
            url=_acme_url("rollout:group_delete", **_ROLLOUT_GROUP), data=_no_fields, fields=_no_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:group_members_add": SimpleNamespace(
            url=_acme_url("rollout:group_members_add", **_ROLLOUT_GROUP),
            data=lambda world: {"people": [world.cast.sales.user.email]},
            fields=lambda world: {  # each half adds someone: the rollout group holds the member and the lead
                "people": f"{world.cast.viewer.user.email}\n{world.cast.lead.user.full_name}",
                "people_groups": [world.cast.sales_group.slug], "people_subgroups": "on",
            },
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:group_member_remove": SimpleNamespace(
            url=_acme_url(
                "rollout:group_member_remove", **_ROLLOUT_GROUP, membership_id=lambda world: world.cast.member.pk
            ),
            data=_no_fields, fields=_no_fields, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:session_create": SimpleNamespace(
            url=_acme_url("rollout:session_create", **_ROLLOUT_GROUP), data=_session_fields, fields=_session_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:session_edit": SimpleNamespace(
            url=_acme_url("rollout:session_edit", **_SESSION), data=_session_fields, fields=_session_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:session_delete": SimpleNamespace(
            url=_acme_url("rollout:session_delete", **_SESSION), data=_no_fields, fields=_no_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:round_create": SimpleNamespace(
            url=_acme_url("rollout:round_create"),
            data=lambda world: {
                "title": "Second look", "deadline": world.cast.today.isoformat(), "objectives": [world.draft.pk],
                "reviewers": [world.cast.lead.user.email],
            },
            fields=lambda world: {
                "title": "Second look", "deadline": world.cast.today.isoformat(), "objectives": [world.draft.pk],
                "reviewers": [world.cast.lead.user.email], "reviewers_groups": [world.cast.sales_group.slug],
                "reviewers_subgroups": "on",
            },
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "rollout:round_reviewers_add": SimpleNamespace(
            url=_acme_url("rollout:round_reviewers_add", **_ROUND),
            data=lambda world: {"reviewers": [world.cast.lead.user.email]},
            fields=lambda world: {
                "reviewers": f"{world.cast.lead.user.email}; {world.cast.sales.user.full_name}",
                "reviewers_groups": [world.cast.engineering.slug], "reviewers_subgroups": "on",
            },
            hostile_role="admin", expect=ROUND_RUNNER,
        ),
        "rollout:review": SimpleNamespace(
            url=_acme_url("rollout:review", entry_id=lambda world: world.round_entry.pk), data=_review_fields,
            fields=_review_fields, hostile_role="member", expect=ROUND_REVIEWER,
        ),
        "rollout:review_submit": SimpleNamespace(
            url=_acme_url("rollout:review_submit", **_ROUND), data=_no_fields, fields=_no_fields,
            hostile_role="member", expect=ROUND_REVIEWER,
        ),
        "rollout:round_close": SimpleNamespace(
            url=_acme_url("rollout:round_close", **_ROUND), data=_close_round_fields, fields=_close_round_fields,
            hostile_role="admin", expect=ROUND_RUNNER,
        ),
        "rollout:point_reply": SimpleNamespace(
            url=_acme_url("rollout:point_reply", **_POINT), data=lambda world: {"text": "Agreed, we rewrite it."},
            fields=lambda world: {"text": "Agreed, we rewrite it."}, hostile_role="member", expect=POINT_REPLY,
        ),
        "rollout:point_resolve": SimpleNamespace(
            url=_acme_url("rollout:point_resolve", **_POINT), data=lambda world: {"resolved": "1"},
            fields=_no_fields, hostile_role="admin", expect=POINT_RESOLVE,  # a button: resolved=1 or 0, else 400
        ),
        "rollout:deck_edit": SimpleNamespace(
            url=_acme_url("rollout:deck_edit"), data=lambda world: {"title_1": "Why OKRs", "body_1": "Less silos."},
            fields=lambda world: {"title_1": "Why OKRs", "body_1": "Less silos."}, hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "rollout:deck_reset": SimpleNamespace(
            url=_acme_url("rollout:deck_reset"), data=_no_fields, fields=_no_fields, hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
        "rollout:adoption_refresh": SimpleNamespace(
            url=_acme_url("rollout:adoption_refresh"), data=_no_fields, fields=_no_fields, hostile_role="admin",
            expect=ADMINS_ONLY,  # and OKR ambassadors: those who run the rollout
        ),
        "rollout:welcome_dismiss": SimpleNamespace(
            url=_acme_url("rollout:welcome_dismiss"), data=_no_fields, fields=_no_fields, hostile_role="viewer",
            expect=EVERYONE,
        ),
        "onboarding:people_import": SimpleNamespace(
            url=_acme_url("onboarding:people_import"), data=_people_upload_fields, fields=_people_upload_fields,
            hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "onboarding:people_import_apply": SimpleNamespace(
            url=_acme_url("onboarding:people_import_apply", import_id=lambda world: world.people_import.pk),
            data=_people_apply_fields, fields=_people_apply_fields, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "onboarding:people_import_send": SimpleNamespace(
            url=_acme_url("onboarding:people_import_send", import_id=lambda world: world.people_import.pk),
            data=_no_fields, fields=_no_fields, hostile_role="admin", expect=ADMINS_ONLY,
        ),
        "getting_started:hide": SimpleNamespace(
            url=_acme_url("getting_started:hide"), data=_no_fields, fields=_no_fields, hostile_role="admin",
            expect=ADMINS_ONLY,
        ),
    }
)  # fmt: skip

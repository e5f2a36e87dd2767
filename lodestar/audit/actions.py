"""What the audit log records: each action's code and how the log page names it.

A service that logs passes one of these codes to ``lodestar.audit.services.record``. A new kind of
event adds its code and label here (the page and the API filter by these codes).
"""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    # Signing in
    "signin.succeeded": _("Signed in"),
    "signin.failed": _("Sign-in failed"),
    "signin.refused": _("Sign-in refused"),
    # Multi-factor authentication
    "mfa.added": _("Second factor added"),
    "mfa.removed": _("Second factor removed"),
    "mfa.recovery_codes_renewed": _("Recovery codes renewed"),
    # People and groups
    "member.added": _("Person added"),
    "member.changed": _("Person changed"),
    "member.role_changed": _("Role changed"),
    "member.deactivated": _("Person deactivated"),
    "member.reactivated": _("Person reactivated"),
    "group.created": _("Group created"),
    "group.changed": _("Group changed"),
    "group.deleted": _("Group deleted"),
    "group.members_changed": _("Group members changed"),
    "invitation.sent": _("Invitation sent"),
    "invitation.resent": _("Invitation sent again"),
    "invitation.revoked": _("Invitation revoked"),
    "invitation.accepted": _("Invitation accepted"),
    "people_import.applied": _("People imported"),
    # The organization
    "settings.changed": _("Organization settings changed"),
    "export.created": _("Organization exported"),
    # Single sign-on and provisioning
    "sso.configured": _("Single sign-on set up"),
    "sso.changed": _("Single sign-on changed"),
    "sso.removed": _("Single sign-on removed"),
    "scim.token_created": _("Provisioning token created"),
    "scim.token_revoked": _("Provisioning token revoked"),
    # Integrations
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "webhook.created": _("Webhook created"),
    "webhook.changed": _("Webhook changed"),
    "webhook.deleted": _("Webhook deleted"),
    "chat_channel.created": _("Chat channel connected"),
    "chat_channel.changed": _("Chat channel changed"),
    "chat_channel.deleted": _("Chat channel removed"),
    "feed.created": _("Calendar or data feed created"),
    "feed.revoked": _("Calendar or data feed revoked"),
}

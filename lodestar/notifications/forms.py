from django import forms
from django.utils.translation import gettext_lazy as _

from lodestar.notifications.models import ChatChannel, EmailMode
from lodestar.orgs.forms import groups_of
from lodestar.orgs.pickers import GroupField


class PreferencesForm(forms.Form):
    notification_emails = forms.ChoiceField(
        label=_("Notifications by e-mail"),
        choices=EmailMode.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "When you are mentioned, someone comments on your goal, your key result turns off track, or you are given a goal."
        ),
    )
    check_in_reminders = forms.BooleanField(
        label=_("Weekly check-in reminder"),
        required=False,
        help_text=_(
            "On the organization's check-in day at 09:00 your time, when a key result of yours has not been updated for a week."
        ),
    )
    lead_digest = forms.BooleanField(
        label=_("Weekly digest of the groups I lead"),
        required=False,
        help_text=_("Progress changes, new risks and missing check-ins of the week."),
    )


class ChatChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example “#sales” or “Engineering team”."))
    service = forms.ChoiceField(label=_("Service"), choices=ChatChannel.Service.choices)
    url = forms.URLField(
        label=_("Incoming webhook URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "Slack: an incoming webhook of a Slack app. Teams: the URL of a workflow “When a Teams webhook request is received”."
        ),
    )
    events = forms.MultipleChoiceField(
        label=_("Post these events"), choices=ChatChannel.Event.choices, widget=forms.CheckboxSelectMultiple
    )
    group = GroupField(
        label=_("Only for the group"), required=False, help_text=_("Empty: events of the whole organization.")
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].offer(groups_of(organization.pk), organization=organization)

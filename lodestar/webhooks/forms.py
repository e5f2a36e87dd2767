from django import forms
from django.utils.translation import gettext_lazy as _

from lodestar.webhooks.models import Webhook


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example “Data warehouse” or “Zapier”."))
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Lodestar POSTs each event here as JSON, signed with this webhook's secret."),
    )
    events = forms.MultipleChoiceField(
        label=_("Send these events"), choices=Webhook.Event.choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

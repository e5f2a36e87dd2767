from django import forms
from django.utils.translation import gettext_lazy as _

from lodestar.feeds.models import Feed


class PushFeedForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        help_text=_("Who sends the values, for example “Zapier: CRM deals” or “Nightly script”."),
    )


class PollFeedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example “Finance export”."))
    url = forms.URLField(
        label=_("URL of the data"), max_length=500, assume_scheme="https", help_text=_("A CSV file or a JSON document.")
    )
    format = forms.ChoiceField(label=_("Format"), choices=Feed.Format.choices)
    field_path = forms.CharField(
        label=_("Field"),
        max_length=200,
        help_text=_(
            "JSON: the path to the number, for example “data.revenue” or “results.-1.value”. "
            "CSV: the column's name; the last row with a value counts."
        ),
    )
    every_minutes = forms.TypedChoiceField(
        label=_("How often"), choices=Feed.Every.choices, coerce=int, initial=Feed.Every.HOUR
    )

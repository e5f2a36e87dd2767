from django import forms
from django.utils.translation import gettext_lazy as _

from lodestar.conversations.models import BODY_MAX, Reaction


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown works. Type @ and a name to mention someone."),
    )

    def __init__(self, *args, mentions_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if mentions_url:
            self.fields["body"].widget.attrs["data-mentions"] = mentions_url


class ReactionForm(forms.Form):
    emoji = forms.ChoiceField(choices=Reaction.Emoji.choices)

"""Forms of the rollout pages. They parse what was typed; the services decide what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lodestar.core.forms import IdsChoiceField
from lodestar.okrs.models import Objective
from lodestar.okrs.selectors import visible_objectives
from lodestar.orgs.forms import people_of
from lodestar.orgs.pickers import PEOPLE_HELP, PeopleField, PersonField, TakesWholeGroups
from lodestar.orgs.selectors import goal_holders
from lodestar.rollout.models import KEY_RESULT_CRITERIA, OBJECTIVE_CRITERIA, FeedbackPoint, RolloutStep, Stage

TEXT_MAX = 10_000


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


def _offer_active_people(field, organization) -> None:
    field.offer(people_of(organization.pk).filter(is_active=True), organization=organization)


class StartRolloutForm(forms.Form):
    starts_on = forms.DateField(
        label=_("Start date"),
        widget=_date_input(),
        help_text=_("The plan's target dates are counted from this day. You can change every step afterwards."),
    )


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=RolloutStep.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = forms.DateField(label=_("Target date"), widget=_date_input())
    owner = PersonField(
        label=pgettext_lazy("the person responsible for a plan step", "Owner"),
        required=False,
        help_text=_("Who makes sure it happens."),
    )
    description = forms.CharField(label=_("Description"), max_length=TEXT_MAX, required=False, widget=_textarea())

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_active_people(self.fields["owner"], organization)


class RolloutGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, help_text=_("For example “First rollout group”."))
    coach = PersonField(
        label=_("Coach"), required=False, help_text=_("Who trains the group and answers its questions.")
    )
    target_stage = forms.ChoiceField(
        label=_("Goal"),
        choices=Stage.choices,
        initial=Stage.ALIGNED,
        help_text=_("The step of the journey everyone in the group should reach."),
    )
    target_on = forms.DateField(
        label=_("Reach it by"),
        required=False,
        widget=_date_input(),
        help_text=_("After this date, members who have not reached the goal get a nudge with their next step."),
    )
    description = forms.CharField(label=_("Description"), max_length=TEXT_MAX, required=False, widget=_textarea())

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_active_people(self.fields["coach"], organization)


class NewRolloutGroupForm(TakesWholeGroups, RolloutGroupForm):
    whole_groups = ("members",)

    members = PeopleField(
        label=_("Members"),
        help_text=_(
            "Type names or e-mail addresses, separated by commas or new lines, or paste a list; you can add more later."
        ),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, organization=organization, **kwargs)
        _offer_active_people(self.fields["members"], organization)
        self.offer_whole_groups(organization)


class AddMembersForm(TakesWholeGroups, forms.Form):
    """Several people into a rollout group at once: typed, or everyone of whole groups."""

    people_required = True

    people = PeopleField(label=_("Add people"), help_text=PEOPLE_HELP)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_active_people(self.fields["people"], organization)
        self.offer_whole_groups(organization)


def _offer_reviewers(field, organization) -> None:
    """Reviewers give feedback: active people who may write (viewers are refused by name)."""
    field.offer(goal_holders(organization.pk), organization=organization, holders_only=True)


class AddReviewersForm(TakesWholeGroups, forms.Form):
    """Several reviewers for an open round at once: typed, or everyone of whole groups."""

    whole_groups = ("reviewers",)
    people_required = True

    reviewers = PeopleField(label=_("Add reviewers"), help_text=PEOPLE_HELP)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_reviewers(self.fields["reviewers"], organization)
        self.offer_whole_groups(organization)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=_date_input())
    topic = forms.CharField(label=_("Topic"), max_length=200, help_text=_("For example “Introduction to OKRs”."))
    attendees = IdsChoiceField(
        label=_("Who attended"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, rollout_group, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        field.queryset = people_of(rollout_group.organization_id).filter(rollout_groups=rollout_group)
        field.label_from_instance = lambda person: person.full_name


class OpenRoundForm(TakesWholeGroups, forms.Form):
    whole_groups = ("reviewers",)
    people_required = True

    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example “Challenge the draft company OKRs”.")
    )
    deadline = forms.DateField(label=_("Deadline"), widget=_date_input())
    objectives = IdsChoiceField(
        label=_("Draft objectives to challenge"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reviewers = PeopleField(label=_("Reviewers"), help_text=PEOPLE_HELP)

    def __init__(self, *args, membership, timeframe, **kwargs):
        super().__init__(*args, **kwargs)
        drafts = visible_objectives(membership).filter(state=Objective.State.DRAFT)
        drafts = drafts.filter(timeframe=timeframe) if timeframe else drafts.none()
        field = self.fields["objectives"]
        field.queryset = drafts.select_related("lead__user").order_by("level", "title", "pk")
        field.label_from_instance = lambda objective: (
            f"{objective.title} · {objective.get_level_display()} · {objective.lead.full_name}"
        )
        _offer_reviewers(self.fields["reviewers"], membership.organization)
        self.offer_whole_groups(membership.organization)


VERDICT_CHOICES = [("", _("No opinion")), *FeedbackPoint.Verdict.choices]


def review_targets(objective, key_results) -> list[tuple[str, object, tuple]]:
    """(field prefix, key result or None, criteria) for each thing a reviewer judges."""
    return [("objective", None, OBJECTIVE_CRITERIA)] + [(f"kr{kr.pk}", kr, KEY_RESULT_CRITERIA) for kr in key_results]


class ReviewForm(forms.Form):
    """A reviewer's verdict and comment per criterion, on the objective and each key result, and a question."""

    question = forms.CharField(
        label=_("A question for the authors"), max_length=TEXT_MAX, required=False, widget=_textarea(2)
    )

    def __init__(self, *args, objective, key_results, points=(), **kwargs):
        super().__init__(*args, **kwargs)
        given = {(point.key_result_id, point.criterion): point for point in points}
        self.targets = review_targets(objective, key_results)
        for prefix, key_result, criteria in self.targets:
            for criterion in criteria:
                point = given.get((None if key_result is None else key_result.pk, criterion))
                self.fields[f"{prefix}-{criterion}"] = forms.ChoiceField(
                    label=criterion.label,
                    choices=VERDICT_CHOICES,
                    required=False,
                    initial=point.verdict if point else "",
                    widget=forms.RadioSelect,
                )
                self.fields[f"{prefix}-{criterion}-comment"] = forms.CharField(
                    label=_("Comment"),
                    max_length=TEXT_MAX,
                    required=False,
                    initial=point.text if point else "",
                    widget=_textarea(1),
                )

    def verdicts(self) -> dict:
        return {
            (key_result, criterion): (
                self.cleaned_data[f"{prefix}-{criterion}"],
                self.cleaned_data[f"{prefix}-{criterion}-comment"],
            )
            for prefix, key_result, criteria in self.targets
            for criterion in criteria
        }

    def sections(self):
        """For the template: per target, its rows of (verdict field, comment field)."""
        return [
            (
                key_result,
                [(self[f"{prefix}-{criterion}"], self[f"{prefix}-{criterion}-comment"]) for criterion in criteria],
            )
            for prefix, key_result, criteria in self.targets
        ]


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=TEXT_MAX, widget=_textarea(2))


class CloseRoundForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=TEXT_MAX,
        required=False,
        widget=_textarea(3),
        help_text=_("What the round changed, for everyone who reads the decision log later."),
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"decision_{entry.pk}"] = forms.CharField(
                label=_("Decision"), max_length=TEXT_MAX, required=False, widget=_textarea(2)
            )
            self.fields[f"publish_{entry.pk}"] = forms.BooleanField(
                label=_("Publish (activate) it"), required=False, initial=entry.objective.state == Objective.State.DRAFT
            )

    def decisions(self) -> dict:
        return {entry.pk: self.cleaned_data[f"decision_{entry.pk}"] for entry in self.entries}

    def publish(self) -> set:
        return {entry.pk for entry in self.entries if self.cleaned_data[f"publish_{entry.pk}"]}

    def rows(self):
        return [(entry, self[f"decision_{entry.pk}"], self[f"publish_{entry.pk}"]) for entry in self.entries]


BLANK_SLIDES = 2


class DeckForm(forms.Form):
    """The organization's onboarding slides, one title and text each, plus blank ones to add."""

    def __init__(self, *args, slides, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = len(slides) + BLANK_SLIDES
        for number in range(1, self.count + 1):
            slide = slides[number - 1] if number <= len(slides) else None
            self.fields[f"title_{number}"] = forms.CharField(
                label=_("Title"), max_length=200, required=False, initial=slide.title if slide else ""
            )
            self.fields[f"body_{number}"] = forms.CharField(
                label=_("Text"),
                max_length=TEXT_MAX,
                required=False,
                widget=_textarea(4),
                initial=slide.body if slide else "",
            )

    def slides(self) -> list[tuple[str, str]]:
        return [(self.cleaned_data[f"title_{n}"], self.cleaned_data[f"body_{n}"]) for n in range(1, self.count + 1)]

    def rows(self):
        return [(n, self[f"title_{n}"], self[f"body_{n}"]) for n in range(1, self.count + 1)]

"""The built-in onboarding deck: a short, icebreaker-first introduction to OKRs, in the reader's
language. An ambassador may replace it with the organization's own slides (OnboardingSlide)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Slide:
    title: str
    body: str


BUILT_IN_DECK = (
    Slide(
        _("Why we are doing this"),
        _(
            "Every team here is strong on its own. What we lack is a way to see where the company is heading "
            "and how each team helps it get there. OKRs give us that, in one place everybody can see."
        ),
    ),
    Slide(
        _("Icebreaker: what did the team next door achieve last quarter?"),
        _(
            "Take a minute. Who knows the most important goal of another department? If it is hard to say, "
            "that is the silo we want to leave behind: with OKRs everybody sees every goal, and teams find out "
            "where they can help each other."
        ),
    ),
    Slide(
        _("Objectives and key results"),
        _(
            "An objective says where we want to be: short, qualitative, inspiring. Two to five key results say "
            "how we will know we got there: measurable outcomes with a start and a target."
        ),
    ),
    Slide(
        _("Outcomes, not outputs"),
        _(
            "“Launch the new portal” is an output: work we will do. “Customers solve 60 % of their questions "
            "in the portal without calling us” is an outcome: what changes because of the work. Key results "
            "are outcomes; the work goes into initiatives."
        ),
    ),
    Slide(
        _("Alignment and shared objectives"),
        _(
            "Team objectives align to a company objective, so everyone sees how their work serves the strategy. "
            "When several teams work towards one objective, they share it: one lead, and each key result with "
            "its own owner."
        ),
    ),
    Slide(
        _("Checking in takes a minute a week"),
        _(
            "Once a week each owner records where their key result stands and how confident they feel: a number, "
            "a percentage or done. Progress and status roll up by themselves, so nobody writes status reports."
        ),
    ),
    Slide(
        _("No figures yet? Estimate."),
        _(
            "Start with what you have. An estimate key result lets you judge progress from 0 to 100 % by gut "
            "feeling. And it is perfectly fine to make measuring your first objective: learning the figures is "
            "an outcome too."
        ),
    ),
    Slide(
        _("What happens next"),
        _(
            "Draft your first objective, align it to a company objective and check in next week. Your rollout "
            "group and the OKR ambassador are there for every question."
        ),
    ),
)

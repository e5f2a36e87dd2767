"""The personal settings form: a person's name, language and time zone. It parses what they chose;
``accounts.services.update_personal_settings`` decides whether it is valid."""

import datetime
import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _

# The regions of the tz database, as its names begin ("Europe/Berlin"); other names ("US/Eastern",
# "Etc/GMT+5", "CET") are older aliases and fixed offsets, listed last.
REGIONS = {
    "Africa": gettext_lazy("Africa"),
    "America": gettext_lazy("America"),
    "Antarctica": gettext_lazy("Antarctica"),
    "Arctic": gettext_lazy("Arctic"),
    "Asia": gettext_lazy("Asia"),
    "Atlantic": gettext_lazy("Atlantic"),
    "Australia": gettext_lazy("Australia"),
    "Europe": gettext_lazy("Europe"),
    "Indian": gettext_lazy("Indian Ocean"),
    "Pacific": gettext_lazy("Pacific"),
}


@functools.cache
def _zones_by_region() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Every name of ``zoneinfo.available_timezones()``, sorted, by region ("" for the others)."""
    regions: dict[str, list[str]] = {region: [] for region in [*REGIONS, ""]}
    for zone in sorted(zoneinfo.available_timezones()):
        region = zone.split("/", 1)[0]
        regions[region if region in REGIONS and "/" in zone else ""].append(zone)
    return tuple((region, tuple(zones)) for region, zones in regions.items() if zones)


def _offset(zone: str, now: datetime.datetime) -> str:
    """The zone's offset from UTC now, as "UTC+05:30" (zones change offsets with daylight saving)."""
    return _offsets_in_hour(int(now.timestamp()) // 3600)[zone]


@functools.lru_cache(maxsize=2)
def _offsets_in_hour(hour: int) -> dict[str, str]:
    """Every zone's offset during the given hour since the epoch, read once per process and hour
    (daylight saving changes on the hour; reading 600 zone files took most of a page's time)."""
    moment = datetime.datetime.fromtimestamp(hour * 3600, tz=datetime.UTC)
    offsets = {}
    for zone in zoneinfo.available_timezones():
        minutes = int(moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset().total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        offsets[zone] = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return offsets


def time_zone_choices(organization_zone: str) -> list:
    """Grouped choices: the organization's time zone (empty) first, then each region's places with
    their offset now ("Berlin (UTC+01:00)"), then the other names of the tz database."""
    now = timezone.now()
    choices: list = [("", _("The organization's time zone (%(zone)s)") % {"zone": organization_zone})]
    for region, zones in _zones_by_region():
        if region:
            options = [(zone, f"{zone.split('/', 1)[1].replace('_', ' ')} ({_offset(zone, now)})") for zone in zones]
            choices.append((REGIONS[region], options))
        else:
            choices.append((_("Other"), [(zone, f"{zone} ({_offset(zone, now)})") for zone in zones]))
    return choices


def language_name(code: str) -> str:
    """A language in its own words, and in the page's language when that differs: "Deutsch (German)"."""
    info = get_language_info(code)
    local, translated = info["name_local"], _(info["name"])
    return local if local == translated else f"{local} ({translated})"


def language_choices(organization_language: str) -> list[tuple[str, str]]:
    organizations = _("The organization's language (%(language)s)") % {"language": language_name(organization_language)}
    return [("", organizations)] + [(code, language_name(code)) for code, _name in settings.LANGUAGES]


class PersonalSettingsForm(forms.Form):
    """The person's own name, language and time zone, the same in every organization."""

    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    language = forms.ChoiceField(label=gettext_lazy("Language"), required=False)
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"),
        required=False,
        help_text=gettext_lazy("Dates and times on every page and in your e-mails, and when your reminders arrive."),
    )

    def __init__(self, *args, user, organization, **kwargs):
        kwargs.setdefault(
            "initial", {"full_name": user.full_name, "language": user.language, "time_zone": user.time_zone}
        )
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"
        self.fields["language"].choices = language_choices(organization.language)
        self.fields["time_zone"].choices = time_zone_choices(organization.time_zone)

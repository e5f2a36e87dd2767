import datetime
import zoneinfo

from django.utils import timezone


def today_in(time_zone: str) -> datetime.date:
    """Today's date in a time zone (an organization's or a person's)."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(time_zone)).date()

"""Vision, mission and pillars: written by admins, one pillar name per year."""

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed
from lodestar.strategy import services
from lodestar.strategy.models import Pillar, Strategy


def test_admins_write_the_strategy_and_members_cannot(cast):
    services.update_strategy(actor=cast.admin, vision="Every machine connected", mission="We bring data home")
    assert Strategy.objects.get(organization=cast.acme).vision == "Every machine connected"
    with pytest.raises(NotAllowed):
        services.update_strategy(actor=cast.member, vision="Mine", mission="")


def test_pillars_are_unique_per_year_and_ordered(cast):
    services.create_pillar(actor=cast.owner, year=2026, name="Reliability")
    services.create_pillar(actor=cast.owner, year=2026, name="Data services")
    services.create_pillar(actor=cast.owner, year=2027, name="Reliability")
    with pytest.raises(ValidationError):
        services.create_pillar(actor=cast.owner, year=2026, name="reliability")
    with pytest.raises(ValidationError):
        services.create_pillar(actor=cast.owner, year=1066, name="Conquest")
    names = list(Pillar.objects.filter(organization=cast.acme, year=2026).values_list("name", "position"))
    assert names == [("Reliability", 0), ("Data services", 1)]

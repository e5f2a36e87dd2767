"""Vision, mission and pillars: written by admins, one pillar name per year."""

import pytest
from django.core.exceptions import ValidationError

from lodestar.core.errors import NotAllowed
from lodestar.strategy import services
from lodestar.strategy.models import Pillar, Strategy
from tests import factories


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


def names_in_order(cast, year=2026):
    return list(Pillar.objects.filter(organization=cast.acme, year=year).values_list("name", flat=True))


def test_admins_rename_a_pillar_but_not_to_another_pillars_name(cast):
    reliability = services.create_pillar(actor=cast.owner, year=2026, name="Reliability")
    services.create_pillar(actor=cast.owner, year=2026, name="Data services")
    services.update_pillar(actor=cast.admin, pillar=reliability, name="Uptime", description="Machines never stop")
    assert Pillar.objects.get(pk=reliability.pk).description == "Machines never stop"
    services.update_pillar(actor=cast.admin, pillar=reliability, name="UPTIME")  # its own name in another case
    with pytest.raises(ValidationError) as refused:
        services.update_pillar(actor=cast.admin, pillar=reliability, name="data services")
    assert "name" in refused.value.message_dict
    with pytest.raises(NotAllowed):
        services.update_pillar(actor=cast.lead, pillar=reliability, name="Mine")
    assert names_in_order(cast) == ["UPTIME", "Data services"]


def test_pillars_move_up_and_down_within_their_year_only(cast):
    for name in ("Growth", "Quality", "People"):
        services.create_pillar(actor=cast.owner, year=2026, name=name)
    other_year = services.create_pillar(actor=cast.owner, year=2027, name="Later")
    people = Pillar.objects.get(organization=cast.acme, year=2026, name="People")
    services.move_pillar(actor=cast.admin, pillar=people, direction="up")
    assert names_in_order(cast) == ["Growth", "People", "Quality"]
    services.move_pillar(actor=cast.admin, pillar=people, direction="up")
    assert names_in_order(cast) == ["People", "Growth", "Quality"]
    with pytest.raises(ValidationError, match="already the first"):
        services.move_pillar(actor=cast.admin, pillar=people, direction="up")
    with pytest.raises(ValidationError, match="up or down"):
        services.move_pillar(actor=cast.admin, pillar=people, direction="sideways")
    with pytest.raises(NotAllowed):
        services.move_pillar(actor=cast.member, pillar=people, direction="down")
    assert Pillar.objects.get(pk=other_year.pk).position == 0


def test_removing_a_pillar_keeps_its_objectives_and_closes_the_gap(cast):
    growth = services.create_pillar(actor=cast.owner, year=2026, name="Growth")
    services.create_pillar(actor=cast.owner, year=2026, name="Quality")
    objective = factories.objective(cast.owner, timeframe=cast.quarter, title="Win ten OEMs", pillar=growth)
    with pytest.raises(NotAllowed):
        services.delete_pillar(actor=cast.member, pillar=growth)
    services.delete_pillar(actor=cast.admin, pillar=growth)
    assert list(Pillar.objects.filter(organization=cast.acme).values_list("name", "position")) == [("Quality", 0)]
    objective.refresh_from_db()
    assert objective.pillar is None and objective.title == "Win ten OEMs"
    assert services.create_pillar(actor=cast.owner, year=2026, name="Growth").position == 1
